"""Sign-in sessions: a browser trades an API key for a cookie, which then stands for the key.

The cookie's token is random and only its SHA-256 is stored, like a key's secret; a session
ends when it expires, when its holder signs out, or when its key is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models.errors import AuthenticationError
from models.tables import ApiKey, SignInSession, utcnow
from storage import keys
from storage.database import aware


@dataclass(frozen=True)
class OpenedSession:
    token: str
    """For the cookie only; never stored."""
    csrf_token: str
    expires_at: datetime
    key: ApiKey


def sign_in(session: Session, api_key: str, lifetime: timedelta) -> OpenedSession:
    """A session for the live key ``api_key``; ``AuthenticationError`` for any other."""
    key = keys.authenticate(session, api_key)
    token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires_at = utcnow() + lifetime
    session.add(
        SignInSession(
            token_hash=_digest(token), key_id=key.id, csrf_token=csrf_token, expires_at=expires_at
        )
    )
    session.flush()
    return OpenedSession(token, csrf_token, expires_at, key)


def signed_in(session: Session, token: str) -> tuple[ApiKey, SignInSession]:
    """The key and session a cookie's token stands for, while both are live."""
    row = session.get(SignInSession, _digest(token))
    if row is None or row.ended_at is not None or aware(row.expires_at) <= utcnow():
        raise AuthenticationError(
            "this sign-in has ended or expired: sign in again with your key",
            code="session_expired",
        )
    key = session.get(ApiKey, row.key_id)
    if key is None or key.revoked_at is not None:
        raise AuthenticationError(
            f"API key {row.key_id} was revoked; ask an administrator for a new one",
            code="key_revoked",
        )
    return key, row


def sign_out(session: Session, token: str) -> None:
    row = session.get(SignInSession, _digest(token))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
