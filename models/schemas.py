"""API schemas (pydantic): what processing systems and the scanner client read and send."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field

from models.status import DocumentStatus, DossierStatus, PageStatus, TextSource


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable, stable")
    message: str = Field(description="for a person: what is wrong and what to do")


class ErrorPublic(BaseModel):
    error: ErrorBody


class PagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    index: int
    status: PageStatus
    width: int
    height: int
    dpi: int | None
    word_count: int | None
    ocr_confidence: float | None
    text_source: TextSource | None = Field(description="ocr, or the PDF's own text layer")
    rotation: int | None = Field(description="clockwise degrees the page was turned in the scan")
    skew_degrees: float | None = Field(description="skew measured (and corrected) before OCR")
    blank: bool
    ocr_dpi: int | None = Field(description="resolution OCR read the page at")
    preprocessing: str | None = Field(description="steps applied before OCR, comma-separated")
    error_reason: str | None


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
    error_code: str | None
    error_reason: str | None
    created_at: datetime
    updated_at: datetime
    pages: list[PagePublic]

    @computed_field(description="pages whose OCR has ended (read or failed)")  # type: ignore[prop-decorator]
    @property
    def pages_done(self) -> int:
        return sum(1 for page in self.pages if page.status != PageStatus.PENDING)


class DossierPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    receipt_code: str
    procedure_code: str
    agency: str
    status: DossierStatus
    received_at: datetime
    updated_at: datetime
    documents: list[DocumentPublic]

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
