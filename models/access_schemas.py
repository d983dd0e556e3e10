"""API schemas of administration: keys and the audit trail."""

from __future__ import annotations

from datetime import datetime

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from models.access import AuditKind, Role
from models.status import SubjectKind


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=255, description="whose key it is: a desk, a system")
    roles: list[Role] = Field(min_length=1)
    agencies: list[str] | None = Field(
        default=None, description="the agencies whose dossiers the key reaches; omitted: all"
    )


class KeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    roles: list[Role] = Field(validation_alias=AliasChoices("role_set", "roles"))
    agencies: list[str] | None = Field(validation_alias=AliasChoices("agency_set", "agencies"))
    created_at: datetime
    last_used_at: datetime | None = Field(description="to within five minutes")
    revoked_at: datetime | None


class KeyIssued(KeyPublic):
    token: str = Field(description="the key itself: shown this once, never again")


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    key_id: str | None
    kind: AuditKind
    action: str = Field(description="what was done: the API operation's name")
    dossier_id: str | None
    document_id: str | None
    target: str | None = Field(description="a page, or a key")
    subject_kind: SubjectKind | None
    subject_identifier: str | None
    purpose: str | None = Field(description="the X-Purpose the caller gave")
    status: int = Field(description="the HTTP status answered")


class AuditList(BaseModel):
    items: list[AuditEventPublic]
    total: int
    limit: int
    offset: int


class SignIn(BaseModel):
    key: str = Field(min_length=1, max_length=200, description="the API key, sohoa_<id>_<secret>")


class SignedIn(BaseModel):
    """Who the caller is: a browser's sign-in, or (``signed_in`` false) a bearer key's holder,
    which has no session, so no CSRF token and no expiry."""

    key_id: str
    name: str
    roles: list[Role]
    agencies: list[str] | None = Field(description="the agencies the key sees; null: every one")
    signed_in: bool = Field(description="true: a browser's sign-in; false: a bearer key")
    csrf_token: str | None = Field(
        description="send it back in X-CSRF-Token with every request that changes something"
    )
    expires_at: datetime | None
