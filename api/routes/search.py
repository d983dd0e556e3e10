"""``GET /v1/search``: what was digitized, found by the words on its pages and in its fields."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import CallerDep
from api.deps import ServicesDep, SessionDep
from models.search_schemas import Box, SearchHit, SearchResults
from models.status import FieldStatus
from storage import search as full_text
from storage.search import Hit, SearchFilters

router = APIRouter(prefix="/v1/search", tags=["subjects"])


@router.get("", response_model=SearchResults)
def search_documents(
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to find")],
    document_type: Annotated[str | None, Query(max_length=64)] = None,
    agency: Annotated[str | None, Query(max_length=255)] = None,
    procedure_code: Annotated[str | None, Query(max_length=64)] = None,
    received_from: Annotated[
        date | None, Query(description="dossiers received on or after")
    ] = None,
    received_to: Annotated[date | None, Query(description="dossiers received on or before")] = None,
    field_status: Annotated[FieldStatus | None, Query(description="fields in this status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchResults:
    """Lines of pages and values of fields holding every word of ``q``, best first, accents
    and case aside (`nguyen van dung` finds `Nguyễn Văn Dũng`); the exact spelling first; a
    name's word with one typo still matches. Within the key's agencies."""
    filters = SearchFilters(
        caller.agencies, document_type, agency, procedure_code, received_from, received_to,
        field_status, services.settings.zone,
    )  # fmt: skip
    found = full_text.search(session, q, filters, limit, offset)
    items = [_public(hit) for hit in found.hits]
    return SearchResults(
        query=q, words=found.words, total=found.total, limit=limit, offset=offset, items=items
    )


def _public(hit: Hit) -> SearchHit:
    entry = hit.entry
    box = None
    if entry.box_left is not None and entry.box_top is not None:
        box = Box(left=entry.box_left, top=entry.box_top, width=entry.box_width or 0,
                  height=entry.box_height or 0)  # fmt: skip
    return SearchHit(
        document_id=entry.document_id, dossier_id=hit.dossier_id, receipt_code=hit.receipt_code,
        document_type=hit.document_type, kind=entry.kind, page=entry.page,
        field_name=entry.field_name, field_status=hit.field_status, snippet=entry.text,
        highlights=hit.highlights, box=box, received_at=hit.received_at, exact=hit.exact,
        score=round(hit.score, 4),
    )  # fmt: skip
