"""Documents: their status, text, searchable PDF, signed copies, words and hOCR per page, and
the original."""

from __future__ import annotations

import json
import pathlib
import shutil
import tempfile
from collections.abc import Iterable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from api.auth import CallerDep
from api.deps import ServicesDep, SessionDep
from ingest.current_copy import current_copy, draw_copy
from ingest.intake import FILE_TOO_LARGE
from ingest.page_images import page_image
from models.errors import ConflictError
from models.schemas import DocumentFields, DocumentPublic, FieldPublic
from models.status import DOCUMENT_READ, PageStatus
from models.tables import Document, ExtractedField, Page
from ocr.hocr import render_hocr
from ocr.words import PageText
from storage import repository, signed_copies
from storage.objects import ObjectStore, document_text_key, original_key

router = APIRouter(prefix="/v1/documents", tags=["documents"])

PageIndex = Annotated[int, Path(ge=1, le=1_000_000, description="1-based page number")]


@router.get("/{document_id}", response_model=DocumentPublic)
def get_document(document_id: str, caller: CallerDep, session: SessionDep) -> DocumentPublic:
    return DocumentPublic.model_validate(
        repository.get_document(session, document_id, caller.agencies)
    )


@router.get("/{document_id}/fields", response_model=DocumentFields)
def get_document_fields(document_id: str, caller: CallerDep, session: SessionDep) -> DocumentFields:
    """The values read from the document, each with its confidence, review status and place."""
    document = repository.get_document(session, document_id, caller.agencies)
    return fields_view(document, repository.document_fields(session, document_id))


def fields_view(document: Document, rows: Iterable[ExtractedField]) -> DocumentFields:
    """A document's type and its field rows as the API shows them."""
    return DocumentFields(
        document_id=document.id,
        document_type=document.document_type,
        type_score=document.type_score,
        fields=[FieldPublic.model_validate(row) for row in rows],
    )


@router.get("/{document_id}/text", response_class=PlainTextResponse)
def get_document_text(
    document_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> PlainTextResponse:
    """The OCR text, pages separated by a form feed."""
    document = repository.get_document(session, document_id, caller.agencies)
    if document.status not in DOCUMENT_READ:
        raise ConflictError(
            f"document {document_id} is {document.status}; its text exists once it is read",
            code="text_not_ready",
        )
    text = services.store.get_bytes(document_text_key(document_id)).decode()
    return PlainTextResponse(text)


@router.get("/{document_id}/original")
def get_document_original(
    document_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> StreamingResponse:
    """The uploaded bytes, unchanged, streamed from the object store."""
    document = repository.get_document(session, document_id, caller.agencies)
    if document.error_code == FILE_TOO_LARGE:
        raise ConflictError(
            f"document {document_id} was refused for its size, so its bytes were not kept",
            code="original_not_kept",
        )
    media_type = document.media_type or "application/octet-stream"
    return _stream(services.store, original_key(document.sha256), media_type, document.filename)


@router.get("/{document_id}/pdf")
def get_searchable_pdf(
    document_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> FileResponse:
    """The scanned pages as they were uploaded, with the recognised text selectable under them
    (an operator's corrections laid in): drawn from the original and the words when asked
    for, so that no second copy of the pages is stored."""
    document = repository.get_document(session, document_id, caller.agencies)
    if document.status not in DOCUMENT_READ:
        raise ConflictError(
            f"document {document_id} is {document.status}; its searchable PDF exists once it "
            f"is digitized",
            code="pdf_not_ready",
        )
    current = current_copy(session, document)
    folder = pathlib.Path(tempfile.mkdtemp(prefix="sohoa-pdf-"))
    try:
        out = folder / "searchable.pdf"
        draw_copy(services, current, current.words(services), out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stem = document.filename.rsplit(".", 1)[0] or "document"
    return FileResponse(
        out,
        media_type="application/pdf",
        filename=f"{stem}.searchable.pdf",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/{document_id}/signed.pdf")
def get_signed_copy(
    document_id: str,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    version: Annotated[
        int | None, Query(ge=1, le=1_000_000, description="a signed version; default the newest")
    ] = None,
) -> StreamingResponse:
    """The pages as uploaded and the text under them, as PDF/A-2b signed by the agency (PAdES).
    A correction in review is signed as a new version; every version stays served."""
    document = repository.get_document(session, document_id, caller.agencies)
    if version is not None:
        copy = signed_copies.get_version(session, document_id, version)
    else:
        found = signed_copies.latest(session, document_id)
        if found is None:
            raise _not_signed(document, configured=services.agency_key is not None)
        copy = found
    stem = document.filename.rsplit(".", 1)[0] or "document"
    filename = f"{stem}.signed-v{copy.version}.pdf"
    return _stream(services.store, copy.object_key, "application/pdf", filename)


def _not_signed(document: Document, *, configured: bool) -> ConflictError:
    if not configured:
        return ConflictError(
            "this service signs no copies: no signing certificate is configured "
            "(SOHOA_SIGNING_PKCS12, or SOHOA_SIGNING_CERTIFICATE and SOHOA_SIGNING_KEY)",
            code="signing_not_configured",
        )
    return ConflictError(
        f"document {document.id} is {document.status} and has no signed copy yet: it is signed "
        f"once it is read; try again shortly",
        code="signed_copy_not_ready",
    )


def _stream(store: ObjectStore, key: str, media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        store.iter_chunks(key),
        media_type=media_type,
        headers={
            "Content-Length": str(store.stat(key).size),
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        },
    )


@router.get("/{document_id}/pages/{index}")
def get_page_words(
    document_id: str,
    index: PageIndex,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    """The words of one page (1-based) with boxes in page-image pixels and confidences."""
    words_key = _words_key(repository.get_page(session, document_id, index, caller.agencies))
    return Response(services.store.get_bytes(words_key), media_type="application/json")


@router.get("/{document_id}/pages/{index}/hocr")
def get_page_hocr(
    document_id: str,
    index: PageIndex,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    """The words of one page as hOCR, for tools that speak it (boxes in page-image pixels)."""
    page = repository.get_page(session, document_id, index, caller.agencies)
    text = PageText.from_json(json.loads(services.store.get_bytes(_words_key(page))))
    hocr = render_hocr(text, page_number=index, image_name=f"page-{index}.png")
    return Response(hocr, media_type="application/xhtml+xml")


@router.get("/{document_id}/pages/{index}/image")
def get_page_image(
    document_id: str,
    index: PageIndex,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    """The page image the words' boxes refer to: the scan's own JPEG, or a PNG (kept while its
    fields wait for review, else drawn from the original)."""
    image = page_image(services, repository.get_page(session, document_id, index, caller.agencies))
    return Response(image.data, media_type=image.media_type)


def _words_key(page: Page) -> str:
    if page.status != PageStatus.RECOGNIZED or page.words_key is None:
        raise ConflictError(
            f"page {page.index} of document {page.document_id} is {page.status}",
            code="page_not_ready",
        )
    return page.words_key
