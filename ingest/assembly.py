"""A document's outputs once all its pages are read: its text and fields, and the searchable
PDF drawn from the original and the words when one is asked for.

Each page's stored words are fetched once and serve both. Field extraction needs every
page's words at once anyway (a label on one page, its value wrapping to the next): about 30 MB
for a 300-page document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ingest.extraction import store_fields
from ingest.page_images import prune_page_images
from ingest.scan_layers import image_readings
from ingest.services import Services
from models.status import PageStatus, TextSource, document_when_read
from models.tables import Page
from ocr.searchable_pdf import PageLayer, write_searchable_pdf
from ocr.words import PageText
from storage import repository
from storage.database import transaction
from storage.objects import document_text_key, original_key

PAGE_SEPARATOR = "\n\f"


def assemble_document(services: Services, document_id: str) -> None:
    """Write the text and the fields, settle the document's status, and drop the page images
    the review desk does not need. The searchable PDF is drawn when asked for (or signed as
    the document's archival copy), from the original and the words: no copy of the pages is
    kept beside the original.

    A document with an unreadable page fails with that page's reason: its other pages' words
    stay stored and served, but it is not called digitized.
    """
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        pages = list(document.pages)
    failed = [page for page in pages if page.status == PageStatus.FAILED]
    if failed:
        numbers = ", ".join(str(page.index) for page in failed)
        reason = f"page(s) {numbers} could not be read: {failed[0].error_reason}"
        with transaction(services.sessions) as session:
            repository.fail_document(session, document_id, "page_unreadable", reason)
        return
    texts = [page_text(services, page) for page in pages]
    mean = write_text(services, document_id, texts)
    sources = [page.text_source or TextSource.OCR for page in pages]
    store_fields(
        services, document_id, texts, sources, image_readings(services, document_id, pages)
    )
    with transaction(services.sessions) as session:
        repository.move_document(
            session,
            document_id,
            document_when_read(repository.open_task_count(session, document_id)),
            mean_confidence=mean,
        )
    prune_page_images(services, document_id)


def write_text(services: Services, document_id: str, texts: list[PageText]) -> float | None:
    """Store the document's text (pages joined by a form feed); return its mean confidence."""
    confidences = [word.confidence for text in texts for word in text.words]
    body = PAGE_SEPARATOR.join(text.text for text in texts).encode()
    services.store.put_bytes(document_text_key(document_id), body, "text/plain; charset=utf-8")
    return sum(confidences) / len(confidences) if confidences else None


def draw_searchable_pdf(
    services: Services,
    pages: list[Page],
    words: Iterable[PageText],
    sha256: str,
    media_type: str,
    out: Path,
) -> None:
    """Write ``out``: the original's pages with ``words`` (one entry per page) laid under them.
    The original is fetched beside ``out``."""
    layers = (
        PageLayer(text=text, rotation=page.rotation or 0)
        for page, text in zip(pages, words, strict=True)
    )
    original = out.parent / "original"
    services.store.download(original_key(sha256), original)
    write_searchable_pdf(original, media_type, layers, out, image_dpi=[page.dpi for page in pages])


def put_file(services: Services, key: str, path: Path, content_type: str) -> None:
    with path.open("rb") as stream:
        services.store.put(key, stream, path.stat().st_size, content_type)


def page_text(services: Services, page: Page) -> PageText:
    if page.words_key is None:
        return PageText(width=page.width, height=page.height, words=[])
    return PageText.from_json(json.loads(services.store.get_bytes(page.words_key)))


def invisible_words(page: Page, text: PageText) -> PageText:
    """The words to lay under the page: none where they came from the page's own text layer,
    which the original PDF already carries (a second copy would double every search hit)."""
    if carries_own_layer(page):
        return PageText(width=text.width, height=text.height, words=[])
    return text


def carries_own_layer(page: Page) -> bool:
    """Whether the page's text is the original PDF's own layer, not one we lay under it."""
    return page.text_source in (TextSource.TEXT_LAYER, TextSource.SCAN_TEXT_LAYER)
