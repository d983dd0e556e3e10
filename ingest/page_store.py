"""What is stored of one page as it is drawn and read: its row, its image and its words.

``prepare`` and the page jobs (``ingest.jobs``) both write through these, so that a page
drawn and read in either place is recorded the same way.
"""

from __future__ import annotations

import io
import json

from ingest.page_image import EncodedPage
from ingest.pages import PageImage, PageOutline
from ingest.scan_layers import with_scan_layer
from ingest.services import Services
from models.errors import EngineError
from models.status import PageStatus
from models.tables import Page
from ocr.reading import PageReading, read_page
from ocr.words import PageText
from storage import repository, search_index
from storage.database import transaction
from storage.objects import page_image_key, page_words_key

# Page images are written once and read once by OCR: zlib level 1 is several times faster to
# write than the default 6, for files about a third larger.
PNG_COMPRESS_LEVEL = 1


def record_page(services: Services, document_id: str, page: PageOutline) -> Page:
    """The row of a page its OCR job will draw; its image is stored by that job."""
    row = Page(
        document_id=document_id,
        index=page.index,
        width=page.width,
        height=page.height,
        dpi=page.dpi,
        image_key=page_image_key(document_id, page.index, page.suffix),
    )
    with transaction(services.sessions) as session:
        return repository.record_page(session, row)


def store_page_image(services: Services, document_id: str, page: PageImage) -> Page:
    suffix = page.encoded.suffix if page.encoded else "png"
    key = page_image_key(document_id, page.index, suffix)
    put_page_image(services, key, page)
    row = Page(
        document_id=document_id,
        index=page.index,
        width=page.image.width,
        height=page.image.height,
        dpi=page.dpi,
        image_key=key,
    )
    with transaction(services.sessions) as session:
        return repository.record_page(session, row)


def put_page_image(services: Services, key: str, page: PageImage) -> None:
    """Store the page image the API serves and crops."""
    if services.store.exists(key):
        return
    encoded = encoded_page(page)
    services.store.put_bytes(key, encoded.data, encoded.media_type)


def encoded_page(page: PageImage) -> EncodedPage:
    """The original's own encoding of the page where there is one, else a PNG."""
    if page.encoded:
        return page.encoded
    buffer = io.BytesIO()
    page.image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return EncodedPage(buffer.getvalue(), "image/png", "png")


def store_words(
    services: Services, document_id: str, index: int, text: PageText, **values: object
) -> None:
    """Write a page's words and mark it recognized, with what else is known of its reading."""
    words_key = page_words_key(document_id, index)
    payload = json.dumps(text.to_json(), ensure_ascii=False).encode()
    services.store.put_bytes(words_key, payload, "application/json")
    with transaction(services.sessions) as session:
        repository.finish_page(
            session,
            document_id,
            index,
            PageStatus.RECOGNIZED,
            words_key=words_key,
            word_count=len(text.words),
            ocr_confidence=text.mean_confidence,
            **values,
        )
        lines = [(line.text, line.box) for line in text.lines()]
        search_index.index_page_lines(session, document_id, index, lines)


def read_into_store(services: Services, document_id: str, page: PageImage) -> None:
    """Read the page and store its words, or fail the page with the reason tesseract gave."""
    reading = recognize(services, document_id, page)
    if reading is not None:
        store_reading(services, document_id, page, reading)


def recognize(services: Services, document_id: str, page: PageImage) -> PageReading | None:
    """Prepare the page (turn, deskew, clean) and read it; None when tesseract failed on it,
    which fails the page with the reason it gave."""
    try:
        return read_page(page.image, page.dpi, services.ocr)
    except EngineError as e:
        with transaction(services.sessions) as session:
            repository.finish_page(
                session, document_id, page.index, PageStatus.FAILED, error_reason=e.message
            )
        return None


def store_reading(
    services: Services, document_id: str, page: PageImage, reading: PageReading
) -> None:
    """Store what OCR read, with the page's size and resolution as drawn for it."""
    text, source = with_scan_layer(services, document_id, page.index, reading.text)
    store_words(
        services,
        document_id,
        page.index,
        text,
        text_source=source,
        width=page.image.width,
        height=page.image.height,
        dpi=page.dpi,
        rotation=reading.rotation,
        skew_degrees=reading.skew_degrees,
        blank=reading.blank,
        ocr_dpi=reading.dpi,
        judged_dpi=reading.page_dpi,
        dpi_source=str(reading.dpi_source),
        preprocessing=",".join(reading.steps) or None,
    )
