"""API keys: issued once, stored as an argon2id hash, found by their public id, revocable.

A token reads ``sohoa_<id>_<secret>``: the id finds the row without comparing every hash, the
secret is checked against the hash. Argon2 is slow on purpose (tens of milliseconds), so a
process remembers which (hash, secret) pairs it has already verified; a revoked key is refused
at once all the same, because its row is read on every request.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.access import Role
from models.errors import AuthenticationError, InputError, NotFoundError
from models.tables import ApiKey, utcnow
from storage.database import aware

TOKEN_PREFIX = "sohoa"
LAST_USED_PRECISION = timedelta(minutes=5)
"""``last_used_at`` is written at most this often per key, so reads do not each cost a write."""

_hasher = PasswordHasher()


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    token: str
    """Shown to whoever created the key, once; it cannot be read back."""


def issue_key(
    session: Session, *, name: str, roles: Iterable[Role], agencies: Iterable[str] | None = None
) -> IssuedKey:
    """A new key with ``roles``, scoped to ``agencies`` when given."""
    role_set = sorted({Role(role) for role in roles})
    if not role_set:
        raise InputError("a key needs at least one role", code="key_without_role")
    name = name.strip()
    if not name:
        raise InputError("a key needs a name saying whose it is", code="key_without_name")
    scope = None if agencies is None else sorted({a.strip() for a in agencies if a.strip()})
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey(
        id=key_id,
        name=name[:255],
        roles=",".join(role_set),
        agencies=None if scope is None else json.dumps(scope, ensure_ascii=False),
        secret_hash=_hasher.hash(secret),
    )
    session.add(key)
    session.flush()
    return IssuedKey(key=key, token=f"{TOKEN_PREFIX}_{key_id}_{secret}")


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Revoke the key at once; revoking it again changes nothing."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFoundError(f"no API key with id {key_id}", code="key_not_found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


UNKNOWN_KEY = "key_unknown"
"""The code of a token that is no key sohoa issued (as opposed to a revoked one)."""


def authenticate(session: Session, token: str) -> ApiKey:
    """The live key ``token`` belongs to; ``AuthenticationError`` for any other token."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    key = session.get(ApiKey, key_id) if prefix == TOKEN_PREFIX and secret else None
    if key is None or not _secret_matches(key.secret_hash, secret):
        raise AuthenticationError(
            "this API key is not one sohoa issued; ask an administrator for a key "
            "(sohoa keys create)",
            code=UNKNOWN_KEY,
        )
    if key.revoked_at is not None:
        raise AuthenticationError(
            f"API key {key.id} ({key.name}) was revoked; ask an administrator for a new one",
            code="key_revoked",
        )
    now = utcnow()
    if key.last_used_at is None or now - aware(key.last_used_at) > LAST_USED_PRECISION:
        session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
    return key


@lru_cache(maxsize=4096)
def _secret_matches(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
