"""API schemas of full-text search (``GET /v1/search``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from models.status import FieldStatus


class Box(BaseModel):
    left: int
    top: int
    width: int
    height: int


class SearchHit(BaseModel):
    document_id: str
    dossier_id: str
    receipt_code: str
    document_type: str | None
    kind: str = Field(description="`line` (of a page's text) or `field` (a value read)")
    page: int | None
    field_name: str | None
    field_status: FieldStatus | None
    snippet: str = Field(description="the line or the value, as read")
    highlights: list[tuple[int, int]] = Field(
        description="character spans of the snippet that matched the query's words"
    )
    box: Box | None = Field(description="where on the page, in the page image's pixels")
    received_at: datetime
    exact: bool = Field(description="the query's words appear as typed, marks included")
    score: float


class SearchResults(BaseModel):
    query: str
    words: list[list[str]] = Field(
        description="each query word folded (no marks, đ as d), and the known words one edit "
        "away that stood in for a word never seen"
    )
    total: int
    limit: int
    offset: int
    items: list[SearchHit]
