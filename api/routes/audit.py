"""The audit trail, for inquiries: who read or changed what, when, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep
from models.access_schemas import AuditEventPublic, AuditList
from storage.audit import AuditQuery, find_events

router = APIRouter(prefix="/v1/audit", tags=["administration"])


@router.get("", response_model=AuditList)
def list_audit_events(
    session: SessionDep,
    subject: Annotated[
        str | None,
        Query(
            description="a CCCD number or an enterprise code, as stored (digits, a branch's "
            "with its dash); the access log never shows it"
        ),
    ] = None,
    key_id: str | None = None,
    document_id: str | None = None,
    dossier_id: str | None = None,
    since: Annotated[datetime | None, Query(description="inclusive")] = None,
    until: Annotated[datetime | None, Query(description="exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditList:
    """Events newest first, filtered by subject, key, document, dossier and time."""
    query = AuditQuery(subject, key_id, document_id, dossier_id, since, until)
    events, total = find_events(session, query, limit=limit, offset=offset)
    return AuditList(
        items=[AuditEventPublic.model_validate(event) for event in events],
        total=total,
        limit=limit,
        offset=offset,
    )
