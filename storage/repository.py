"""Queries and state changes on the metadata database.

Every state change is a compare-and-set (``UPDATE ... WHERE status IN (allowed sources)``), so a
job that runs twice, or two workers racing, can never move a row backwards.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from models.errors import NotFoundError
from models.status import (
    DOCUMENT_DONE,
    DocumentStatus,
    DossierStatus,
    FieldStatus,
    PageStatus,
    SubjectKind,
    check_document_move,
    check_dossier_move,
    document_sources,
    dossier_sources,
    dossier_when_settled,
    page_sources,
)
from models.tables import (
    Document,
    DocumentSubject,
    Dossier,
    ExtractedField,
    Page,
    ReviewTask,
    Subject,
    utcnow,
)
from storage import events, search_index


@dataclass(frozen=True)
class NewDossier:
    receipt_code: str
    procedure_code: str
    agency: str
    due_on: date | None = None
    """The day the receipt promises the result, where the desk gives it."""


def get_or_create_dossier(session: Session, new: NewDossier) -> Dossier:
    """The dossier with this receipt code, created on first sight.

    A later upload under the same receipt code adds to the same dossier (the desk scans a
    missing paper afterwards), so the receipt code is the natural key, not the request.
    """
    found = find_dossier(session, new.receipt_code)
    if found is not None:
        if new.due_on is not None:  # the latest appointment stated stands (it may be moved)
            found.due_on = new.due_on
        return found
    dossier = Dossier(
        receipt_code=new.receipt_code,
        procedure_code=new.procedure_code,
        agency=new.agency,
        due_on=new.due_on,
    )
    try:
        with session.begin_nested():
            session.add(dossier)
    except IntegrityError:  # another request created it between our select and insert
        found = find_dossier(session, new.receipt_code)
        assert found is not None
        return found
    return dossier


def find_document(session: Session, dossier_id: str, sha256: str) -> Document | None:
    query = select(Document).where(Document.dossier_id == dossier_id, Document.sha256 == sha256)
    return session.scalars(query).one_or_none()


def add_document(session: Session, document: Document) -> tuple[Document, bool]:
    """Add ``document`` unless its dossier already holds the same bytes.

    Returns the stored document and whether it was new.
    """
    existing = find_document(session, document.dossier_id, document.sha256)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            session.add(document)
    except IntegrityError:
        return session.scalars(
            select(Document).where(
                Document.dossier_id == document.dossier_id, Document.sha256 == document.sha256
            )
        ).one(), False
    return document, True


# What the dossier view shows of each document: its pages, and its fields' statuses to count,
# each loaded for all documents at once (one query apiece, however many documents).
_DOCUMENT_SUMMARIES = selectinload(Dossier.documents).options(
    selectinload(Document.pages).selectinload(Page.reused_from),
    selectinload(Document.fields).load_only(ExtractedField.status),
    selectinload(Document.signed_copies),
)


Agencies = Collection[str] | None
"""The agencies a caller reaches; None: all. Rows of other agencies are not found, exactly as
rows that do not exist, so that their ids cannot be probed."""


def within(agencies: Agencies) -> list[ColumnElement[bool]]:
    """The condition keeping the dossiers of ``agencies`` (none when every agency is reached)."""
    return [] if agencies is None else [Dossier.agency.in_(sorted(agencies))]


def find_dossier(session: Session, receipt_code: str) -> Dossier | None:
    return session.scalars(
        select(Dossier).where(Dossier.receipt_code == receipt_code)
    ).one_or_none()


def find_dossier_summary(session: Session, receipt_code: str) -> Dossier | None:
    """The dossier with this receipt code, its documents and pages loaded for its progress."""
    query = select(Dossier).where(Dossier.receipt_code == receipt_code).options(_DOCUMENT_SUMMARIES)
    return session.scalars(query).one_or_none()


def get_dossier(session: Session, dossier_id: str, agencies: Agencies = None) -> Dossier:
    query = (
        select(Dossier)
        .where(Dossier.id == dossier_id, *within(agencies))
        .options(_DOCUMENT_SUMMARIES)
    )
    return _found_dossier(session.scalars(query).one_or_none(), dossier_id)


def get_dossier_fields(session: Session, dossier_id: str, agencies: Agencies = None) -> Dossier:
    """The dossier with every field of its documents loaded whole."""
    query = (
        select(Dossier)
        .where(Dossier.id == dossier_id, *within(agencies))
        .options(selectinload(Dossier.documents).selectinload(Document.fields))
    )
    return _found_dossier(session.scalars(query).one_or_none(), dossier_id)


def _found_dossier(dossier: Dossier | None, dossier_id: str) -> Dossier:
    if dossier is None:
        raise NotFoundError(f"no dossier with id {dossier_id}", code="dossier_not_found")
    return dossier


def list_dossiers(
    session: Session,
    *,
    status: DossierStatus | None = None,
    receipt_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
    agencies: Agencies = None,
) -> tuple[list[Dossier], int]:
    """A page of dossiers, newest first, and how many match in all."""
    conditions = within(agencies)
    if status is not None:
        conditions.append(Dossier.status == status)
    if receipt_code is not None:
        conditions.append(Dossier.receipt_code == receipt_code)
    total = session.scalar(select(func.count()).select_from(Dossier).where(*conditions)) or 0
    query = (
        select(Dossier)
        .where(*conditions)
        .order_by(Dossier.received_at.desc(), Dossier.id)
        .limit(limit)
        .offset(offset)
        .options(_DOCUMENT_SUMMARIES)
    )
    return list(session.scalars(query)), total


def get_document(session: Session, document_id: str, agencies: Agencies = None) -> Document:
    query = (
        select(Document)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Document.id == document_id, *within(agencies))
        .options(selectinload(Document.pages).selectinload(Page.reused_from))
    )
    document = session.scalars(query).one_or_none()
    if document is None:
        raise NotFoundError(f"no document with id {document_id}", code="document_not_found")
    return document


def get_page(session: Session, document_id: str, index: int, agencies: Agencies = None) -> Page:
    query = (
        select(Page)
        .join(Document, Document.id == Page.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Page.document_id == document_id, Page.index == index, *within(agencies))
    )
    page = session.scalars(query).one_or_none()
    if page is None:
        raise NotFoundError(f"document {document_id} has no page {index}", code="page_not_found")
    return page


def move_document(
    session: Session, document_id: str, target: DocumentStatus, **values: Any
) -> bool:
    """Move a document to ``target`` (setting ``values`` too) if its status allows it.

    Returns False when the document was already there or past it: the caller's work is done.
    """
    result = session.execute(
        update(Document)
        .where(Document.id == document_id, Document.status.in_(document_sources(target)))
        .values(status=target, updated_at=utcnow(), **values)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        events.record_document_move(session, document_id, target)
        return True
    current = get_document(session, document_id).status
    if current != target and current not in DOCUMENT_DONE:
        check_document_move(current, target)
    return False


def fail_document(session: Session, document_id: str, code: str, reason: str) -> bool:
    """Mark a document failed with a reason a person can act on; its original stays stored."""
    return move_document(
        session, document_id, DocumentStatus.FAILED, error_code=code, error_reason=reason
    )


def move_dossier(session: Session, dossier_id: str, target: DossierStatus) -> bool:
    """Move a dossier to ``target`` if allowed; False when it is there already."""
    result = session.execute(
        update(Dossier)
        .where(Dossier.id == dossier_id, Dossier.status.in_(dossier_sources(target)))
        .values(status=target, updated_at=utcnow())
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        events.record_dossier_move(session, dossier_id, target)
        return True
    current = session.scalar(select(Dossier.status).where(Dossier.id == dossier_id))
    if current is None:
        raise NotFoundError(f"no dossier with id {dossier_id}", code="dossier_not_found")
    check_dossier_move(current, target)
    return False


def record_page(session: Session, page: Page) -> Page:
    """Store a page row once; a second call for the same page returns the first row."""
    existing = session.scalars(
        select(Page).where(Page.document_id == page.document_id, Page.index == page.index)
    ).one_or_none()
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            session.add(page)
    except IntegrityError:
        return get_page(session, page.document_id, page.index)
    return page


def finish_page(
    session: Session, document_id: str, index: int, target: PageStatus, **values: Any
) -> bool:
    """Move a pending page to ``target`` (recognized or failed); False when already moved. Its
    document's deadline restarts: the reconciler waits on progress, page by page, so a long
    document being read is never taken for a stuck one."""
    now = utcnow()
    result = session.execute(
        update(Page)
        .where(
            Page.document_id == document_id,
            Page.index == index,
            Page.status.in_(page_sources(target)),
        )
        .values(status=target, updated_at=now, **values)
    )
    moved = result.rowcount == 1  # type: ignore[attr-defined]
    if moved:
        session.execute(update(Document).where(Document.id == document_id).values(updated_at=now))
    return moved


def document_statuses(session: Session, dossier_id: str) -> list[DocumentStatus]:
    query = select(Document.status).where(Document.dossier_id == dossier_id)
    return list(session.scalars(query))


def stale_documents(session: Session, older_than: datetime) -> list[Document]:
    """Documents still in progress that have not moved since ``older_than``."""
    query = select(Document).where(
        Document.status.not_in(DOCUMENT_DONE), Document.updated_at < older_than
    )
    return list(session.scalars(query))


def unsettled_dossiers(session: Session) -> list[str]:
    """Dossiers still processing although every document of theirs is done."""
    open_documents = select(Document.id).where(
        Document.dossier_id == Dossier.id, Document.status.not_in(DOCUMENT_DONE)
    )
    any_document = select(Document.id).where(Document.dossier_id == Dossier.id)
    query = select(Dossier.id).where(
        Dossier.status == DossierStatus.PROCESSING,
        any_document.exists(),
        ~open_documents.exists(),
    )
    return list(session.scalars(query))


def redeliver(session: Session, document_id: str) -> None:
    """Count one more delivery of a document's work and restart its deadline (the reconciler is
    about to re-enqueue it)."""
    session.execute(
        update(Document)
        .where(Document.id == document_id)
        .values(updated_at=utcnow(), redeliveries=Document.redeliveries + 1)
    )


def document_fields(session: Session, document_id: str) -> list[ExtractedField]:
    query = select(ExtractedField).where(ExtractedField.document_id == document_id)
    return list(session.scalars(query.order_by(ExtractedField.id)))


def replace_fields(
    session: Session, document_id: str, fields: list[ExtractedField]
) -> list[ExtractedField]:
    """The document's fields become ``fields`` (a second extraction replaces the first), and
    each of them that needs review becomes an open review task.

    Extraction runs before a document is read to its end, so no operator has reviewed any of
    the fields replaced: their tasks go with them."""
    session.execute(delete(ReviewTask).where(ReviewTask.document_id == document_id))
    session.execute(delete(ExtractedField).where(ExtractedField.document_id == document_id))
    session.add_all(fields)
    session.flush()
    search_index.index_fields(session, document_id, fields)
    dossier_id = session.scalar(select(Document.dossier_id).where(Document.id == document_id))
    session.add_all(
        ReviewTask(
            field_id=field.id,
            document_id=document_id,
            dossier_id=dossier_id,
            document_type=field.document_type,
            field_name=field.name,
        )
        for field in fields
        if field.status == FieldStatus.NEEDS_REVIEW
    )
    return fields


def open_task_count(session: Session, document_id: str) -> int:
    query = select(func.count()).where(ReviewTask.document_id == document_id, ~ReviewTask.closed)
    return session.scalar(query) or 0


def settle_dossier(session: Session, dossier_id: str) -> DossierStatus | None:
    """Move the dossier to the status its documents give it (``dossier_when_settled``), once
    none of them is still being read; returns where it moved, or None when it did not."""
    target = dossier_when_settled(document_statuses(session, dossier_id))
    if target is None or not move_dossier(session, dossier_id, target):
        return None
    return target


def link_subject(
    session: Session, document_id: str, kind: SubjectKind, identifier: str, field_name: str
) -> Subject:
    """The subject known by ``identifier``, created on first sight, linked to the document."""
    query = select(Subject).where(Subject.kind == kind, Subject.identifier == identifier)
    subject = session.scalars(query).one_or_none()
    if subject is None:
        try:
            with session.begin_nested():
                subject = Subject(kind=kind, identifier=identifier)
                session.add(subject)
        except IntegrityError:  # another worker created it just now
            subject = session.scalars(query).one()
    link = session.get(DocumentSubject, (document_id, subject.id))
    if link is None:
        session.add(DocumentSubject(document_id=document_id, subject_id=subject.id,
                                    field_name=field_name))  # fmt: skip
    return subject
