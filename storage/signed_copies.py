"""Signed versions of documents: the latest, all of them, one by number or by the file's hash,
the certificates that signed them, and the corrections a new version carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.errors import NotFoundError, UnavailableError
from models.status import DOCUMENT_READ, Resolution
from models.tables import Document, ExtractedField, ReviewTask, SignedCopy


def latest(session: Session, document_id: str) -> SignedCopy | None:
    query = (
        select(SignedCopy)
        .where(SignedCopy.document_id == document_id)
        .order_by(SignedCopy.version.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def versions(session: Session, document_id: str) -> list[SignedCopy]:
    query = select(SignedCopy).where(SignedCopy.document_id == document_id)
    return list(session.scalars(query.order_by(SignedCopy.version)))


def get_version(session: Session, document_id: str, version: int) -> SignedCopy:
    query = select(SignedCopy).where(
        SignedCopy.document_id == document_id, SignedCopy.version == version
    )
    found = session.scalars(query).one_or_none()
    if found is None:
        raise NotFoundError(
            f"document {document_id} has no signed version {version}",
            code="signed_version_not_found",
        )
    return found


def find_by_sha256(session: Session, sha256: str) -> SignedCopy | None:
    return session.scalars(select(SignedCopy).where(SignedCopy.sha256 == sha256)).first()


def signing_certificates(session: Session) -> list[str]:
    """Every certificate (PEM) that signed a stored version, once each."""
    query = select(SignedCopy.certificate_pem).distinct()
    return list(session.scalars(query))


def unsigned_documents(session: Session, before: datetime, limit: int) -> list[str]:
    """Documents read and unchanged since ``before``, with no signed version: their signing
    was lost, or they were read before signing was configured; the longest waiting first."""
    signed = select(SignedCopy.id).where(SignedCopy.document_id == Document.id)
    query = (
        select(Document.id)
        .where(Document.status.in_(DOCUMENT_READ), Document.updated_at < before, ~signed.exists())
        .order_by(Document.updated_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def add(session: Session, copy: SignedCopy) -> None:
    """Record a new version. Two signings of one document at once cannot both take a number:
    the second is told to run again (retryable), and finds the first's version then."""
    session.add(copy)
    try:
        session.flush()
    except IntegrityError as e:
        raise UnavailableError(
            f"document {copy.document_id} was signed as version {copy.version} meanwhile"
        ) from e


def corrected_fields(session: Session, document_id: str) -> list[ExtractedField]:
    """The fields an operator keyed a new value for, whose words a signed copy replaces."""
    query = (
        select(ExtractedField)
        .join(ReviewTask, ReviewTask.field_id == ExtractedField.id)
        .where(
            ExtractedField.document_id == document_id,
            ReviewTask.closed.is_(True),
            ReviewTask.resolution == Resolution.CORRECTED,
        )
        .order_by(ExtractedField.id)
    )
    return list(session.scalars(query))
