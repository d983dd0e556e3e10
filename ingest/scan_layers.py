"""Text layers over scanned images: kept for their words, read again by OCR to be checked.

A PDF page whose text layer covers its ink is read from that layer, not OCRed; but when the
page is a scanned image (``ocr.scan_layer``) the layer is only a claim about the pixels. Such a
page is held: ``prepare`` keeps its layer under ``page_layer_words_key`` and sends the page to
OCR like any scan. When OCR has read the image, the page's words are still the layer's (exact
letters, confidence 100, so an honest layer is accepted as before), its source is
``scan_text_layer``, and the OCR words are kept under ``page_image_words_key``; ``finalize``
gives both to field extraction, which checks each value taken from the layer against what OCR
reads in the same box (``ocr.fields.crosscheck``).

Cost: one OCR of the page image, only for scanned pages with a usable text layer; a
born-digital page is still not OCRed. Every OCR'd page asks the store whether a layer was kept
(one ``exists``: a file check, or a HEAD request on S3).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ingest.pages import PageLayer
from ingest.services import Services
from models.status import TextSource
from models.tables import Page
from ocr.words import PageText
from storage.objects import page_image_words_key, page_layer_words_key


def hold_scan_layer(services: Services, document_id: str, index: int, layer: PageLayer) -> bool:
    """Keep the layer of a page that is a scanned image for checking, and say so; a page that
    is not (a born-digital page) is left to be read from its layer alone."""
    if not layer.over_scan:
        return False
    _put(services, page_layer_words_key(document_id, index), layer.words)
    return True


def with_scan_layer(
    services: Services, document_id: str, index: int, ocr: PageText
) -> tuple[PageText, TextSource]:
    """The words a page read by OCR is to keep, and their source.

    When a text layer was held for the page, its words are the page's and the OCR words are
    kept beside them; otherwise the OCR words are the page's.
    """
    layer_key = page_layer_words_key(document_id, index)
    if not layer_held(services, document_id, index):
        return ocr, TextSource.OCR
    _put(services, page_image_words_key(document_id, index), ocr)
    layer = PageText.from_json(json.loads(services.store.get_bytes(layer_key)))
    return layer, TextSource.SCAN_TEXT_LAYER


def layer_held(services: Services, document_id: str, index: int) -> bool:
    """Whether the page carries a scan's text layer held to be checked by OCR."""
    return services.store.exists(page_layer_words_key(document_id, index))


def image_readings(
    services: Services, document_id: str, pages: Sequence[Page]
) -> list[PageText | None]:
    """Per page, OCR of its image where its words came from a scan's text layer, else None.

    A scan's layer whose OCR words are missing is given none, so that nothing taken from it is
    accepted unchecked."""
    readings: list[PageText | None] = []
    for page in pages:
        key = page_image_words_key(document_id, page.index)
        if page.text_source != TextSource.SCAN_TEXT_LAYER:
            readings.append(None)
        elif services.store.exists(key):
            readings.append(PageText.from_json(json.loads(services.store.get_bytes(key))))
        else:
            readings.append(PageText(width=page.width, height=page.height, words=[]))
    return readings


def _put(services: Services, key: str, text: PageText) -> None:
    payload = json.dumps(text.to_json(), ensure_ascii=False).encode()
    services.store.put_bytes(key, payload, "application/json")
