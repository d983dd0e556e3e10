"""PDF originals: judged with pikepdf (qpdf), drawn one page at a time with poppler.

The two disagree on damaged files: qpdf "repairs" a PDF cut off in the middle by silently
dropping the pages it lost, while poppler refuses to open it at all. So a PDF that needed repair
and has lost its ``%%EOF`` end marker is rejected as cut off, and a PDF on whose page count the
two readers disagree as damaged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pdf2image
import pikepdf
from pdf2image import exceptions as pdf2image_errors

from ingest.page_image import IMAGE_DATA_ERRORS, PageImage, PageOutline, to_grey, too_many_pages
from ingest.scanned_images import decode_scanned_image, scanned_image
from models.errors import EngineError, RejectedFileError

RENDER_TIMEOUT_SECONDS = 120
"""Seconds poppler may take for one PDF page (or for reading the page count) before we give up."""


def inspect_pdf(path: Path, *, max_pages: int, max_image_pixels: int, dpi: int) -> int:
    with open_pdf(path) as pdf:
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


def open_pdf(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise encrypted_pdf() from e
    except pikepdf.PdfError as e:
        detail = str(e).replace(f"{path}: ", "").replace(str(path), "the file")
        raise corrupt_pdf(f"it cannot be read ({detail})") from e


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


def iter_pdf_outlines(path: Path, dpi: int) -> Iterator[PageOutline]:
    """Each page's size and resolution as ``draw_pdf_page`` will give it, without drawing."""
    with open_pdf(path) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            yield page_outline(page, index, dpi)


def page_outline(page: pikepdf.Page, index: int, dpi: int) -> PageOutline:
    """A scanned page's own image size, else the size poppler draws the crop box at ``dpi``
    (it rounds up, and swaps the sides of a page turned a quarter)."""
    scanned = scanned_image(page)
    if scanned is not None:
        suffix = "jpg" if scanned.image.get("/Filter") == pikepdf.Name.DCTDecode else "png"
        return PageOutline(
            index, scanned.width, scanned.height, scanned.dpi, suffix, image_only=True
        )
    left, bottom, right, top = (float(v) for v in page.cropbox)
    width, height = math.ceil(abs(right - left) * dpi / 72), math.ceil(abs(top - bottom) * dpi / 72)
    if int(page.obj.get("/Rotate", 0)) % 180:
        width, height = height, width
    return PageOutline(index, width, height, dpi, "png")


def draw_pdf_page(path: Path, index: int, dpi: int) -> PageImage:
    """Page ``index`` alone: a scanned page's own image where it is the whole page
    (``ingest.scanned_images``), else drawn by poppler."""
    with open_pdf(path) as pdf:
        if not 1 <= index <= len(pdf.pages):
            raise ValueError(f"page {index} does not exist; the PDF has {len(pdf.pages)} pages")
        scanned = scanned_image(pdf.pages[index - 1])
        page = decode_scanned_image(scanned, index) if scanned is not None else None
    return page or render_pdf_page(path, index, dpi)


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
