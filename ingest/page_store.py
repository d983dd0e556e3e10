"""What is stored of one page as it is drawn and read: its row, its image and its words.

``prepare`` and the page jobs (``ingest.jobs``) both write through these, so that a page
drawn and read in either place is recorded the same way. A page drawn for reading is
fingerprinted first: its words come from a page read before when one is found and confirmed
(``ingest.page_reuse``), else from OCR; either way its fingerprints are stored with them.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from ingest.page_image import EncodedPage
from ingest.page_reuse import Reuse, find_reuse
from ingest.pages import PageImage, PageOutline
from ingest.scan_layers import layer_held, with_scan_layer
from ingest.services import Services
from models.errors import EngineError
from models.status import PageStatus, TextSource
from models.tables import Page
from ocr.fingerprint import PageFingerprint, fingerprint_page
from ocr.reading import PageReading, read_page
from ocr.words import PageText
from storage import page_hashes, repository, search_index
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
    services: Services,
    document_id: str,
    index: int,
    text: PageText,
    fingerprint: PageFingerprint | None = None,
    **values: object,
) -> None:
    """Write a page's words and mark it recognized, with what else is known of its reading and
    the fingerprints that let a later page find it."""
    words_key = page_words_key(document_id, index)
    payload = json.dumps(text.to_json(), ensure_ascii=False).encode()
    services.store.put_bytes(words_key, payload, "application/json")
    if fingerprint is not None:
        values |= {
            "perceptual_hash": fingerprint.perceptual_hash,
            "pixels_sha256": fingerprint.pixels_sha256,
        }
    with transaction(services.sessions) as session:
        moved = repository.finish_page(
            session,
            document_id,
            index,
            PageStatus.RECOGNIZED,
            words_key=words_key,
            word_count=len(text.words),
            ocr_confidence=text.mean_confidence,
            **values,
        )
        if moved and fingerprint is not None:
            page_hashes.index_bands(session, document_id, index, fingerprint.bands)
        lines = [(line.text, line.box) for line in text.lines()]
        search_index.index_page_lines(session, document_id, index, lines)


@dataclass(frozen=True)
class PageWords:
    """Where a page's words are to come from, decided before they are stored: a page read
    before (``reuse``) or OCR (``reading``; neither when tesseract failed on the page, which
    failed it)."""

    fingerprint: PageFingerprint
    reuse: Reuse | None = None
    reading: PageReading | None = None


def read_or_reuse(
    services: Services, document_id: str, page: PageImage, *, force_ocr: bool
) -> PageWords:
    """Find the page read before, or read it. A page carrying a scan's text layer is always
    read, as its layer is to be checked against OCR."""
    fingerprint = fingerprint_page(page.image)
    if not force_ocr and not layer_held(services, document_id, page.index):
        found = find_reuse(services, document_id, page, fingerprint)
        if found.reuse is not None:
            return PageWords(fingerprint, reuse=found.reuse)
    return PageWords(fingerprint, reading=recognize(services, document_id, page))


def store_page_words(
    services: Services, document_id: str, page: PageImage, words: PageWords
) -> None:
    if words.reuse is not None:
        store_reuse(services, document_id, page, words.reuse, words.fingerprint)
    elif words.reading is not None:
        store_reading(services, document_id, page, words.reading, words.fingerprint)


def read_into_store(
    services: Services, document_id: str, page: PageImage, *, force_ocr: bool
) -> None:
    """Reuse or read the page and store its words, or fail the page with the reason tesseract
    gave."""
    words = read_or_reuse(services, document_id, page, force_ocr=force_ocr)
    store_page_words(services, document_id, page, words)


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
    services: Services,
    document_id: str,
    page: PageImage,
    reading: PageReading,
    fingerprint: PageFingerprint,
) -> None:
    """Store what OCR read, with the page's size and resolution as drawn for it."""
    text, source = with_scan_layer(services, document_id, page.index, reading.text)
    store_words(
        services,
        document_id,
        page.index,
        text,
        fingerprint,
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


def store_reuse(
    services: Services,
    document_id: str,
    page: PageImage,
    reuse: Reuse,
    fingerprint: PageFingerprint,
) -> None:
    """Store the words of the page read before as this page's, with how that page was read."""
    source = reuse.source
    store_words(
        services,
        document_id,
        page.index,
        reuse.text,
        fingerprint,
        text_source=TextSource.REUSED,
        reused_from_page_id=source.id,
        width=page.image.width,
        height=page.image.height,
        dpi=page.dpi,
        rotation=source.rotation,
        skew_degrees=source.skew_degrees,
        blank=source.blank,
        ocr_dpi=source.ocr_dpi,
        judged_dpi=source.judged_dpi,
        dpi_source=source.dpi_source,
        preprocessing=source.preprocessing,
    )
