"""Saving page images in the formats scanners deliver: PNG, JPEG, multi-page TIFF and PDF.

Every writer keeps each page's resolution and writes the same bytes for the same pages, so a
sample set regenerated from its seed is byte-identical (nothing timestamps the files).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from PIL import Image

from samples.layout import DPI


def _dpi(image: Image.Image) -> tuple[int, int]:
    """The image's resolution, 300 dpi when it has none."""
    x, y = image.info.get("dpi", (DPI, DPI))
    return round(float(x)), round(float(y))


def _single(pages: Sequence[Image.Image], fmt: str) -> Image.Image:
    if len(pages) != 1:
        raise ValueError(f"a {fmt} file holds one page, got {len(pages)}")
    return pages[0]


def save_png(pages: Sequence[Image.Image], path: Path) -> None:
    """Write one page as a lossless PNG."""
    page = _single(pages, "PNG")
    page.save(path, "PNG", dpi=_dpi(page))


def save_jpeg(pages: Sequence[Image.Image], path: Path, quality: int = 85) -> None:
    """Write one page as a JPEG, as a phone or a document camera would."""
    page = _single(pages, "JPEG")
    grey = page.convert("L") if page.mode == "1" else page
    grey.save(path, "JPEG", quality=quality, dpi=_dpi(page))


def save_tiff(pages: Sequence[Image.Image], path: Path) -> None:
    """Write a multi-page TIFF: CCITT Group 4 when every page is bilevel, LZW grey otherwise."""
    if not pages:
        raise ValueError("a TIFF needs at least one page")
    bilevel = all(page.mode == "1" for page in pages)
    frames = [page.copy() if bilevel else page.convert("L") for page in pages]
    for frame, page in zip(frames, pages, strict=True):
        frame.encoderinfo = {"dpi": _dpi(page)}  # Pillow lets each appended frame keep its own
    first, *rest = frames
    first.save(
        path,
        "TIFF",
        save_all=True,
        append_images=rest,
        compression="group4" if bilevel else "tiff_lzw",
        dpi=_dpi(pages[0]),
    )


def save_pdf(pages: Sequence[Image.Image], path: Path, quality: int = 90) -> None:
    """Write an image-only PDF, one page per image sized by the image's resolution.

    This is what a scanner without OCR produces: no text layer, so the pipeline has to OCR it.
    Each page is written by Pillow (JPEG for grey, Group 4 for bilevel) and the pages are joined
    with pikepdf, dropping the creation date and deriving the file /ID from the content.
    """
    if not pages:
        raise ValueError("a PDF needs at least one page")
    with contextlib.ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.new())
        for page in pages:
            buffer = io.BytesIO()
            page.save(buffer, "PDF", dpi=_dpi(page), quality=quality)
            # qpdf copies stream data lazily: each source stays open until the save below.
            single = stack.enter_context(pikepdf.open(buffer))
            pdf.pages.extend(single.pages)
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        pdf.save(path, deterministic_id=True)
