"""A searchable PDF of one document: its original pages, with the OCR words as invisible text.

The pages are the uploaded ones, never our grey page images: a PDF original keeps its own page
objects (content, images, fonts, annotations, byte for byte), and an image original is embedded
without loss by img2pdf (JPEG and CCITT G4 data as they are, other pixels Flate-compressed).
Over each page lies the text layer of ``ocr.invisible_text``, placed by fractions of the page as
displayed, so it lands on the printed words whatever the page size, CropBox, /Rotate or dpi.

The recipe has two stages: an image original first becomes an image-only PDF, one page at a
time; then the words are laid over the pages of that PDF, or of the PDF original, one at a time.

Memory does not grow with the page count. qpdf reads a PDF's objects lazily and copies stream
data from the input files only while writing. Each image page is written as a one-page PDF file
of its own, and the pages are gathered with qpdf's job interface, which reads them lazily too
and keeps a bounded number of them open; copying pages between open ``pikepdf.Pdf`` objects
instead would hold every copied image in memory until the end (pikepdf copies eagerly).

Errors: ``glyphless_font_missing`` (tesseract's ``pdf.ttf`` not installed) and
``searchable_pdf_failed`` (qpdf or img2pdf could not write the file) are ``EngineError``;
layers that do not match the pages one for one are a ``ValueError``, a caller's bug.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import img2pdf
import numpy as np
import pikepdf
from PIL import Image, ImageOps

from models.errors import EngineError
from ocr.active_content import remove_active_content
from ocr.invisible_text import ROTATIONS, add_glyphless_font, add_text_layer, find_glyphless_font
from ocr.words import PageText

DEFAULT_IMAGE_DPI = 300
"""Resolution assumed for an image page whose file does not state a plausible one."""

_PDF = "application/pdf"
_IMAGE_FORMATS = {"image/tiff": "TIFF", "image/jpeg": "JPEG", "image/png": "PNG"}

_EXIF_ORIENTATION = 0x0112
_TURN_OF_ORIENTATION = {1: 0, 3: 180, 6: 90, 8: 270}
"""EXIF orientations a page /Rotate can show; the mirrored ones (2, 4, 5, 7) need new pixels."""

_IMG2PDF_ERRORS = (
    img2pdf.AlphaChannelError, img2pdf.ExifOrientationError, img2pdf.ImageOpenError,
    img2pdf.JpegColorspaceError, img2pdf.UnsupportedColorspaceError,
)  # fmt: skip
_IMG2PDF_REFUSALS = (*_IMG2PDF_ERRORS, ValueError)
"""What img2pdf raises for an image it will not embed as it is (16-bit with alpha, odd modes)."""

_EMBEDDABLE_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I;16B"}


@dataclass(frozen=True)
class PageLayer:
    """The words of one page, and how its content is turned in the page image.

    ``text`` is in pixels of the page image the words were read from: the original page as
    stored (upright per EXIF for an image file), not a deskewed or rotated copy. ``rotation``
    is the clockwise turn (0, 90, 180 or 270 degrees) of the printed content in that image:
    at 90 and 270 the lines run down or up the page, and the text layer follows them.
    """

    text: PageText
    rotation: int

    def __post_init__(self) -> None:
        if self.rotation not in ROTATIONS:
            raise ValueError(f"rotation must be one of {ROTATIONS}, not {self.rotation}")


def write_searchable_pdf(
    original: Path,
    media_type: str,
    layers: Iterable[PageLayer],
    out: Path,
    *,
    image_dpi: Sequence[int | None],
) -> None:
    """Write ``out``: the pages of ``original`` with the words of ``layers`` over them.

    ``layers`` has one entry per page, in order; it is read one page at a time, so it may be a
    generator loading each page's words. ``image_dpi`` is the resolution recorded for each page
    of an image original (None when unknown: ``DEFAULT_IMAGE_DPI``), which sets the paper
    size; PDF pages keep their own size and ignore it. ``out`` appears complete or not at all.
    """
    font_file = find_glyphless_font()
    if media_type != _PDF and media_type not in _IMAGE_FORMATS:
        raise ValueError(f"not a supported media type: {media_type!r}")
    with tempfile.TemporaryDirectory(prefix=".sohoa-pdf-", dir=out.parent) as temporary:
        folder = Path(temporary)
        try:
            if media_type == _PDF:
                with pikepdf.open(original) as pdf:
                    _add_layers(pdf, iter(layers), font_file, folder / "searchable.pdf")
            else:
                pages = _write_image_pages(original, media_type, image_dpi, folder)
                with _gathered(pages) as pdf:
                    _add_layers(pdf, iter(layers), font_file, folder / "searchable.pdf")
        except (pikepdf.PdfError, pikepdf.JobUsageError, *_IMG2PDF_ERRORS) as e:
            raise EngineError(
                f"the searchable PDF could not be written: {e}", code="searchable_pdf_failed"
            ) from e
        os.replace(folder / "searchable.pdf", out)


def _add_layers(
    pdf: pikepdf.Pdf, layers: Iterator[PageLayer], font_file: Path, target: Path
) -> None:
    """Lay each page's words over it, take out the input's active content, then write without
    decoding any stream.

    Not decoding keeps the original's images and content byte for byte (qpdf would otherwise
    re-encode LZW or uncompressed streams); our own layers are compressed already.
    """
    font = add_glyphless_font(pdf, font_file)
    count = 0
    for count, page in enumerate(pdf.pages, start=1):
        layer = next(layers, None)
        if layer is None:
            raise ValueError(f"only {count - 1} page layers for a longer original")
        add_text_layer(pdf, page, layer.text, layer.rotation, font)
    if next(layers, None) is not None:
        raise ValueError(f"more page layers than the {count} pages of the original")
    remove_active_content(pdf)
    pdf.save(target, stream_decode_level=pikepdf.StreamDecodeLevel.none)


@contextmanager
def _gathered(pages: Sequence[Path]) -> Iterator[pikepdf.Pdf]:
    """The one-page PDFs as one document, read lazily from their files while it is written.

    qpdf's job keeps up to 200 of the files open and reopens the others when it needs them.
    """
    # The job needs an output name; it writes nothing, as only its first stage is run.
    job = pikepdf.Job(["qpdf", "--empty", "--pages", *map(str, pages), "--", "unused.pdf"])
    with job.create_pdf() as pdf:
        yield pdf


# --- image originals -------------------------------------------------------------------------


def _write_image_pages(
    original: Path, media_type: str, image_dpi: Sequence[int | None], folder: Path
) -> list[Path]:
    """Write each page of the image file as a one-page PDF, holding one page image at a time."""
    with _quiet_size_warnings():
        image = Image.open(original, formats=[_IMAGE_FORMATS[media_type]])
    with image:
        count = getattr(image, "n_frames", 1) if media_type == "image/tiff" else 1
        if len(image_dpi) != count:
            raise ValueError(f"{len(image_dpi)} resolutions for an image of {count} pages")
        # JPEG and PNG data can be embedded as they are; TIFF frames are copied out one by one.
        as_is = original if media_type != "image/tiff" else None
        pages = []
        for index, dpi in enumerate(image_dpi):
            image.seek(index)
            pages.append(folder / f"page-{index + 1}.pdf")
            _write_image_page(image, as_is, _stored_size(image, dpi), pages[-1])
    return pages


def _stored_size(frame: Image.Image, dpi: int | None) -> tuple[float, float]:
    """Width and height in points of ``frame`` as stored (before EXIF turns it).

    The rule the page images were made by (``ingest.pages``): ``dpi`` is the larger of the
    file's two resolutions, and a file with unequal ones (a fax, 204 x 98) keeps their ratio;
    without a recorded resolution the pixels are square at ``DEFAULT_IMAGE_DPI``.
    """
    x_dpi = y_dpi = float(dpi or DEFAULT_IMAGE_DPI)
    stated = frame.info.get("dpi")
    if dpi and isinstance(stated, tuple) and len(stated) == 2 and min(stated) > 0:
        x_stated, y_stated = float(stated[0]), float(stated[1])  # TIFF gives exact fractions
        x_dpi, y_dpi = (dpi * v / max(x_stated, y_stated) for v in (x_stated, y_stated))
    return frame.width * 72 / x_dpi, frame.height * 72 / y_dpi


def _write_image_page(
    frame: Image.Image, as_is: Path | None, size: tuple[float, float], target: Path
) -> None:
    """One page showing ``frame`` upright; ``size`` is its paper size as stored.

    The file ``as_is`` is embedded untouched when img2pdf takes it and a /Rotate can show its
    EXIF orientation; otherwise a lossless copy of the upright pixels is.
    """
    orientation = frame.getexif().get(_EXIF_ORIENTATION, 1)
    turn = _TURN_OF_ORIENTATION.get(orientation)
    if as_is is not None and turn is not None:
        with contextlib.suppress(*_IMG2PDF_REFUSALS):  # refused: embed a converted copy below
            _convert(as_is, turn, size, target)
            return
    upright = ImageOps.exif_transpose(frame)
    sideways = orientation in (5, 6, 7, 8)
    _convert(_lossless_copy(upright), 0, (size[1], size[0]) if sideways else size, target)


def _convert(source: Path | bytes, turn: int, size: tuple[float, float], target: Path) -> None:
    """img2pdf, on a page of ``size`` points (as stored) that /Rotate ``turn`` shows upright."""
    width, height = size

    def layout(*_: Any) -> tuple[float, float, float, float]:
        return width, height, width, height

    with _quiet_size_warnings(), target.open("wb") as stream:
        img2pdf.convert(
            source,
            outputstream=stream,
            layout_fun=layout,
            rotation=img2pdf.Rotation[str(turn)],
            first_frame_only=True,
            nodate=True,
        )


def _lossless_copy(image: Image.Image) -> bytes:
    """The pixels in a file img2pdf embeds without loss: G4 for bilevel, else PNG or Deflate."""
    image = _embeddable(image)
    buffer = BytesIO()
    if image.mode == "1":
        image.save(buffer, format="TIFF", compression="group4")
    elif image.mode == "CMYK":
        image.save(buffer, format="TIFF", compression="tiff_adobe_deflate")
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def _embeddable(image: Image.Image) -> Image.Image:
    """The image in a mode PNG, G4 or a CMYK TIFF can hold, changing pixels only where forced."""
    mode = image.mode
    if mode in _EMBEDDABLE_MODES:
        return image
    if mode in ("I", "F", "I;16L", "I;16N"):
        # 16 bits is the most a PDF image sample holds; scanners do not produce more.
        array = np.clip(np.asarray(image), 0, 65535).astype(np.uint16)
        return Image.fromarray(array)
    if mode == "LAB":
        return image.getchannel("L")
    if "A" in image.getbands() or "a" in image.getbands():
        return image.convert("RGBA")
    return image.convert("RGB")


@contextmanager
def _quiet_size_warnings() -> Iterator[None]:
    """Page size limits were applied when the file was accepted; Pillow's warning is noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield
