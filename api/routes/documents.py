"""Documents: their status, text, words per page, and the original bytes."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from api.deps import ServicesDep, SessionDep
from models.errors import ConflictError
from models.schemas import DocumentPublic
from models.status import DocumentStatus, PageStatus
from storage import repository
from storage.objects import document_text_key, original_key

router = APIRouter(prefix="/v1/documents", tags=["documents"])


@router.get("/{document_id}", response_model=DocumentPublic)
def get_document(document_id: str, session: SessionDep) -> DocumentPublic:
    return DocumentPublic.model_validate(repository.get_document(session, document_id))


@router.get("/{document_id}/text", response_class=PlainTextResponse)
def get_document_text(
    document_id: str, session: SessionDep, services: ServicesDep
) -> PlainTextResponse:
    """The OCR text, pages separated by a form feed."""
    document = repository.get_document(session, document_id)
    if document.status != DocumentStatus.DIGITIZED:
        raise ConflictError(
            f"document {document_id} is {document.status}; its text exists once it is digitized",
            code="text_not_ready",
        )
    text = services.store.get_bytes(document_text_key(document_id)).decode()
    return PlainTextResponse(text)


@router.get("/{document_id}/original")
def get_document_original(
    document_id: str, session: SessionDep, services: ServicesDep
) -> StreamingResponse:
    """The uploaded bytes, unchanged, streamed from the object store."""
    document = repository.get_document(session, document_id)
    key = original_key(document.sha256)
    size = services.store.stat(key).size
    return StreamingResponse(
        services.store.iter_chunks(key),
        media_type=document.media_type or "application/octet-stream",
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
        },
    )


@router.get("/{document_id}/pages/{index}")
def get_page_words(
    document_id: str, index: int, session: SessionDep, services: ServicesDep
) -> Response:
    """The words of one page (1-based) with boxes in page-image pixels and confidences."""
    page = repository.get_page(session, document_id, index)
    if page.status != PageStatus.RECOGNIZED or page.words_key is None:
        raise ConflictError(
            f"page {index} of document {document_id} is {page.status}",
            code="page_not_ready",
        )
    return Response(services.store.get_bytes(page.words_key), media_type="application/json")
