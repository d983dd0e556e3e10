"""Statuses of dossiers, documents and pages, and the only moves each may make.

Status lives in SQL and only moves forward: a job that runs twice finds the row already past
its step and changes nothing. ``failed`` is terminal but never deletes anything.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from models.errors import InvalidTransitionError


class DossierStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    DIGITIZED = "digitized"
    NEEDS_REVIEW = "needs_review"
    """A document failed, or has fields waiting for an operator."""
    VERIFIED = "verified"
    """Every document read, none failed, and an operator settled each field sent to review."""


class DocumentStatus(StrEnum):
    RECEIVED = "received"
    PREPARING = "preparing"
    RECOGNIZING = "recognizing"
    DIGITIZED = "digitized"
    """Read, and every field accepted without review."""
    NEEDS_REVIEW = "needs_review"
    """Read, with review tasks open on some of its fields."""
    VERIFIED = "verified"
    """Read, and its last review task closed."""
    FAILED = "failed"


class PageStatus(StrEnum):
    PENDING = "pending"
    RECOGNIZED = "recognized"
    FAILED = "failed"


class TextSource(StrEnum):
    """Where words came from: OCR of the page image, the PDF's own text layer, the same page
    read before in another document, or (for a field's value) an operator who reviewed it.

    A text layer is trusted as the page's own text only on a born-digital page
    (``text_layer``). Over a scanned image (``scan_text_layer``) nothing ties its words to the
    pixels, so the page is OCRed as well and a field taken from the layer is accepted only
    where OCR of the image reads the same (``ocr.scan_layer``, ``ocr.fields.crosscheck``)."""

    OCR = "ocr"
    TEXT_LAYER = "text_layer"
    SCAN_TEXT_LAYER = "scan_text_layer"
    REUSED = "reused"
    """The page was found already read (pixel for pixel, or a re-scan whose identifiers read
    the same where they were) and its words copied from there (``ingest.page_reuse``)."""
    OPERATOR = "operator"


class FieldStatus(StrEnum):
    """Whether a field's value may be used as it is, or waits for an operator."""

    AUTO_ACCEPTED = "auto_accepted"
    NEEDS_REVIEW = "needs_review"
    VERIFIED = "verified"
    """An operator accepted the value or keyed the right one."""
    ABSENT = "absent"
    """An operator found the field missing from the paper, or unreadable on it."""


USABLE_FIELDS = frozenset({FieldStatus.AUTO_ACCEPTED, FieldStatus.VERIFIED})
"""Field statuses whose value may be reused as it is."""


class Resolution(StrEnum):
    """How an operator closed a review task."""

    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    ABSENT = "absent"


class DeliveryStatus(StrEnum):
    """Where a webhook delivery stands: owed (tried again with backoff), received, or given up
    after its day of retries (sent again only when asked)."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class SubjectKind(StrEnum):
    """Who a document is about, known by a valid identifier printed on it."""

    CITIZEN = "citizen"  # by CCCD number
    ENTERPRISE = "enterprise"  # by enterprise code (tax code)


_DOSSIER_MOVES: dict[DossierStatus, frozenset[DossierStatus]] = {
    DossierStatus.RECEIVED: frozenset({DossierStatus.PROCESSING}),
    DossierStatus.PROCESSING: frozenset(
        {DossierStatus.DIGITIZED, DossierStatus.NEEDS_REVIEW, DossierStatus.VERIFIED}
    ),
    # New documents may arrive for a dossier already done (a later upload of the same receipt).
    DossierStatus.DIGITIZED: frozenset({DossierStatus.PROCESSING}),
    DossierStatus.NEEDS_REVIEW: frozenset({DossierStatus.PROCESSING, DossierStatus.VERIFIED}),
    DossierStatus.VERIFIED: frozenset({DossierStatus.PROCESSING}),
}

_DOCUMENT_MOVES: dict[DocumentStatus, frozenset[DocumentStatus]] = {
    DocumentStatus.RECEIVED: frozenset({DocumentStatus.PREPARING, DocumentStatus.FAILED}),
    DocumentStatus.PREPARING: frozenset({DocumentStatus.RECOGNIZING, DocumentStatus.FAILED}),
    DocumentStatus.RECOGNIZING: frozenset(
        {DocumentStatus.DIGITIZED, DocumentStatus.NEEDS_REVIEW, DocumentStatus.FAILED}
    ),
    DocumentStatus.DIGITIZED: frozenset(),
    DocumentStatus.NEEDS_REVIEW: frozenset({DocumentStatus.VERIFIED}),
    DocumentStatus.VERIFIED: frozenset(),
    DocumentStatus.FAILED: frozenset(),
}

_PAGE_MOVES: dict[PageStatus, frozenset[PageStatus]] = {
    PageStatus.PENDING: frozenset({PageStatus.RECOGNIZED, PageStatus.FAILED}),
    PageStatus.RECOGNIZED: frozenset(),
    PageStatus.FAILED: frozenset(),
}

DOSSIER_SETTLED = frozenset(
    {DossierStatus.DIGITIZED, DossierStatus.NEEDS_REVIEW, DossierStatus.VERIFIED}
)
"""Dossiers with no document left to read."""

DOCUMENT_READ = frozenset(
    {DocumentStatus.DIGITIZED, DocumentStatus.NEEDS_REVIEW, DocumentStatus.VERIFIED}
)
"""Documents whose pages were all read: their text, words and fields exist."""
DOCUMENT_DONE = DOCUMENT_READ | {DocumentStatus.FAILED}
"""Documents no worker has anything left to do on."""


def document_when_read(open_tasks: int) -> DocumentStatus:
    """Where a document goes once its pages are read and its fields extracted."""
    return DocumentStatus.NEEDS_REVIEW if open_tasks else DocumentStatus.DIGITIZED


def dossier_when_settled(documents: Collection[DocumentStatus]) -> DossierStatus | None:
    """The status a dossier settles at from its documents' statuses; None while one of them is
    still being read. A failed document, or one with fields waiting, keeps it in review; it is
    verified once an operator has closed every task of its documents."""
    if not documents or any(status not in DOCUMENT_DONE for status in documents):
        return None
    if any(s in (DocumentStatus.FAILED, DocumentStatus.NEEDS_REVIEW) for s in documents):
        return DossierStatus.NEEDS_REVIEW
    if DocumentStatus.VERIFIED in documents:
        return DossierStatus.VERIFIED
    return DossierStatus.DIGITIZED


def dossier_sources(target: DossierStatus) -> frozenset[DossierStatus]:
    """The statuses a dossier may move to ``target`` from."""
    return frozenset(s for s, moves in _DOSSIER_MOVES.items() if target in moves)


def document_sources(target: DocumentStatus) -> frozenset[DocumentStatus]:
    """The statuses a document may move to ``target`` from."""
    return frozenset(s for s, moves in _DOCUMENT_MOVES.items() if target in moves)


def page_sources(target: PageStatus) -> frozenset[PageStatus]:
    """The statuses a page may move to ``target`` from."""
    return frozenset(s for s, moves in _PAGE_MOVES.items() if target in moves)


def check_document_move(current: DocumentStatus, target: DocumentStatus) -> None:
    """Raise when ``current`` may not move to ``target``; staying put is always allowed."""
    if current != target and target not in _DOCUMENT_MOVES[current]:
        raise InvalidTransitionError(f"a document may not move from {current} to {target}")


def check_dossier_move(current: DossierStatus, target: DossierStatus) -> None:
    """Raise when ``current`` may not move to ``target``; staying put is always allowed."""
    if current != target and target not in _DOSSIER_MOVES[current]:
        raise InvalidTransitionError(f"a dossier may not move from {current} to {target}")
