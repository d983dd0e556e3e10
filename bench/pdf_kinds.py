"""The same scanned pages as each kind of PDF a desk scanner writes, for the speed benchmarks.

A scanner stores each page as one image filling the page, compressed one of three ways: JPEG
(``DCTDecode``, colour and grey "photo" modes), lossless grey (``FlateDecode``, "text" or
"archive" modes) and bilevel CCITT Group 4 (``CCITTFaxDecode``, black-and-white mode, the
smallest files). Pipelines that only take the JPEG's bytes as they are fall back to drawing the
page for the other two, so each is measured. JBIG2 is left out: no encoder installs from the
Debian packages the project uses.

Each kind also has its pages as PNG files, the input raw ``tesseract`` is given: the same
pixels the PDF holds (the JPEG's decoded, the bilevel ones as a 1-bit PNG).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import img2pdf
from PIL import Image

from samples import save_pdf

KINDS = ("jpeg", "flate", "ccitt")
"""``jpeg``: grey JPEG pages; ``flate``: lossless grey; ``ccitt``: Group 4 bilevel."""

BILEVEL_THRESHOLD = 160
"""Grey level below which a scanner in black-and-white mode makes a pixel black (light
strokes of the generated scans stay legible at 160; at 128 thin diacritics break up)."""


@dataclass(frozen=True)
class PdfOfKind:
    """A PDF of one kind and its pages as PNG files for raw tesseract."""

    kind: str
    pdf: Path | None
    """None for pages uploaded as images one by one."""
    pages: list[Path]


def write_pdf_of_kind(kind: str, images: Sequence[Image.Image], folder: Path) -> PdfOfKind:
    """Write ``images`` (grey scans) as a PDF of ``kind`` and as PNGs holding the same pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{kind}.pdf"
    dpis = [_dpi(image) for image in images]
    if kind == "jpeg":
        save_pdf(images, pdf)
        pixels = [_decoded_jpeg(image) for image in images]
    elif kind == "flate":
        pixels = [image.convert("L") for image in images]
        pngs = [_encoded(page, dpi, "PNG") for page, dpi in zip(pixels, dpis, strict=True)]
        pdf.write_bytes(img2pdf.convert(pngs))
    elif kind == "ccitt":
        pixels = [image.convert("L").point(_bilevel, mode="1") for image in images]
        tiffs = [
            _encoded(page, dpi, "TIFF", compression="group4")
            for page, dpi in zip(pixels, dpis, strict=True)
        ]
        pdf.write_bytes(img2pdf.convert(tiffs))
    else:
        raise ValueError(f"not a kind of PDF: {kind!r}; one of {', '.join(KINDS)}")
    pages = []
    for n, (page, dpi) in enumerate(zip(pixels, dpis, strict=True)):
        path = folder / f"{kind}-{n:03d}.png"
        page.save(path, "PNG", dpi=dpi)
        pages.append(path)
    return PdfOfKind(kind, pdf, pages)


def _bilevel(level: int) -> int:
    return 255 if level >= BILEVEL_THRESHOLD else 0


def _dpi(image: Image.Image) -> tuple[int, int]:
    x, y = image.info.get("dpi", (300, 300))
    return round(float(x)), round(float(y))


def _encoded(image: Image.Image, dpi: tuple[int, int], fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, dpi=dpi, **options)
    return buffer.getvalue()


def _decoded_jpeg(image: Image.Image) -> Image.Image:
    """The pixels ``save_pdf`` leaves in the PDF (it stores grey pages as JPEG, quality 90)."""
    data = _encoded(image.convert("L"), _dpi(image), "JPEG", quality=90)
    return Image.open(io.BytesIO(data)).convert("L")
