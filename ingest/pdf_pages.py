"""PDF originals: judged with pikepdf (qpdf), rendered one page at a time with poppler.

The two disagree on damaged files: qpdf "repairs" a PDF cut off in the middle by silently
dropping the pages it lost, while poppler refuses to open it at all. So a PDF that needed repair
and has lost its ``%%EOF`` end marker is rejected as cut off, and a PDF on whose page count the
two readers disagree as damaged.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pdf2image
import pikepdf
from pdf2image import exceptions as pdf2image_errors
from PIL import Image

from ingest.page_image import (
    IMAGE_DATA_ERRORS,
    EncodedPage,
    PageImage,
    image_bomb,
    to_grey,
    too_many_pages,
)
from models.errors import EngineError, RejectedFileError

MIN_SCAN_DPI, MAX_SCAN_DPI = 70, 4800
"""Resolutions a scanned page's own image may have to be taken as it is."""

RENDER_TIMEOUT_SECONDS = 120
"""Seconds poppler may take for one PDF page (or for reading the page count) before we give up."""


def inspect_pdf(path: Path, *, max_pages: int, max_image_pixels: int, dpi: int) -> int:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise encrypted_pdf() from e
    except pikepdf.PdfError as e:
        detail = str(e).replace(f"{path}: ", "").replace(str(path), "the file")
        raise corrupt_pdf(f"it cannot be read ({detail})") from e
    with pdf:
        try:
            if pdf.get_warnings() and not _has_eof_marker(path):
                raise corrupt_pdf("it is incomplete: the end of the file is missing")
            count = len(pdf.pages)
            if count == 0:
                raise RejectedFileError(
                    "The PDF has no pages: scan the paper again or upload the right file.",
                    code="empty_pdf",
                )
            if count > max_pages:
                raise too_many_pages(count, max_pages)
            for index, page in enumerate(pdf.pages, start=1):
                _check_pdf_page_size(page, index, dpi, max_image_pixels)
        except pikepdf.PdfError as e:
            raise corrupt_pdf(f"its page structure is broken ({e})") from e
    if poppler_page_count(path) != count:
        raise corrupt_pdf("it is damaged and some of its pages cannot be found")
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
        raise corrupt_pdf(f"the size of page {index} is not a size ({e})") from e
    width_in, height_in = abs(right - left) * unit / 72, abs(top - bottom) * unit / 72
    pixels = round(width_in * dpi) * round(height_in * dpi)
    if pixels > max_image_pixels:
        raise RejectedFileError(
            f"Page {index} of the PDF is {width_in * 2.54:.0f} x {height_in * 2.54:.0f} cm, "
            f"{pixels / 1e6:.0f} megapixels at {dpi} dpi, more than the limit of "
            f"{max_image_pixels / 1e6:.0f}: scan the paper at its real size or split the file.",
            code="page_too_large",
        )


def poppler_page_count(path: Path) -> int:
    try:
        info = pdf2image.pdfinfo_from_path(str(path), timeout=RENDER_TIMEOUT_SECONDS)
    except pdf2image_errors.PopplerNotInstalledError as e:
        raise _poppler_missing() from e
    except pdf2image_errors.PDFPopplerTimeoutError as e:
        raise _render_timeout("counting its pages") from e
    except pdf2image_errors.PDFPageCountError as e:
        if "password" in str(e).lower():
            raise encrypted_pdf() from e
        raise corrupt_pdf(f"it is damaged ({' '.join(str(e).split())})") from e
    return int(info["Pages"])


def iter_pdf_pages(path: Path, dpi: int) -> Iterator[PageImage]:
    """Each page in turn: a scanned page's own JPEG where it is the whole page, else drawn.

    Poppler counts the pages and reports what is wrong with a file it cannot open (encrypted,
    damaged); qpdf only looks for the scanned JPEGs.
    """
    count = poppler_page_count(path)
    with contextlib.ExitStack() as stack:
        try:
            pdf = stack.enter_context(pikepdf.open(path))
        except pikepdf.PdfError:
            pdf = None
        for index in range(1, count + 1):
            scanned = scanned_page(pdf.pages[index - 1], index) if pdf is not None else None
            yield scanned or render_pdf_page(path, index, dpi)


def scanned_page(page: pikepdf.Page, index: int) -> PageImage | None:
    """The page as its scanner wrote it, when the page is nothing but one JPEG image filling it.

    That is most scanned PDFs, and for them drawing the page with poppler (about 0.15 s at
    300 dpi) then writing it as PNG (about 0.15 s more) only re-creates the JPEG's pixels: the
    JPEG is decoded instead (about 0.03 s) and stored as it is. Anything else (text, several
    images, a turned or cropped page, masks, odd colours) returns None and is drawn.
    """
    try:
        placed = _single_placed_image(page)
        if placed is None:
            return None
        image, (width_pt, height_pt) = placed
        data = image.read_raw_bytes()
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as decoded:
            decoded.load()
            pixels = decoded if decoded.mode == "L" else to_grey(decoded)
    except Image.DecompressionBombError as e:
        raise image_bomb(e) from e
    except (pikepdf.PdfError, RuntimeError, *IMAGE_DATA_ERRORS):
        # qpdf refuses some streams with a bare RuntimeError (absurd /DecodeParms, say)
        return None  # poppler will say what is wrong, if anything is
    x_dpi, y_dpi = pixels.width * 72 / width_pt, pixels.height * 72 / height_pt
    if abs(x_dpi - y_dpi) > 0.01 * x_dpi or not MIN_SCAN_DPI <= x_dpi <= MAX_SCAN_DPI:
        return None
    encoded = EncodedPage(data, "image/jpeg", "jpg")
    return PageImage(index=index, image=pixels, dpi=round(x_dpi), encoded=encoded)


def _single_placed_image(page: pikepdf.Page) -> tuple[pikepdf.Object, tuple[float, float]] | None:
    """The one plain JPEG XObject the page draws over exactly its whole crop box, if so."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        return None
    instructions = pikepdf.parse_content_stream(page)
    if any(isinstance(i, pikepdf.ContentStreamInlineImage) for i in instructions):
        return None
    operands = {str(i.operator): list(i.operands) for i in instructions}
    if [str(i.operator) for i in instructions] not in (["q", "cm", "Do", "Q"], ["cm", "Do"]):
        return None
    matrix = [float(v) for v in operands["cm"]]
    image = page.obj.Resources.XObject.get(str(operands["Do"][0]))
    left, bottom, right, top = (float(v) for v in page.cropbox)
    a, b, c, d, e, f = matrix
    fills = all(
        abs(x - y) < 0.5 for x, y in ((a, right - left), (d, top - bottom), (e, left), (f, bottom))
    )
    if image is None or b or c or not fills or not _plain_jpeg(image):
        return None
    return image, (a, d)


def _plain_jpeg(image: pikepdf.Object) -> bool:
    return (
        image.get("/Subtype") == pikepdf.Name.Image
        and image.get("/Filter")
        in (pikepdf.Name.DCTDecode, pikepdf.Array([pikepdf.Name.DCTDecode]))
        and image.get("/ColorSpace") in (pikepdf.Name.DeviceGray, pikepdf.Name.DeviceRGB)
        and int(image.get("/BitsPerComponent", 0)) == 8
        and not any(key in image for key in ("/Decode", "/SMask", "/Mask", "/ImageMask"))
    )


def render_pdf_page(path: Path, index: int, dpi: int) -> PageImage:
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
            raise corrupt_pdf(f"page {index} cannot be drawn")
        image = images[0]
        image.load()
    except pdf2image_errors.PopplerNotInstalledError as e:
        raise _poppler_missing() from e
    except pdf2image_errors.PDFPopplerTimeoutError as e:
        raise _render_timeout(f"drawing page {index}") from e
    except pdf2image_errors.PDFPageCountError as e:
        raise corrupt_pdf(f"page {index} cannot be drawn ({' '.join(str(e).split())})") from e
    except FileNotFoundError as e:
        # pdf2image runs ``pdftoppm -v`` without translating a missing binary.
        raise _poppler_missing() from e
    except IMAGE_DATA_ERRORS as e:
        raise corrupt_pdf(f"page {index} cannot be drawn ({e})") from e
    return PageImage(index=index, image=image if image.mode == "L" else to_grey(image), dpi=dpi)


def encrypted_pdf() -> RejectedFileError:
    return RejectedFileError(
        "The PDF is password-protected: scan the paper again or upload an unprotected copy.",
        code="encrypted_pdf",
    )


def corrupt_pdf(reason: str) -> RejectedFileError:
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
