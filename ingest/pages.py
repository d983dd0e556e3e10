"""From an uploaded file to page images, one page at a time.

``inspect_document`` is the gate run once per document before any page work is fanned out: it
says how many pages there are, or rejects the file with a reason the operator can act on.
``iter_page_images`` and ``render_page`` then turn pages into images for OCR, one at a time,
because a 200-page dossier at 300 dpi would not fit in a worker's memory all at once.

Pages are 8-bit grey images (``ingest.page_image``); PDFs are judged with pikepdf and drawn
with poppler (``ingest.pdf_pages``), TIFF, JPEG and PNG decoded with Pillow
(``ingest.image_pages``).

Errors: what is wrong with the file -> ``RejectedFileError`` (``encrypted_pdf``, ``corrupt_pdf``,
``empty_pdf``, ``too_many_pages``, ``image_too_large``, ``corrupt_image``); poppler missing or
too slow on this host -> ``EngineError`` (``poppler_missing``, ``render_timeout``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ingest.image_pages import (
    frame_count,
    keeps_its_encoding,
    open_image,
    page_from_frame,
    seek_and_load,
)
from ingest.page_image import EncodedPage, PageImage, too_many_pages
from ingest.pdf_pages import inspect_pdf, iter_pdf_pages, poppler_page_count, render_pdf_page

__all__ = ["PageImage", "inspect_document", "iter_page_images", "render_page"]


def inspect_document(
    path: Path, media_type: str, *, max_pages: int, max_image_pixels: int, dpi: int = 300
) -> int:
    """Return the number of pages, or reject a file that can never be processed.

    Multi-page images are decoded completely here (one frame at a time), so truncation is
    found before page jobs are created rather than in the middle of them; a one-page image only
    has its size checked, as ``iter_page_images`` decodes it (and rejects it the same way)
    before its one page job exists. ``dpi`` is the resolution PDF pages will be rendered at, to
    check their size in pixels against ``max_image_pixels``.
    """
    _require_file(path)
    if media_type == "application/pdf":
        return inspect_pdf(path, max_pages=max_pages, max_image_pixels=max_image_pixels, dpi=dpi)
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        if count > max_pages:
            raise too_many_pages(count, max_pages)
        for index in range(1, count + 1):
            seek_and_load(image, index, count, max_image_pixels, decode=count > 1)
    return count


def iter_page_images(path: Path, media_type: str, *, dpi: int = 300) -> Iterator[PageImage]:
    """Yield the pages in order, each a fresh grey image that stays valid after the next one.

    ``dpi`` is the resolution PDF pages are rendered at; images keep their own pixels.
    """
    _require_file(path)
    if media_type == "application/pdf":
        yield from iter_pdf_pages(path, dpi)
        return
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        for index in range(1, count + 1):
            seek_and_load(image, index, count, max_image_pixels=None)
            page = page_from_frame(image, index, count)
            if keeps_its_encoding(image, media_type, count):
                suffix = "jpg" if media_type == "image/jpeg" else "png"
                page = replace(page, encoded=EncodedPage(path.read_bytes(), media_type, suffix))
            yield page


def render_page(path: Path, media_type: str, index: int, *, dpi: int = 300) -> PageImage:
    """Just page ``index`` (1-based), for redoing one page job without reading the others."""
    _require_file(path)
    if media_type == "application/pdf":
        count = poppler_page_count(path)
        _check_index(index, count)
        return render_pdf_page(path, index, dpi)
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        _check_index(index, count)
        seek_and_load(image, index, count, max_image_pixels=None)
        return page_from_frame(image, index, count)


# --- shared ---------------------------------------------------------------------------------


def _check_index(index: int, count: int) -> None:
    if not 1 <= index <= count:
        raise ValueError(f"page {index} does not exist; the document has {count} pages")


def _require_file(path: Path) -> None:
    """A missing file is our storage's fault, not the uploader's: never report it as corrupt."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
