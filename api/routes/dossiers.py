"""Dossiers: the scanner's upload, and what processing systems read back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status

from api.audit_trail import note_dossier
from api.auth import Caller, CallerDep
from api.deps import ServicesDep, SessionDep
from api.issued import issued
from api.routes.documents import fields_view
from ingest.intake import IncomingFile, receive_dossier
from ingest.services import Services
from models.errors import ForbiddenError, InputError
from models.schemas import (
    AcceptedDocument,
    ComponentPublic,
    DossierAccepted,
    DossierComponents,
    DossierFields,
    DossierList,
    DossierPublic,
)
from models.status import DOCUMENT_DONE, DossierStatus
from models.tables import Dossier
from ocr.fields.components import TypedDocument, check_components
from ocr.fields.doctypes import DocumentType
from storage import repository
from storage.database import transaction

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$"


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=DossierAccepted)
def upload_dossier(
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    files: Annotated[list[UploadFile], File(description="PDF, TIFF, JPEG or PNG scans")],
    receipt_code: Annotated[str, Form(pattern=CODE_PATTERN, description="the desk's receipt")],
    procedure_code: Annotated[str, Form(pattern=CODE_PATTERN)],
    agency: Annotated[str, Form(min_length=1, max_length=255)],
    due_date: Annotated[
        date | None,
        Form(
            description="the day the receipt promises the result (ngày hẹn trả kết quả), "
            "ISO 8601; orders the review queue among dossiers received the same day"
        ),
    ] = None,
    force_ocr: Annotated[
        bool, Form(description="OCR every page, even PDF pages that carry their own text")
    ] = False,
    results: Annotated[
        bool,
        Form(
            description="the files are results the agency issued for this dossier (licences, "
            "certificates, decisions), digitized like the papers handed in and marked as results"
        ),
    ] = False,
) -> DossierAccepted:
    """Store the files, record them, and queue them for OCR; answers before any OCR runs.

    Uploading again under the same receipt code adds the new files to the same dossier; files
    it already holds (same bytes) are reported as duplicates and not processed twice.
    """
    if not files:
        raise InputError("send at least one file in the 'files' field", code="no_files")
    check_agency(services, caller, receipt_code, agency.strip())
    dossier, received = receive_dossier(
        services,
        repository.NewDossier(receipt_code, procedure_code, agency.strip(), due_date),
        [IncomingFile(upload.filename or "unnamed", upload.file) for upload in files],
        force_ocr=force_ocr,
        results=results,
    )
    note_dossier(request.state, dossier.id)
    return DossierAccepted(
        dossier_id=dossier.id,
        receipt_code=dossier.receipt_code,
        status=dossier.status,
        status_url=str(request.url_for("get_dossier", dossier_id=dossier.id)),
        documents=[
            AcceptedDocument(
                id=item.document.id,
                filename=item.document.filename,
                sha256=item.document.sha256,
                status=item.document.status,
                duplicate=item.duplicate,
                error_code=item.document.error_code,
                error_reason=item.document.error_reason,
            )
            for item in received
        ],
    )


def check_agency(services: Services, caller: Caller, receipt_code: str, agency: str) -> None:
    """A key scoped to agencies uploads for them only, and adds to none of another's dossiers."""
    if caller.agencies is None:
        return
    if caller.sees(agency):
        with transaction(services.sessions) as session:
            existing = repository.find_dossier(session, receipt_code)
            if existing is None or caller.sees(existing.agency):
                return
    raise ForbiddenError(
        f"API key {caller.key_id} uploads for {', '.join(sorted(caller.agencies))} only; "
        f"receipt code {receipt_code} or agency {agency!r} is another agency's",
        code="agency_forbidden",
    )


@router.get("/{dossier_id}", response_model=DossierPublic)
def get_dossier(
    dossier_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> DossierPublic:
    """Status and progress of a dossier and each of its documents (type, fields accepted and
    waiting for review, results marked), the papers its procedure asks for that are missing or
    found twice; failures say why."""
    dossier = repository.get_dossier(session, dossier_id, caller.agencies)
    return dossier_view(dossier, services.document_types)


def dossier_view(dossier: Dossier, types: Mapping[str, DocumentType]) -> DossierPublic:
    """The dossier with its results' numbers and dates, and the papers its procedure asks for,
    found or missing (results answer for none)."""
    view = DossierPublic.model_validate(dossier)
    view.documents = [
        public.model_copy(update=issued(document, types)) if document.is_result else public
        for document, public in zip(dossier.documents, view.documents, strict=True)
    ]
    check = check_components(
        dossier.procedure_code,
        (
            TypedDocument(
                document.id,
                document.document_type,
                pending=document.document_type is None and document.status not in DOCUMENT_DONE,
            )
            for document in dossier.documents
            if not document.is_result
        ),
    )
    if check is None:
        return view
    components = DossierComponents(
        procedure_code=check.procedure_code,
        pending_documents=check.pending,
        missing=[component.label for component in check.missing],
        repeated=[component.label for component in check.repeated],
        components=[
            ComponentPublic(
                document_type=found.component.document_type,
                label=found.component.label,
                copies=found.component.copies,
                document_ids=list(found.document_ids),
                missing=found.missing,
                repeated=found.repeated,
            )
            for found in check.components
        ],
    )
    return view.model_copy(update={"components": components})


@router.get("/{dossier_id}/fields", response_model=DossierFields)
def get_dossier_fields(dossier_id: str, caller: CallerDep, session: SessionDep) -> DossierFields:
    """The type and the values read from every document of the dossier, in the order received."""
    dossier = repository.get_dossier_fields(session, dossier_id, caller.agencies)
    return DossierFields(
        dossier_id=dossier.id,
        receipt_code=dossier.receipt_code,
        documents=[fields_view(document, document.fields) for document in dossier.documents],
    )


@router.get("", response_model=DossierList)
def list_dossiers(
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    status: DossierStatus | None = None,
    receipt_code: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DossierList:
    """Dossiers newest first, filtered by status or receipt code, a page at a time."""
    items, total = repository.list_dossiers(
        session,
        status=status,
        receipt_code=receipt_code,
        limit=limit,
        offset=offset,
        agencies=caller.agencies,
    )
    return DossierList(
        items=[dossier_view(item, services.document_types) for item in items],
        total=total,
        limit=limit,
        offset=offset,
    )
