"""The audit trail: one row per read of personal data and per write, never changed afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.tables import AuditEvent


def record_event(session: Session, event: AuditEvent) -> None:
    session.add(event)
    session.flush()


@dataclass(frozen=True)
class AuditQuery:
    """What an inquiry asks for; every part is optional and they all must hold."""

    subject_identifier: str | None = None
    key_id: str | None = None
    document_id: str | None = None
    dossier_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def find_events(
    session: Session, query: AuditQuery, *, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """Matching events, newest first, a page at a time, and how many match in all."""
    conditions = []
    if query.subject_identifier is not None:
        conditions.append(AuditEvent.subject_identifier == query.subject_identifier)
    if query.key_id is not None:
        conditions.append(AuditEvent.key_id == query.key_id)
    if query.document_id is not None:
        conditions.append(AuditEvent.document_id == query.document_id)
    if query.dossier_id is not None:
        conditions.append(AuditEvent.dossier_id == query.dossier_id)
    if query.since is not None:
        conditions.append(AuditEvent.at >= query.since)
    if query.until is not None:
        conditions.append(AuditEvent.at < query.until)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions))
    rows = session.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total or 0
