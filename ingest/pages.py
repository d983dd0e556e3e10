"""From an uploaded file to page images, one page at a time.

``inspect_document`` is the gate run once per document before any page work is fanned out: it
says how many pages there are, or rejects the file with a reason the operator can act on.
``iter_page_images`` and ``render_page`` then turn pages into images for OCR, one at a time,
because a 200-page dossier at 300 dpi would not fit in a worker's memory all at once.

Every page image is 8-bit grey (mode ``"L"``), whatever the file held (bilevel, palette, RGB,
CMYK, 16-bit grey, with or without alpha). Tesseract binarises by itself and reads grey at least
as well as a bilevel image we would binarise for it; the OpenCV preprocessing in ``ocr/`` wants
``uint8`` arrays (a ``"1"`` image becomes a ``bool`` array); and Pillow stores ``"1"`` with a
byte per pixel anyway, so grey costs no extra memory. One mode means one code path downstream.

PDFs are opened with pikepdf to judge them (qpdf repairs small damage and detects encryption) and
rendered with poppler's ``pdftoppm`` through pdf2image. The two disagree on damaged files: qpdf
"repairs" a PDF cut off in the middle by silently dropping the pages it lost, while poppler
refuses to open it at all. So a PDF that needed repair and has lost its ``%%EOF`` end marker is
rejected as cut off, and a PDF on whose page count the two readers disagree as damaged.

Errors: what is wrong with the file -> ``RejectedFileError`` (``encrypted_pdf``, ``corrupt_pdf``,
``empty_pdf``, ``too_many_pages``, ``image_too_large``, ``corrupt_image``); poppler missing or
too slow on this host -> ``EngineError`` (``poppler_missing``, ``render_timeout``).
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdf2image
import pikepdf
from pdf2image import exceptions as pdf2image_errors
from PIL import Image, ImageOps, UnidentifiedImageError

from models.errors import EngineError, RejectedFileError

RENDER_TIMEOUT_SECONDS = 120
"""Seconds poppler may take for one PDF page (or for reading the page count) before we give up."""

MIN_PLAUSIBLE_DPI = 70
"""A resolution below this in a file header is a placeholder (1, 0, an aspect ratio), not a fact."""

MAX_PLAUSIBLE_DPI = 4800

_PIL_FORMATS = {"image/tiff": ["TIFF"], "image/jpeg": ["JPEG"], "image/png": ["PNG"]}

# What Pillow raises on malformed image data, besides UnidentifiedImageError (its own open()
# catches the same set); e.g. a TIFF page whose directory was cut off raises TypeError.
_IMAGE_DATA_ERRORS = (
    OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, struct.error,
)  # fmt: skip


@dataclass(frozen=True)
class PageImage:
    """One page as an 8-bit grey image; ``dpi`` is None when the file does not say."""

    index: int
    image: Image.Image
    dpi: int | None


def inspect_document(
    path: Path, media_type: str, *, max_pages: int, max_image_pixels: int, dpi: int = 300
) -> int:
    """Return the number of pages, or reject a file that can never be processed.

    Images are decoded completely here (one frame at a time), so truncation is found before
    page jobs are created rather than in the middle of them. ``dpi`` is the resolution PDF
    pages will be rendered at, to check their size in pixels against ``max_image_pixels``.
    """
    _require_file(path)
    if media_type == "application/pdf":
        return _inspect_pdf(path, max_pages=max_pages, max_image_pixels=max_image_pixels, dpi=dpi)
    with _open_image(path, media_type) as image:
        count = _frame_count(image, media_type)
        if count > max_pages:
            raise _too_many_pages(count, max_pages)
        for index in range(1, count + 1):
            _seek_and_load(image, index, count, max_image_pixels)
    return count


def iter_page_images(path: Path, media_type: str, *, dpi: int = 300) -> Iterator[PageImage]:
    """Yield the pages in order, each a fresh grey image that stays valid after the next one.

    ``dpi`` is the resolution PDF pages are rendered at; images keep their own pixels.
    """
    _require_file(path)
    if media_type == "application/pdf":
        for index in range(1, _poppler_page_count(path) + 1):
            yield _render_pdf_page(path, index, dpi)
        return
    with _open_image(path, media_type) as image:
        count = _frame_count(image, media_type)
        for index in range(1, count + 1):
            _seek_and_load(image, index, count, max_image_pixels=None)
            yield _page_from_frame(image, index, count)


def render_page(path: Path, media_type: str, index: int, *, dpi: int = 300) -> PageImage:
    """Just page ``index`` (1-based), for redoing one page job without reading the others."""
    _require_file(path)
    if media_type == "application/pdf":
        count = _poppler_page_count(path)
        _check_index(index, count)
        return _render_pdf_page(path, index, dpi)
    with _open_image(path, media_type) as image:
        count = _frame_count(image, media_type)
        _check_index(index, count)
        _seek_and_load(image, index, count, max_image_pixels=None)
        return _page_from_frame(image, index, count)


# --- PDF -------------------------------------------------------------------------------------


def _inspect_pdf(path: Path, *, max_pages: int, max_image_pixels: int, dpi: int) -> int:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise _encrypted_pdf() from e
    except pikepdf.PdfError as e:
        raise _corrupt_pdf(f"it cannot be read ({e})") from e
    with pdf:
        try:
            if pdf.get_warnings() and not _has_eof_marker(path):
                raise _corrupt_pdf("it is incomplete: the end of the file is missing")
            count = len(pdf.pages)
            if count == 0:
                raise RejectedFileError(
                    "The PDF has no pages: scan the paper again or upload the right file.",
                    code="empty_pdf",
                )
            if count > max_pages:
                raise _too_many_pages(count, max_pages)
            for index, page in enumerate(pdf.pages, start=1):
                _check_pdf_page_size(page, index, dpi, max_image_pixels)
        except pikepdf.PdfError as e:
            raise _corrupt_pdf(f"its page structure is broken ({e})") from e
    if _poppler_page_count(path) != count:
        raise _corrupt_pdf("it is damaged and some of its pages cannot be found")
    return count


def _has_eof_marker(path: Path) -> bool:
    """A complete PDF ends with ``%%EOF`` (readers allow up to 1 KiB of trailing junk)."""
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 1024))
        return b"%%EOF" in file.read()


def _check_pdf_page_size(page: pikepdf.Page, index: int, dpi: int, max_image_pixels: int) -> None:
    """Refuse a page whose rendering would not fit in memory (a vector "decompression bomb")."""
    try:
        left, bottom, right, top = (float(v) for v in page.cropbox)
        unit = float(page.obj.get("/UserUnit", 1))
    except (TypeError, ValueError) as e:
        raise _corrupt_pdf(f"the size of page {index} is not a size ({e})") from e
    width_in, height_in = abs(right - left) * unit / 72, abs(top - bottom) * unit / 72
    pixels = round(width_in * dpi) * round(height_in * dpi)
    if pixels > max_image_pixels:
        raise RejectedFileError(
            f"Page {index} of the PDF is {width_in * 2.54:.0f} x {height_in * 2.54:.0f} cm, "
            f"{pixels / 1e6:.0f} megapixels at {dpi} dpi, more than the limit of "
            f"{max_image_pixels / 1e6:.0f}: scan the paper at its real size or split the file.",
            code="image_too_large",
        )


def _poppler_page_count(path: Path) -> int:
    try:
        info = pdf2image.pdfinfo_from_path(str(path), timeout=RENDER_TIMEOUT_SECONDS)
    except pdf2image_errors.PopplerNotInstalledError as e:
        raise _poppler_missing() from e
    except pdf2image_errors.PDFPopplerTimeoutError as e:
        raise _render_timeout("counting its pages") from e
    except pdf2image_errors.PDFPageCountError as e:
        if "password" in str(e).lower():
            raise _encrypted_pdf() from e
        raise _corrupt_pdf(f"it is damaged ({' '.join(str(e).split())})") from e
    return int(info["Pages"])


def _render_pdf_page(path: Path, index: int, dpi: int) -> PageImage:
    try:
        images = pdf2image.convert_from_path(
            str(path),
            dpi=dpi,
            first_page=index,
            last_page=index,
            grayscale=True,
            use_cropbox=True,
            timeout=RENDER_TIMEOUT_SECONDS,
        )
        if len(images) != 1:
            raise _corrupt_pdf(f"page {index} cannot be drawn")
        image = images[0]
        image.load()
    except pdf2image_errors.PopplerNotInstalledError as e:
        raise _poppler_missing() from e
    except pdf2image_errors.PDFPopplerTimeoutError as e:
        raise _render_timeout(f"drawing page {index}") from e
    except pdf2image_errors.PDFPageCountError as e:
        raise _corrupt_pdf(f"page {index} cannot be drawn ({' '.join(str(e).split())})") from e
    except FileNotFoundError as e:
        # pdf2image runs ``pdftoppm -v`` without translating a missing binary.
        raise _poppler_missing() from e
    except _IMAGE_DATA_ERRORS as e:
        raise _corrupt_pdf(f"page {index} cannot be drawn ({e})") from e
    return PageImage(index=index, image=image if image.mode == "L" else _to_grey(image), dpi=dpi)


def _encrypted_pdf() -> RejectedFileError:
    return RejectedFileError(
        "The PDF is password-protected: scan the paper again or upload an unprotected copy.",
        code="encrypted_pdf",
    )


def _corrupt_pdf(reason: str) -> RejectedFileError:
    return RejectedFileError(
        f"The PDF cannot be processed because {reason}. It was probably cut off or damaged "
        f"while copying or uploading: upload the original file again or scan the paper again.",
        code="corrupt_pdf",
    )


def _poppler_missing() -> EngineError:
    return EngineError(
        "poppler (pdfinfo, pdftoppm) is not installed or not on PATH on this worker; install "
        "poppler-utils",
        code="poppler_missing",
    )


def _render_timeout(doing: str) -> EngineError:
    return EngineError(
        f"poppler took more than {RENDER_TIMEOUT_SECONDS} s {doing} of the PDF",
        code="render_timeout",
    )


# --- TIFF, JPEG, PNG -------------------------------------------------------------------------


def _open_image(path: Path, media_type: str) -> Image.Image:
    """Open lazily (header only) with the one decoder the sniffed type allows."""
    try:
        formats = _PIL_FORMATS[media_type]
    except KeyError:
        raise ValueError(f"not a supported media type: {media_type!r}") from None
    try:
        with warnings.catch_warnings():
            # Size limits are ours to apply (max_image_pixels); Pillow's warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path, formats=formats)
    except Image.DecompressionBombError as e:
        raise _image_too_large(str(e)) from e
    except (UnidentifiedImageError, *_IMAGE_DATA_ERRORS) as e:
        if isinstance(e, (FileNotFoundError, PermissionError)):
            raise
        raise _corrupt_image(None, f"it cannot be read ({e})") from e


def _frame_count(image: Image.Image, media_type: str) -> int:
    """Pages of an image file: TIFF frames; a JPEG or PNG is one page (MPO/APNG extras are not)."""
    if media_type != "image/tiff":
        return 1
    try:
        return int(getattr(image, "n_frames", 1))
    except _IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(None, f"its list of pages is damaged ({e})") from e


def _seek_and_load(
    image: Image.Image, index: int, count: int, max_image_pixels: int | None
) -> None:
    """Decode frame ``index`` in place, checking its size before a single pixel is decoded."""
    page = index if count > 1 else None
    try:
        image.seek(index - 1)
        if max_image_pixels is not None and image.width * image.height > max_image_pixels:
            raise _image_too_large(
                f"{'page ' + str(index) + ' is ' if page else ''}{image.width} x {image.height} "
                f"pixels, more than the limit of {max_image_pixels / 1e6:.0f} megapixels"
            )
        image.load()
    except Image.DecompressionBombError as e:
        raise _image_too_large(str(e)) from e
    except _IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(page, f"it cannot be decoded ({e})") from e


def _page_from_frame(frame: Image.Image, index: int, count: int) -> PageImage:
    """A grey copy of the loaded frame, upright per its EXIF orientation, with square pixels.

    A copy (``exif_transpose`` always makes one), because seeking to the next TIFF frame
    overwrites the frame object in place.
    """
    dpi = _dpi_of(frame)
    try:
        image = _to_grey(ImageOps.exif_transpose(frame))
    except _IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(index if count > 1 else None, f"it cannot be decoded ({e})") from e
    if dpi is None:
        return PageImage(index=index, image=image, dpi=None)
    x_dpi, y_dpi = dpi
    if abs(x_dpi - y_dpi) > 0.01 * max(x_dpi, y_dpi):
        # Fax "standard" mode is 204 x 98 dpi: letters are squashed to half height unless the
        # pixels are made square, and tesseract takes a single resolution.
        target = max(x_dpi, y_dpi)
        size = (round(image.width * target / x_dpi), round(image.height * target / y_dpi))
        image = image.resize(size, Image.Resampling.BICUBIC)
    return PageImage(index=index, image=image, dpi=round(max(x_dpi, y_dpi)))


def _dpi_of(image: Image.Image) -> tuple[float, float] | None:
    """The resolution the file states, unless it is a placeholder."""
    value = image.info.get("dpi")
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    x_dpi, y_dpi = float(value[0]), float(value[1])
    plausible = min(x_dpi, y_dpi) >= MIN_PLAUSIBLE_DPI and max(x_dpi, y_dpi) <= MAX_PLAUSIBLE_DPI
    return (x_dpi, y_dpi) if plausible else None


def _to_grey(image: Image.Image) -> Image.Image:
    """8-bit grey; transparent parts become white paper, 16-bit data keeps its contrast."""
    mode = image.mode
    if mode == "L":
        return image
    if mode.startswith("I"):
        return _deep_to_grey(image)
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


def _deep_to_grey(image: Image.Image) -> Image.Image:
    """Shift 16/32-bit grey down by its real bit depth, as Pillow's convert would clip at 255.

    Scanners often store 12-bit data in 16-bit samples; dividing by 257 would leave such a page
    almost black, so the shift is chosen from the highest value present.
    """
    array = np.clip(np.asarray(image).astype(np.int32, copy=False), 0, None)
    bits = max(8, int(array.max(initial=0)).bit_length())
    return Image.fromarray((array >> (bits - 8)).astype(np.uint8))


def _corrupt_image(page: int | None, reason: str) -> RejectedFileError:
    where = f"page {page} of the image" if page else "the image"
    return RejectedFileError(
        f"Cannot process {where}: {reason}. The file is probably cut off or damaged: upload "
        f"the original file again or scan the paper again.",
        code="corrupt_image",
    )


def _image_too_large(detail: str) -> RejectedFileError:
    return RejectedFileError(
        f"The image is too large to process ({detail}): scan at 300 dpi and at the paper's real "
        f"size.",
        code="image_too_large",
    )


# --- shared ----------------------------------------------------------------------------------


def _too_many_pages(count: int, max_pages: int) -> RejectedFileError:
    return RejectedFileError(
        f"The file has {count} pages, more than the limit of {max_pages} per file: split it "
        f"into smaller files and upload them to the same dossier.",
        code="too_many_pages",
    )


def _check_index(index: int, count: int) -> None:
    if not 1 <= index <= count:
        raise ValueError(f"page {index} does not exist; the document has {count} pages")


def _require_file(path: Path) -> None:
    """A missing file is our storage's fault, not the uploader's: never report it as corrupt."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
