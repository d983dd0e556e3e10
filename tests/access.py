"""Credentials for tests that drive the API over HTTP, made in one place."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from models.access import Role
from storage import keys
from storage.database import transaction

DESK_ROLES = (Role.SCANNER, Role.PROCESSOR)
"""A reception desk's scanner uploads, and reads back what became of its uploads."""


def desk_headers(sessions: sessionmaker[Session]) -> dict[str, str]:
    """The ``Authorization`` header of a new key with ``DESK_ROLES``, issued on that database
    (already migrated)."""
    with transaction(sessions) as session:
        token = keys.issue_key(session, name="reception desk", roles=DESK_ROLES).token
    return {"Authorization": f"Bearer {token}"}
