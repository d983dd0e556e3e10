"""Writes to the search index: a page's lines as it is read, a document's fields as they are
extracted, and a field again when an operator changes it. Every entry keeps the text as read
and its folding; every letter-only folded word also goes into the terms (for one-typo matches).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.tables import ExtractedField, SearchEntry, SearchTerm
from storage.text_folding import fold

LINE, FIELD = "line", "field"
TERM = re.compile(r"[^\W\d_]{2,64}")
"""Words of letters only: names and places may be typed with a typo; numbers never match one."""

Box = tuple[int, int, int, int]


def index_page_lines(
    session: Session, document_id: str, page: int, lines: Sequence[tuple[str, Box]]
) -> None:
    """The page's lines replace what the index held for it (a page read again)."""
    session.execute(
        delete(SearchEntry).where(
            SearchEntry.document_id == document_id,
            SearchEntry.kind == LINE,
            SearchEntry.page == page,
        )
    )
    entries = [
        _entry(document_id, LINE, page, None, box, text) for text, box in lines if text.strip()
    ]
    _add(session, entries)


def index_fields(session: Session, document_id: str, fields: Iterable[ExtractedField]) -> None:
    """The document's fields replace what the index held of them."""
    session.execute(
        delete(SearchEntry).where(SearchEntry.document_id == document_id, SearchEntry.kind == FIELD)
    )
    _add(session, [entry for field in fields if (entry := _field_entry(field)) is not None])


def index_field(session: Session, field: ExtractedField) -> None:
    """One field again, after its value changed."""
    session.execute(
        delete(SearchEntry).where(
            SearchEntry.document_id == field.document_id,
            SearchEntry.kind == FIELD,
            SearchEntry.field_name == field.name,
        )
    )
    entry = _field_entry(field)
    _add(session, [entry] if entry else [])


def _field_entry(field: ExtractedField) -> SearchEntry | None:
    text = field.value if field.value is not None else field.raw_text
    if not text or not text.strip():
        return None
    box = None
    if field.box_left is not None and field.box_top is not None:
        box = (field.box_left, field.box_top, field.box_width or 0, field.box_height or 0)
    return _entry(field.document_id, FIELD, field.page, field.name, box, text)


def _entry(
    document_id: str, kind: str, page: int | None, name: str | None, box: Box | None, text: str
) -> SearchEntry:
    left, top, width, height = box if box else (None, None, None, None)
    return SearchEntry(
        document_id=document_id, kind=kind, page=page, field_name=name, box_left=left,
        box_top=top, box_width=width, box_height=height, text=text, folded=fold(text),
    )  # fmt: skip


def _add(session: Session, entries: list[SearchEntry]) -> None:
    session.add_all(entries)
    words = sorted({word for entry in entries for word in TERM.findall(entry.folded)})
    if not words:
        return
    rows = [{"term": word, "length": len(word)} for word in words]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(SearchTerm).values(rows).on_conflict_do_nothing())
