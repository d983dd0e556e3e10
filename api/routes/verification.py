"""Verifying a signed copy: is this PDF one this service signed, unmodified since, and of what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from api.audit_trail import note_document
from api.deps import ServicesDep
from ingest.verification import verify_copy
from models.signing_schemas import CopyVerdict

router = APIRouter(prefix="/v1", tags=["signed copies"])


@router.post("/verify", response_model=CopyVerdict)
def verify_signed_copy(
    request: Request,
    file: Annotated[UploadFile, File(description="the PDF to verify, as it was received")],
    services: ServicesDep,
) -> CopyVerdict:
    """Whether the PDF is a copy this service signed, unchanged since, by which certificate,
    for which document and dossier; `422` for a file that is not a readable PDF."""
    verdict = verify_copy(services, file.file)
    known = verdict.valid and verdict.latest_version is not None
    if known and verdict.document_id and verdict.dossier_id:  # a document of this service's
        note_document(request.state, verdict.document_id, verdict.dossier_id)
    return verdict
