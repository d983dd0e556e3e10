"""Reuse of digitized documents: recorded by processing systems, counted as the reuse rate.

The reuse rate of a period is the share of the documents digitized in it (read to the end:
digitized, waiting for review, or verified) that some later dossier has reused, by a record
here, whenever the reuse happened: the province's measure of data digitized once and used
again, so that nobody hands in the same paper twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from models.errors import InputError
from models.status import DOCUMENT_READ
from models.tables import Document, ExtractedField, ReuseRecord
from storage import repository
from storage.repository import Agencies


def record(
    session: Session,
    dossier_id: str,
    document_id: str,
    field_names: Sequence[str],
    purpose: str,
    key_id: str,
    agencies: Agencies,
) -> list[ReuseRecord]:
    """Record that ``dossier_id`` reused ``document_id`` (its ``field_names``, or the whole
    document); recording the same reuse again changes nothing and answers the records kept."""
    dossier = repository.get_dossier(session, dossier_id, agencies)
    document = repository.get_document(session, document_id, agencies)
    if document.dossier_id == dossier.id:
        raise InputError(
            "a dossier does not reuse its own document: name a document of an earlier dossier",
            code="reuse_of_own_document",
        )
    if document.status not in DOCUMENT_READ:
        raise InputError(
            f"document {document_id} is {document.status}, not digitized: nothing to reuse yet",
            code="document_not_digitized",
        )
    names = sorted(set(field_names)) or [""]
    known = set(
        session.scalars(
            select(ExtractedField.name).where(ExtractedField.document_id == document_id)
        )
    )
    unknown = [name for name in names if name and name not in known]
    if unknown:
        raise InputError(
            f"document {document_id} has no field {', '.join(unknown)}", code="field_not_found"
        )
    kept = []
    for name in names:
        existing = session.scalars(
            select(ReuseRecord).where(
                ReuseRecord.dossier_id == dossier.id,
                ReuseRecord.document_id == document_id,
                ReuseRecord.field_name == name,
            )
        ).one_or_none()
        if existing is None:
            existing = ReuseRecord(
                dossier_id=dossier.id, document_id=document_id, field_name=name,
                purpose=purpose, key_id=key_id,
            )  # fmt: skip
            session.add(existing)
        kept.append(existing)
    session.flush()
    return kept


@dataclass(frozen=True)
class ReuseRate:
    documents_digitized: int
    documents_reused: int
    records: int
    dossiers_served: int
    """Dossiers that reused something, among the records made in the period."""

    @property
    def rate(self) -> float | None:
        if not self.documents_digitized:
            return None
        return round(self.documents_reused / self.documents_digitized, 4)


def reuse_rate(session: Session, since: datetime, until: datetime) -> ReuseRate:
    """The reuse rate of the documents digitized from ``since`` to ``until`` (see the module)."""
    since, until = since.astimezone(UTC), until.astimezone(UTC)  # SQLite compares UTC text
    digitized = select(Document.id).where(
        Document.status.in_(sorted(DOCUMENT_READ)),
        Document.created_at >= since,
        Document.created_at < until,
    )
    documents = session.scalar(select(func.count()).select_from(digitized.subquery())) or 0
    reused = session.scalar(
        select(func.count(distinct(ReuseRecord.document_id))).where(
            ReuseRecord.document_id.in_(digitized)
        )
    )
    made = (ReuseRecord.created_at >= since, ReuseRecord.created_at < until)
    records = session.scalar(select(func.count()).where(*made)) or 0
    served = session.scalar(select(func.count(distinct(ReuseRecord.dossier_id))).where(*made))
    return ReuseRate(documents, reused or 0, records, served or 0)
