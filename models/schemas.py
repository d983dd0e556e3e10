"""API schemas (pydantic): what processing systems and the scanner client read and send."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, computed_field

from models.signing_schemas import SignedVersionPublic
from models.status import (
    DocumentStatus,
    DossierStatus,
    FieldStatus,
    PageStatus,
    SubjectKind,
    TextSource,
)


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable, stable")
    message: str = Field(description="for a person: what is wrong and what to do")


class ErrorPublic(BaseModel):
    error: ErrorBody


class ReusedPage(BaseModel):
    """The page read before whose words a reused page copied."""

    model_config = ConfigDict(from_attributes=True)

    document_id: str
    index: int


class PagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    index: int
    status: PageStatus
    width: int
    height: int
    dpi: int | None
    word_count: int | None
    ocr_confidence: float | None
    text_source: TextSource | None = Field(
        description="ocr; text_layer: a born-digital PDF's own text; scan_text_layer: a text "
        "layer over a scanned image, checked against OCR of that image; reused: the words of "
        "the same page read before (reused_from), pixel for pixel or a re-scan whose "
        "identifiers OCR read the same where they were"
    )
    reused_from: ReusedPage | None = Field(
        description="for a reused page, the document and page its words were copied from"
    )
    rotation: int | None = Field(description="clockwise degrees the page was turned in the scan")
    skew_degrees: float | None = Field(description="skew measured (and corrected) before OCR")
    blank: bool
    ocr_dpi: int | None = Field(description="resolution OCR read the page at")
    judged_dpi: int | None = Field(
        description="the page's resolution as judged: the file's, or measured from its letters "
        "when the file says none or one they contradict"
    )
    dpi_source: str | None = Field(
        description="where judged_dpi comes from: metadata, paper_size (the image is a common "
        "paper or card size at it), estimated (from the letters' size) or assumed"
    )
    preprocessing: str | None = Field(description="steps applied before OCR, comma-separated")
    error_reason: str | None


class FieldReviewState(BaseModel):
    """Just enough of a field row to count it; the dossier view loads no more than this."""

    model_config = ConfigDict(from_attributes=True)

    status: FieldStatus


class DocumentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    dossier_id: str
    filename: str
    sha256: str
    media_type: str | None
    size_bytes: int
    status: DocumentStatus
    page_count: int | None
    mean_confidence: float | None
    force_ocr: bool
    result: bool = Field(
        validation_alias="is_result",
        description="a result the agency issued for the dossier, not a paper handed in",
    )
    issued_number: str | None = Field(default=None, description="a result's number")
    issued_on: date | None = Field(default=None, description="a result's date of issue")
    document_type: str | None = Field(description="the type it was classified as, or unknown")
    error_code: str | None
    error_reason: str | None
    created_at: datetime
    updated_at: datetime
    pages: list[PagePublic]
    signed_versions: list[SignedVersionPublic] = Field(
        validation_alias="signed_copies",
        description="the signed archival copies, oldest first: each correction adds one",
    )
    field_states: list[FieldReviewState] = Field(validation_alias="fields", exclude=True)

    @computed_field(description="pages whose OCR has ended (read or failed)")  # type: ignore[prop-decorator]
    @property
    def pages_done(self) -> int:
        return sum(1 for page in self.pages if page.status != PageStatus.PENDING)

    @computed_field(description="values that may be used as they are")  # type: ignore[prop-decorator]
    @property
    def fields_auto_accepted(self) -> int:
        return sum(1 for field in self.field_states if field.status == FieldStatus.AUTO_ACCEPTED)

    @computed_field(description="values waiting for an operator")  # type: ignore[prop-decorator]
    @property
    def fields_needing_review(self) -> int:
        return sum(1 for field in self.field_states if field.status == FieldStatus.NEEDS_REVIEW)


class ComponentPublic(BaseModel):
    """One paper the dossier's procedure asks for, and the documents that are it."""

    document_type: str
    label: str = Field(description="the paper as the procedure's list of papers names it")
    copies: int = Field(description="how many the dossier should hold")
    document_ids: list[str]
    missing: bool
    repeated: bool = Field(description="found more often than `copies`: a paper scanned twice?")


class DossierComponents(BaseModel):
    """The procedure's papers against the dossier's typed documents."""

    procedure_code: str
    pending_documents: int = Field(
        description="documents still being read: a paper missing now may be among them"
    )
    missing: list[str] = Field(description="labels of the papers not found")
    repeated: list[str] = Field(description="labels of the papers found more than expected")
    components: list[ComponentPublic]

    @computed_field(description="every paper found, and no document left to read")  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        return not self.missing and self.pending_documents == 0


class DossierPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    receipt_code: str
    procedure_code: str
    agency: str
    status: DossierStatus
    received_at: datetime
    due_on: date | None = Field(description="the day the receipt promises the result")
    updated_at: datetime
    documents: list[DocumentPublic]
    components: DossierComponents | None = Field(
        default=None,
        description="the papers the procedure asks for, found or missing; null when the "
        "procedure catalogue lists none for this procedure code",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages_done(self) -> int:
        return sum(document.pages_done for document in self.documents)

    @computed_field(description="pages found so far; grows as documents are split")  # type: ignore[prop-decorator]
    @property
    def pages_total(self) -> int:
        return sum(document.page_count or 0 for document in self.documents)


class DossierList(BaseModel):
    items: list[DossierPublic]
    total: int
    limit: int
    offset: int


class AcceptedDocument(BaseModel):
    id: str
    filename: str
    sha256: str
    status: DocumentStatus
    duplicate: bool = Field(description="the dossier already held these bytes; nothing new")
    error_code: str | None
    error_reason: str | None


class DossierAccepted(BaseModel):
    dossier_id: str
    receipt_code: str
    status: DossierStatus
    status_url: str
    documents: list[AcceptedDocument]


def _parse_stored_json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


StoredJson = BeforeValidator(_parse_stored_json)
"""A field row keeps its lists and mappings as JSON text, which both databases store alike;
parsed here on the way out."""

DETAILS_DESCRIPTION = (
    "what the value was resolved to beyond its text, as strings by key. The keys depend on the "
    "kind of value and on what could be resolved, so treat each as optional: an address gives "
    "its administrative units as written (`province`, `ward`, `district` when it names one), "
    "the units that hold them since the 2025 merger (`province_now`, `ward_now`) and `units`; "
    "a procedure its catalogue `code`, `name`, `level` and `sector`. Empty when nothing was "
    "resolved, and for values read before details were recorded"
)


class FieldReason(BaseModel):
    """One piece of evidence about a field's value."""

    text: str = Field(
        description="the evidence in a few words, e.g. 'label 97', 'least sure word 91', "
        "'ward and province found and nested', 'ran past a sentence end'; written for a person "
        "and free to change wording, so show or log it, do not branch on it"
    )
    supports: bool = Field(
        description="true: evidence for the value; false: against it, what lowered its "
        "confidence or kept it from being accepted"
    )


class FieldPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    raw_text: str = Field(description="as read on the page")
    value: str | None = Field(description="normalised; None when it could not be read")
    confidence: float = Field(description="0..1: OCR, label match and validation together")
    status: FieldStatus
    source: TextSource = Field(
        description="where the words it was read from came from: ocr, text_layer, "
        "scan_text_layer, reused (the page's words were copied from the same page read before: "
        "see the page's reused_from), or operator"
    )
    page: int | None
    box_left: int | None = Field(description="box in page-image pixels, like the words'")
    box_top: int | None
    box_width: int | None
    box_height: int | None
    problems: Annotated[list[str], StoredJson] = Field(
        description="what the validators found wrong, for the reviewer"
    )
    reasons: Annotated[list[FieldReason], StoredJson] = Field(
        description="why the field has its status: the evidence for and against the value. "
        "Empty for values read before reasons were recorded"
    )
    details: Annotated[dict[str, str], StoredJson] = Field(description=DETAILS_DESCRIPTION)


class DocumentFields(BaseModel):
    document_id: str
    document_type: str | None
    type_score: float | None
    fields: list[FieldPublic]


class DossierFields(BaseModel):
    dossier_id: str
    receipt_code: str
    documents: list[DocumentFields] = Field(description="in the order they were received")


class SubjectDocument(BaseModel):
    """A document that names a subject, and where to find it."""

    document_id: str
    dossier_id: str
    receipt_code: str
    document_type: str | None
    filename: str
    named_by: str = Field(description="the field the identifier was read from")
    received_at: datetime
    result: bool = Field(
        default=False, description="a result the agency issued, not a paper handed in"
    )
    issued_number: str | None = None
    issued_on: date | None = None
    current: bool = Field(
        default=True,
        description="false for a card past its expiry date, or a document superseded by a "
        "newer one of the same type naming the subject by the same field",
    )
    not_current_since: date | None = Field(default=None, description="the day it stopped")
    not_current_because: Literal["expired", "superseded"] | None = None


class KnownValue(BaseModel):
    """The value a subject's documents agree on best for one field, with its provenance."""

    model_config = ConfigDict(from_attributes=True)

    value: str
    status: FieldStatus
    source: TextSource = Field(
        description="ocr, a born-digital PDF's text layer, a scan's text layer (checked "
        "against OCR of the image), a page reused from one read before, or an operator"
    )
    confidence: float
    document_id: str = Field(description="the document it was read from")
    page: int | None
    updated_at: datetime = Field(description="when it was read or last corrected")
    details: Annotated[dict[str, str], StoredJson] = Field(description=DETAILS_DESCRIPTION)
    verified: bool = Field(
        default=False,
        description="an operator's value (verified), not one accepted unseen (auto-accepted)",
    )
    current: bool = Field(
        default=True,
        description="false when its document is not current any more (see the document's "
        "`current`): flagged, not hidden",
    )
    not_current_since: date | None = None
    not_current_because: Literal["expired", "superseded"] | None = None


class SubjectPublic(BaseModel):
    """Everything digitized about a citizen or an enterprise, so nobody asks for it twice."""

    kind: SubjectKind
    identifier: str = Field(description="CCCD number, or enterprise code")
    first_seen: datetime
    documents: list[SubjectDocument] = Field(description="every document naming it, oldest first")
    known_values: dict[str, KnownValue] = Field(
        description="per field name, the best value from the documents about this subject: "
        "usable values (auto-accepted or verified by an operator) before ones needing review, an "
        "operator's before one accepted unseen, then the most recent"
    )
