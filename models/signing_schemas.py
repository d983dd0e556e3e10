"""API schemas of signed copies: a document's versions, and the verdict on a PDF presented."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field


class SignedVersionPublic(BaseModel):
    """One signed version of a document's archival copy."""

    model_config = ConfigDict(from_attributes=True)

    document_id: str = Field(exclude=True)
    version: int = Field(description="1 once read; one more for each correction of its text")
    signed_at: datetime
    sha256: str = Field(description="of the signed file, as served")
    size_bytes: int
    pdfa: str | None = Field(
        description="the PDF/A part and level claimed (2B); null when a font the original does "
        "not embed, or an LZW stream, keeps its pages from PDF/A"
    )
    certificate_subject: str
    certificate_sha256: str = Field(description="SHA-256 of the signing certificate (DER)")
    timestamped: bool = Field(description="whether a timestamp authority dated the signature")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def url(self) -> str:
        return f"/v1/documents/{self.document_id}/signed.pdf?version={self.version}"


class CertificatePublic(BaseModel):
    subject: str
    issuer: str
    serial_number: str
    sha256: str = Field(description="SHA-256 of the certificate (DER), hex")
    not_before: datetime
    not_after: datetime


class CopyVerdict(BaseModel):
    """Whether a PDF is a copy this service signed, unmodified since, and of what."""

    valid: bool = Field(
        description="signed by this service's certificate, trusted, intact, and nothing added "
        "since: every check below passed"
    )
    signed: bool = Field(description="the PDF carries a signature at all")
    intact: bool = Field(description="the signed bytes are unchanged and the signature is good")
    unmodified_since_signing: bool = Field(description="nothing was added after the signature")
    trusted: bool = Field(description="the certificate chains to a root this service trusts")
    signed_by_this_service: bool = Field(
        description="the certificate is the agency's, or one that signed a stored version"
    )
    known_version: bool = Field(
        description="the file is, byte for byte, a version this service stored"
    )
    certificate: CertificatePublic | None
    signed_at: datetime | None
    timestamped: bool
    reason: str | None
    location: str | None
    document_id: str | None = Field(description="as the copy's metadata names it")
    dossier_id: str | None
    receipt_code: str | None
    version: int | None
    latest_version: int | None = Field(
        description="the newest signed version of that document this service holds"
    )
    problems: list[str] = Field(description="why it is not valid, one sentence each")
