"""Citizens and enterprises: everything already digitized about one, found by their identifier.

A processing system asks here before asking a citizen or an enterprise for a paper again. The
identifier travels in the body, never in the URL, so that no access log or proxy records whom
was looked up; the caller says why in ``X-Purpose``, and the audit trail keeps both. It is
normalised the way extraction stores it and checked with the same
validators; one that cannot be valid is answered 422, so a typo is not mistaken for somebody
nobody has seen (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from api.audit_trail import note_subject
from api.auth import Caller, CallerDep
from api.deps import ServicesDep, SessionDep
from api.issued import issued
from ingest.services import Services
from models.schemas import KnownValue, SubjectDocument, SubjectPublic
from models.status import FieldStatus, SubjectKind
from ocr.fields.checked import Checked
from ocr.fields.doctypes import DocumentType, subject_fields
from ocr.fields.identity import check_cccd, check_tax_code
from storage import currency as current
from storage import subjects

router = APIRouter(prefix="/v1", tags=["subjects"])


def _checked_identifier(raw: str, checked: Checked, what: str) -> str:
    problems = list(checked.problems)
    if checked.repaired:  # look-alike letters are OCR's excuse, not a caller's
        problems.insert(0, "letters where digits belong")
    if checked.value is None or problems:
        reason = "; ".join(problems) or "not a number"
        raise PydanticCustomError(
            "invalid_identifier",
            "{raw} is not a valid {what}: {reason}",
            {"raw": repr(raw), "what": what, "reason": reason},
        )
    return checked.value


def normalise_cccd_number(raw: str) -> str:
    """The 12 digits of a CCCD number written with or without spaces, dots or dashes."""
    return _checked_identifier(raw, check_cccd(raw), "CCCD number")


def normalise_enterprise_code(raw: str) -> str:
    """An enterprise code as 10 digits, or a branch's as ``NNNNNNNNNN-NNN``, from either written
    with or without spaces, dots or dashes."""
    return _checked_identifier(raw, check_tax_code(raw), "enterprise code")


CccdNumber = Annotated[
    str,
    Field(description="12 digits; spaces, dots and dashes are ignored"),
    AfterValidator(normalise_cccd_number),
]
EnterpriseCode = Annotated[
    str,
    Field(description="10 digits, or 13 for a branch (NNNNNNNNNN-NNN); separators are ignored"),
    AfterValidator(normalise_enterprise_code),
]
Purpose = Annotated[
    str,
    Header(
        alias="X-Purpose",
        min_length=3,
        max_length=500,
        description="why the data is looked up (the dossier or procedure it serves), in ASCII "
        "or percent-encoded UTF-8; recorded in the audit trail with the look-up",
    ),
]


class CitizenLookup(BaseModel):
    cccd_number: CccdNumber


class EnterpriseLookup(BaseModel):
    enterprise_code: EnterpriseCode


@router.post("/citizens/lookup", response_model=SubjectPublic)
def look_up_citizen(
    body: CitizenLookup,
    purpose: Purpose,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> SubjectPublic:
    """The documents naming the citizen, and what their card and applications say about them."""
    return _subject(request, caller, session, services, SubjectKind.CITIZEN, body.cccd_number)


@router.post("/enterprises/lookup", response_model=SubjectPublic)
def look_up_enterprise(
    body: EnterpriseLookup,
    purpose: Purpose,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> SubjectPublic:
    """The documents naming the enterprise, and what its registration certificate says."""
    code = body.enterprise_code
    return _subject(request, caller, session, services, SubjectKind.ENTERPRISE, code)


def _subject(
    request: Request,
    caller: Caller,
    session: Session,
    services: Services,
    kind: SubjectKind,
    identifier: str,
) -> SubjectPublic:
    """What the caller may see of the subject, the look-up noted for the audit trail first
    (a look-up that finds nobody is recorded too)."""
    note_subject(request.state, kind, identifier)
    subject = subjects.find_subject(session, kind, identifier)
    agencies = caller.agencies
    mentions = subjects.subject_mentions(session, subject.id, agencies)
    if not mentions:  # it exists, but in no dossier this key reaches
        raise subjects.not_found(kind, identifier)
    describing = subject_fields(services.document_types)
    named = {mention.document.id for mention in mentions}
    today = datetime.now(services.settings.zone).date()
    currency = current.currency(session, subject.id, named, today)
    alive = {document_id for document_id, of in currency.items() if of.current}
    values = subjects.known_values(session, subject.id, describing, agencies, alive)
    return SubjectPublic(
        kind=subject.kind,
        identifier=subject.identifier,
        first_seen=subject.created_at,
        documents=[
            _document(mention, currency[mention.document.id], services.document_types)
            for mention in mentions
        ],
        known_values={
            name: KnownValue.model_validate(field).model_copy(
                update={
                    "verified": field.status == FieldStatus.VERIFIED,
                    **_flags(currency.get(field.document_id, current.CURRENT)),
                }
            )
            for name, field in values.items()
        },
    )


def _document(
    mention: subjects.Mention, of: current.Currency, types: Mapping[str, DocumentType]
) -> SubjectDocument:
    return SubjectDocument(
        document_id=mention.document.id,
        dossier_id=mention.document.dossier_id,
        receipt_code=mention.receipt_code,
        document_type=mention.document.document_type,
        filename=mention.document.filename,
        named_by=mention.field_name,
        received_at=mention.document.created_at,
        current=of.current,
        not_current_since=of.since,
        not_current_because=of.because,
        result=mention.document.is_result,
        **issued(mention.document, types),
    )


def _flags(of: current.Currency) -> dict[str, object]:
    return {"current": of.current, "not_current_since": of.since, "not_current_because": of.because}
