"""Index again the lines of every page already read, from their stored words: for pages read
before the search index existed, or to rebuild it (``sohoa search-index``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from ingest.services import Services
from models.tables import Page
from ocr.words import PageText
from storage import search_index
from storage.database import transaction


def reindex_pages(services: Services, on_page: Callable[[], None] = lambda: None) -> int:
    """Index every page with stored words, one transaction per page; how many were."""
    with services.sessions() as session:
        pages = session.execute(
            select(Page.document_id, Page.index, Page.words_key)
            .where(Page.words_key.is_not(None))
            .order_by(Page.document_id, Page.index)
        ).all()
    for document_id, index, words_key in pages:
        stored = services.store.get_bytes(str(words_key))
        text = PageText.from_json(json.loads(stored))
        lines = [(line.text, line.box) for line in text.lines()]
        with transaction(services.sessions) as session:
            search_index.index_page_lines(session, document_id, index, lines)
        on_page()
    return len(pages)
