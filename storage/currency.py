"""Whether what a document says of its subject is still current.

A value stops being current when its document does: a card past its expiry date (the day it
printed), or a document superseded by a newer one of the same type naming the same subject by
the same field (a card renewed, an enterprise's certificate amended), from the day the newer
one was received. Such values are flagged, not hidden: a processing system may still need the
old address or the old card's number, and knows from when it was no longer so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Document, DocumentSubject, ExtractedField
from storage.database import aware

EXPIRY_FIELD = "date_of_expiry"


@dataclass(frozen=True)
class Currency:
    current: bool
    since: date | None = None
    """The day it stopped being current."""
    because: Literal["expired", "superseded"] | None = None
    """``expired`` or ``superseded``."""


CURRENT = Currency(True)


def currency(
    session: Session, subject_id: str, document_ids: Collection[str], today: date
) -> dict[str, Currency]:
    """For each of ``document_ids`` (documents naming the subject), whether it is current."""
    naming = session.execute(
        select(Document.id, Document.document_type, DocumentSubject.field_name, Document.created_at)
        .join(DocumentSubject, DocumentSubject.document_id == Document.id)
        .where(DocumentSubject.subject_id == subject_id)
    ).all()
    expiries = dict(
        session.execute(
            select(ExtractedField.document_id, ExtractedField.value).where(
                ExtractedField.document_id.in_(sorted(document_ids)),
                ExtractedField.name == EXPIRY_FIELD,
                ExtractedField.value.is_not(None),
            )
        ).all()
    )
    found: dict[str, Currency] = {}
    for document_id, document_type, named_by, received in naming:
        if document_id not in document_ids:
            continue
        newer = [
            aware(other_received).date()
            for other, other_type, other_named_by, other_received in naming
            if other != document_id and document_type is not None and other_type == document_type
            and other_named_by == named_by and aware(other_received) > aware(received)
        ]  # fmt: skip
        expiry = _date(expiries.get(document_id))
        if newer:
            found[document_id] = Currency(False, min(newer), "superseded")
        elif expiry is not None and expiry < today:
            found[document_id] = Currency(False, expiry, "expired")
        else:
            found[document_id] = CURRENT
    return found


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:  # "Không thời hạn": a card without expiry
        return None
