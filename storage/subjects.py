"""What has been digitized about a citizen or an enterprise, found by their identifier.

A subject's documents are all those that name it, whatever field named it. Its known values
are taken only from the documents that are *about* it, and only from the fields that describe
it, because a document names more people than its own subject: a business certificate is about
its enterprise, and a citizen it names as legal representative finds the certificate among
their documents but none of the company's fields among their values. The rule comes from the
document types (each identifier field's ``describes``), by document type and the field that
named the subject; a pair it does not list only lists the document.

For each field name the best value wins: one that may be used as it is (auto-accepted, or
verified by an operator) before one waiting for review, one from a current document before one
from an expired or superseded one (``storage.currency``), an operator's before one accepted
unseen, then the one from the document received last, as the most current.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from models.errors import NotFoundError
from models.status import USABLE_FIELDS, FieldStatus, SubjectKind
from models.tables import Document, DocumentSubject, Dossier, ExtractedField, Subject
from storage.repository import Agencies, within

SubjectFields = Mapping[tuple[str, str], frozenset[str]]
"""By (document type, identifier field), the fields describing the subject it names."""

_IDENTIFIER_NAMES = {SubjectKind.CITIZEN: "CCCD number", SubjectKind.ENTERPRISE: "code"}


@dataclass(frozen=True)
class Mention:
    """A document that names a subject, with its dossier's receipt code and the naming field."""

    document: Document
    receipt_code: str
    field_name: str


def find_subject(session: Session, kind: SubjectKind, identifier: str) -> Subject:
    """The subject known by ``identifier`` (normalised as extraction stores it)."""
    query = select(Subject).where(Subject.kind == kind, Subject.identifier == identifier)
    subject = session.scalars(query).one_or_none()
    if subject is None:
        raise not_found(kind, identifier)
    return subject


def not_found(kind: SubjectKind, identifier: str) -> NotFoundError:
    return NotFoundError(
        f"no {kind} with {_IDENTIFIER_NAMES[kind]} {identifier} appears in any digitized document",
        code=f"{kind}_not_found",
    )


def subject_mentions(session: Session, subject_id: str, agencies: Agencies = None) -> list[Mention]:
    """Every document naming the subject, oldest first; only ``agencies``' when given."""
    query = (
        select(Document, Dossier.receipt_code, DocumentSubject.field_name)
        .join(DocumentSubject, DocumentSubject.document_id == Document.id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(DocumentSubject.subject_id == subject_id, *within(agencies))
        .order_by(Document.created_at, Document.id)
    )
    return [Mention(*row) for row in session.execute(query)]


def known_values(
    session: Session,
    subject_id: str,
    describing: SubjectFields,
    agencies: Agencies = None,
    current_documents: Collection[str] = frozenset(),
) -> dict[str, ExtractedField]:
    """Per field name, the best value the documents about the subject hold (see the module),
    from ``agencies``' dossiers only when given; ``current_documents`` are those still current."""
    if not describing:
        return {}
    describes_subject = or_(
        *(
            and_(
                Document.document_type == document_type,
                DocumentSubject.field_name == named_by,
                ExtractedField.name.in_(sorted(names)),
            )
            for (document_type, named_by), names in describing.items()
        )
    )
    query = (
        select(ExtractedField, Document.created_at)
        .join(Document, Document.id == ExtractedField.document_id)
        .join(DocumentSubject, DocumentSubject.document_id == Document.id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(
            DocumentSubject.subject_id == subject_id,
            ExtractedField.value.is_not(None),
            describes_subject,
            *within(agencies),
        )
    )
    return _best_per_name(session.execute(query), current_documents)


def _best_per_name(
    candidates: Iterable[tuple[ExtractedField, datetime]], current_documents: Collection[str]
) -> dict[str, ExtractedField]:
    best: dict[str, tuple[tuple[bool, bool, bool, datetime, datetime, int], ExtractedField]] = {}
    for field, received_at in candidates:
        usable = field.status in USABLE_FIELDS
        current = field.document_id in current_documents
        verified = field.status == FieldStatus.VERIFIED
        rank = (usable, current, verified, received_at, field.updated_at, field.id)
        if field.name not in best or rank > best[field.name][0]:
            best[field.name] = (rank, field)
    return {name: best[name][1] for name in sorted(best)}
