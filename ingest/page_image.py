"""One page as the pipeline sees it, and what both kinds of original share.

Every page image is 8-bit grey (mode ``"L"``), whatever the file held (bilevel, palette, RGB,
CMYK, 16-bit grey, with or without alpha). Tesseract binarises by itself and reads grey at least
as well as a bilevel image we would binarise for it; the OpenCV preprocessing in ``ocr/`` wants
``uint8`` arrays; and Pillow stores ``"1"`` with a byte per pixel anyway, so grey costs no extra
memory. One mode means one code path downstream.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image

from models.errors import RejectedFileError

# What Pillow raises on malformed image data, besides UnidentifiedImageError (its own open()
# catches the same set); e.g. a TIFF page whose directory was cut off raises TypeError.
IMAGE_DATA_ERRORS = (
    OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, struct.error,
)  # fmt: skip


@dataclass(frozen=True)
class EncodedPage:
    """A page's pixels as the original already holds them compressed (a scan's own JPEG, a
    plain PNG), kept as the stored page image instead of a PNG written again: the same pixels
    for a fraction of the bytes and none of the encoding time."""

    data: bytes
    media_type: str
    suffix: str


@dataclass(frozen=True)
class PageImage:
    """One page as an 8-bit grey image; ``dpi`` is None when the file does not say.

    ``encoded`` is set when the original's own encoding of the page decodes to exactly these
    pixels (up to the grey conversion, which OCR applies the same way).
    """

    index: int
    image: Image.Image
    dpi: int | None
    encoded: EncodedPage | None = None


@dataclass(frozen=True)
class PageOutline:
    """A page's size and resolution, and the suffix of its stored image, known before it is
    drawn: what ``prepare`` records of a page that its own OCR job draws. ``image_only`` says
    the page draws one image and nothing else, so it has no text layer to read."""

    index: int
    width: int
    height: int
    dpi: int | None
    suffix: str
    image_only: bool = False


def to_grey(image: Image.Image) -> Image.Image:
    """8-bit grey; transparent parts become white paper, 16-bit data keeps its contrast."""
    mode = image.mode
    if mode == "L":
        return image
    if mode.startswith("I"):
        return deep_to_grey(image)
    if mode == "LAB":
        return image.getchannel("L")
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("L", image.size, 255)
        paper.paste(rgba.convert("L"), mask=rgba.getchannel("A"))
        return paper
    if mode == "CMYK":
        image = image.convert("RGB")
    return image.convert("L")


def deep_to_grey(image: Image.Image) -> Image.Image:
    """Shift 16/32-bit grey down by its real bit depth, as Pillow's convert would clip at 255.

    Scanners often store 12-bit data in 16-bit samples; dividing by 257 would leave such a page
    almost black, so the shift is chosen from the highest value present.
    """
    array = np.clip(np.asarray(image).astype(np.int32, copy=False), 0, None)
    bits = max(8, int(array.max(initial=0)).bit_length())
    return Image.fromarray((array >> (bits - 8)).astype(np.uint8))


def too_many_pages(count: int, max_pages: int) -> RejectedFileError:
    return RejectedFileError(
        f"The file has {count} pages, more than the limit of {max_pages} per file: split it "
        f"into smaller files and upload them to the same dossier.",
        code="too_many_pages",
    )


def too_many_frames(count: int, max_frames: int) -> RejectedFileError:
    return RejectedFileError(
        f"The TIFF file has {count} frames, more than the limit of {max_frames} pages per "
        f"TIFF: it is not a scan we can read page by page. Split it into smaller files, or "
        f"save it as PDF.",
        code="too_many_frames",
    )


def image_bomb(error: Exception) -> RejectedFileError:
    """Pillow's ``DecompressionBombError``: the file declares far more pixels than any scan (a
    small file can claim billions), and decoding it would exhaust the worker's memory."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    claimed = f" ({int(found.group(1)) / 1e6:,.0f} megapixels)" if found else ""
    return RejectedFileError(
        f"The image declares more pixels than can be decoded safely{claimed}; a scanned A4 page "
        f"at 300 dpi has 9 megapixels. The file is damaged or not a scan: scan the paper again "
        f"at 300 dpi.",
        code="image_bomb",
    )
