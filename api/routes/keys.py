"""API keys: issued, listed and revoked by an administrator (``sohoa keys`` does the same)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import SessionDep
from models.access_schemas import KeyCreate, KeyIssued, KeyPublic
from storage import keys

router = APIRouter(prefix="/v1/keys", tags=["administration"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=KeyIssued)
def create_key(body: KeyCreate, session: SessionDep) -> KeyIssued:
    """A new key; its token is in this answer only."""
    issued = keys.issue_key(session, name=body.name, roles=body.roles, agencies=body.agencies)
    public = KeyPublic.model_validate(issued.key)
    return KeyIssued(**public.model_dump(), token=issued.token)


@router.get("", response_model=list[KeyPublic])
def list_keys(session: SessionDep) -> list[KeyPublic]:
    """Every key, revoked ones included, oldest first; tokens are never shown again."""
    return [KeyPublic.model_validate(key) for key in keys.list_keys(session)]


@router.delete("/{key_id}", response_model=KeyPublic)
def revoke_key(key_id: str, session: SessionDep) -> KeyPublic:
    """Revoke a key: its next request is refused (401)."""
    return KeyPublic.model_validate(keys.revoke_key(session, key_id))
