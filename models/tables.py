"""The metadata tables (SQLAlchemy 2 typed mappings).

Identifiers are UUID strings so that object keys (``documents/<id>/...``) and rq job ids can be
derived from them on any host without asking the database.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from models.access import AuditKind, Role
from models.status import (
    DeliveryStatus,
    DocumentStatus,
    DossierStatus,
    FieldStatus,
    PageStatus,
    Resolution,
    SubjectKind,
    TextSource,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def status_column(enum: type[StrEnum]) -> Enum:
    """Statuses are stored as their plain text values, so both databases read them alike."""
    return Enum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Dossier(Base):
    """One application's paper file, identified at the desk by its receipt code."""

    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    receipt_code: Mapped[str] = mapped_column(String(64), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(255))
    status: Mapped[DossierStatus] = mapped_column(
        status_column(DossierStatus), default=DossierStatus.RECEIVED, index=True
    )
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    """The day the receipt promises the result (*ngày hẹn trả kết quả*), where the desk gave it."""
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    documents: Mapped[list[Document]] = relationship(
        back_populates="dossier", order_by="Document.created_at"
    )


class Document(Base):
    """One uploaded file of a dossier; its bytes live once in the store under their SHA-256."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("dossier_id", "sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    page_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[DocumentStatus] = mapped_column(
        status_column(DocumentStatus), default=DocumentStatus.RECEIVED, index=True
    )
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_reason: Mapped[str | None] = mapped_column(Text)
    redeliveries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Times the reconciler delivered the document's work again: capped, so that it ends."""
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    force_ocr: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_result: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A result the agency issued for the dossier (a licence, a certificate, a decision), not a
    paper the applicant handed in."""
    document_type: Mapped[str | None] = mapped_column(String(64), index=True)
    type_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    pages: Mapped[list[Page]] = relationship(back_populates="document", order_by="Page.index")
    # Read-only: field rows are written through ``repository.replace_fields``, never this list.
    fields: Mapped[list[ExtractedField]] = relationship(order_by="ExtractedField.id", viewonly=True)
    signed_copies: Mapped[list[SignedCopy]] = relationship(
        order_by="SignedCopy.version", viewonly=True
    )


class Page(Base):
    """One page image of a document and what OCR read on it."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    dpi: Mapped[int | None] = mapped_column(Integer)
    image_key: Mapped[str] = mapped_column(String(255))
    words_key: Mapped[str | None] = mapped_column(String(255))
    word_count: Mapped[int | None] = mapped_column(Integer)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    text_source: Mapped[TextSource | None] = mapped_column(status_column(TextSource))
    rotation: Mapped[int | None] = mapped_column(Integer)
    skew_degrees: Mapped[float | None] = mapped_column(Float)
    blank: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ocr_dpi: Mapped[int | None] = mapped_column(Integer)
    judged_dpi: Mapped[int | None] = mapped_column(Integer)
    """The page's resolution as OCR judged it; ``dpi`` is what the file said, if anything."""
    dpi_source: Mapped[str | None] = mapped_column(String(16))  # ocr.resolution.DpiSource
    preprocessing: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[PageStatus] = mapped_column(
        status_column(PageStatus), default=PageStatus.PENDING
    )
    error_reason: Mapped[str | None] = mapped_column(Text)
    perceptual_hash: Mapped[str | None] = mapped_column(String(64))
    """The page image's 256-bit pHash, hex (``ocr.fingerprint``); its bands are indexed in
    ``page_hash_bands``."""
    pixels_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    """SHA-256 of the page image's grey pixels: equal for pixel-identical pages."""
    reused_from_page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"))
    """The page whose words this one copied, when its text source is ``reused``."""
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    document: Mapped[Document] = relationship(back_populates="pages")
    reused_from: Mapped[Page | None] = relationship(remote_side=[id])


class PageHashBand(Base):
    """One band of a page's perceptual hash, so that pages sharing a band with a new page are
    found by the index on (band, value) rather than by comparing every page's hash."""

    __tablename__ = "page_hash_bands"
    __table_args__ = (Index("ix_page_hash_bands_band_value", "band", "value"),)

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ExtractedField(Base):
    """One value read from a document, with where it was and how far it can be trusted."""

    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    raw_text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int | None] = mapped_column(Integer)
    box_left: Mapped[int | None] = mapped_column(Integer)
    box_top: Mapped[int | None] = mapped_column(Integer)
    box_width: Mapped[int | None] = mapped_column(Integer)
    box_height: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[TextSource] = mapped_column(status_column(TextSource))
    status: Mapped[FieldStatus] = mapped_column(status_column(FieldStatus), index=True)
    problems: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of messages
    # JSON list of {"text", "supports"}: the evidence for and against the value
    reasons: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # JSON object of strings: what the value was resolved to (an address's units, ...)
    details: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Subject(Base):
    """A citizen or an enterprise, created the first time a valid identifier of theirs is read."""

    __tablename__ = "subjects"
    __table_args__ = (UniqueConstraint("kind", "identifier"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[SubjectKind] = mapped_column(status_column(SubjectKind))
    identifier: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentSubject(Base):
    """A document is about a subject, through the field that names them."""

    __tablename__ = "document_subjects"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True, index=True)
    field_name: Mapped[str] = mapped_column(String(64))


class ApiKey(Base):
    """A caller of the API. The token is shown once, at creation; only its hash is kept."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    """The token's public part (``sohoa_<id>_<secret>``), so that a key is found without a scan."""
    name: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(255))  # comma-separated ``Role`` values
    agencies: Mapped[str | None] = mapped_column(Text)  # JSON list; None: every agency
    secret_hash: Mapped[str] = mapped_column(String(255))  # argon2id, with its parameters
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(role) for role in self.roles.split(",") if role)

    @property
    def agency_set(self) -> frozenset[str] | None:
        """The agencies the key is scoped to; None when it is not scoped."""
        return None if self.agencies is None else frozenset(json.loads(self.agencies))


class AuditEvent(Base):
    """One read of personal data or one write: who, what, when, why, and how it ended.

    Rows are only ever added. The subject's identifier is kept so that an inquiry can ask who
    looked a citizen up; this table is read by the ``admin`` role alone.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    key_id: Mapped[str | None] = mapped_column(String(16), index=True)
    kind: Mapped[AuditKind] = mapped_column(status_column(AuditKind))
    action: Mapped[str] = mapped_column(String(64))  # the route's name, e.g. get_document_text
    dossier_id: Mapped[str | None] = mapped_column(String(36), index=True)
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    target: Mapped[str | None] = mapped_column(String(64))  # a page, a field, a key id
    subject_kind: Mapped[SubjectKind | None] = mapped_column(status_column(SubjectKind))
    subject_identifier: Mapped[str | None] = mapped_column(String(32), index=True)
    purpose: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)  # the HTTP status answered


class ReviewTask(Base):
    """A field sent to review, open until an operator accepts it, corrects it or marks it absent.

    An operator holds a task by a lease (``claimed_by`` until ``lease_until``), taken by a
    compare-and-set, so that two operators never work on the same field and a claim abandoned
    in a closed browser returns to the queue by itself. A corrected identifier waits in
    ``first_keying`` for a second keying that agrees with it.
    """

    __tablename__ = "review_tasks"
    __table_args__ = (
        Index("ix_review_tasks_resolved_by_closed_at", "resolved_by", "closed_at"),  # a day's work
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), unique=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(64))
    field_name: Mapped[str] = mapped_column(String(64))
    closed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(16))  # an API key's id
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_keying: Mapped[str | None] = mapped_column(Text)
    first_keyed_by: Mapped[str | None] = mapped_column(String(16))
    resolution: Mapped[Resolution | None] = mapped_column(status_column(Resolution))
    resolved_by: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    field: Mapped[ExtractedField] = relationship()
    document: Mapped[Document] = relationship()
    dossier: Mapped[Dossier] = relationship()


class FieldChange(Base):
    """One step of a field's review: what it was, what it became, who did it, when and why.

    Rows are only ever added, one per keying and one per resolution, so that a field's history
    tells how every value an operator wrote came to be."""

    __tablename__ = "field_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("review_tasks.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    key_id: Mapped[str] = mapped_column(String(16), index=True)
    action: Mapped[str] = mapped_column(String(32))  # storage.review.Action
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    old_status: Mapped[FieldStatus] = mapped_column(status_column(FieldStatus))
    new_status: Mapped[FieldStatus] = mapped_column(status_column(FieldStatus))
    old_source: Mapped[TextSource] = mapped_column(status_column(TextSource))
    reason: Mapped[str | None] = mapped_column(Text)


class SignInSession(Base):
    """A browser signed in with an API key: the cookie carries a token, the row its hash.

    The key's roles and agencies apply unchanged; revoking the key ends its sessions at once.
    """

    __tablename__ = "sign_in_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256, hex
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    """Sent back in ``X-CSRF-Token`` with every request that changes something."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StatusEvent(Base):
    """A dossier or a document moved to a new status: written in the transaction that moved
    it, so that none is lost and none is told before it happened; ``GET /v1/events`` streams
    them in id order."""

    __tablename__ = "status_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    subject: Mapped[str] = mapped_column(String(16))  # "dossier" or "document"
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    agency: Mapped[str] = mapped_column(String(255), index=True)
    receipt_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))


class Webhook(Base):
    """A processing system's URL, told of the status events it subscribed to. Its secret signs
    every delivery and is kept as it is, since signing needs it; it is shown once, at
    registration. Deliveries follow the key that registered it: within its agencies, and none
    once it is revoked or the webhook is removed."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[str] = mapped_column(Text)  # JSON list: "dossier.verified", "document.*"
    description: Mapped[str] = mapped_column(String(255), default="")
    secret: Mapped[str] = mapped_column(String(128))
    owner_key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), index=True)
    after_event_id: Mapped[int] = mapped_column(Integer)
    """The last status event weighed for this webhook: the fan-out resumes after it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def event_patterns(self) -> list[str]:
        return list(json.loads(self.events))


class WebhookDelivery(Base):
    """One status event owed to one webhook, until it is delivered or its day of retries runs
    out; a failed one can be sent again."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "event_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("status_events.id"))
    status: Mapped[DeliveryStatus] = mapped_column(status_column(DeliveryStatus), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    retry_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_response_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchEntry(Base):
    """A line of a page's text or a field's value, as ``GET /v1/search`` finds it: the text as
    read and its folding (``storage.text_folding``), which the database's full-text index
    covers (FTS5 on SQLite; on PostgreSQL a GIN index of ``folded_tsv``, the stored
    ``to_tsvector('simple', folded)``, a column of PostgreSQL's alone and so not mapped here)."""

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "line" or "field"
    page: Mapped[int | None] = mapped_column(Integer)
    field_name: Mapped[str | None] = mapped_column(String(64))
    box_left: Mapped[int | None] = mapped_column(Integer)
    box_top: Mapped[int | None] = mapped_column(Integer)
    box_width: Mapped[int | None] = mapped_column(Integer)
    box_height: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)


class SearchTerm(Base):
    """Every folded word the index holds: where a query's word is not among them, the terms one
    edit away stand in for it (a name typed with one typo)."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    length: Mapped[int] = mapped_column(Integer, index=True)


class ReuseRecord(Base):
    """A processing system used a document digitized earlier (or one of its fields) for a new
    dossier, instead of asking for the paper again: which, for what, by whom. The reuse rate is
    counted from these."""

    __tablename__ = "reuse_records"
    __table_args__ = (UniqueConstraint("dossier_id", "document_id", "field_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id"), index=True)
    """The new dossier, served by the reuse."""
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    """The document reused, from an earlier dossier."""
    field_name: Mapped[str] = mapped_column(String(64), default="")
    """The field reused; empty: the whole document."""
    purpose: Mapped[str] = mapped_column(String(500))
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignedCopy(Base):
    """One signed, archival version of a document: its PDF/A copy signed by the agency.

    Versions are only ever added. The first is signed once the document is read; a correction
    in review that changes the text layer is signed as the next, and earlier ones stay stored
    and verifiable. The signing certificate is kept with each version, so that copies signed
    before the agency's certificate was renewed are still known as this service's."""

    __tablename__ = "signed_copies"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    object_key: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    """Of the signed file: a copy presented for verification is found by it."""
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    text_sha256: Mapped[str] = mapped_column(String(64))
    """Of the words laid under the pages: a new version is signed only when they change."""
    pdfa: Mapped[str | None] = mapped_column(String(8))
    """The PDF/A part and level claimed (``2B``); None when the original's pages prevent it."""
    certificate_sha256: Mapped[str] = mapped_column(String(64), index=True)
    certificate_subject: Mapped[str] = mapped_column(String(500))
    certificate_pem: Mapped[str] = mapped_column(Text)
    timestamped: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
