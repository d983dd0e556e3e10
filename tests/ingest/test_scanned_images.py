"""A scanned PDF page's own image, taken out of the PDF: pixels, stored encoding and size."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw

from ingest.page_image import PageOutline
from ingest.pages import render_page
from ingest.pdf_pages import iter_pdf_outlines, render_pdf_page
from tests.ingest.scanned_pdfs import ccitt_pdf, flate_pdf

PDF = "application/pdf"


def scan(number: int, size: tuple[int, int] = (850, 1100)) -> Image.Image:
    """A grey page with a dark bar whose place tells the page, and a ramp of greys."""
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100 * number, 100, 100 * number + 80, 180), fill=10)
    for x in range(0, size[0], 10):
        draw.rectangle((x, 900, x + 9, 1000), fill=x % 256)
    return image


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return np.array_equal(np.asarray(a.convert("L")), np.asarray(b.convert("L")))


@pytest.mark.parametrize("predictor", [True, False])
def test_a_flate_page_is_its_own_pixels(tmp_path: Path, predictor: bool) -> None:
    images = [scan(1), scan(2)]
    path = flate_pdf(tmp_path / "lossless.pdf", images, dpi=100, predictor=predictor)
    page = render_page(path, PDF, 2, dpi=300)
    assert (page.index, page.dpi, page.image.mode) == (2, 100, "L")
    assert same_pixels(page.image, images[1])
    if not predictor:  # no PNG holds these data as they are: a PNG is written when stored
        assert page.encoded is None
        return
    assert page.encoded is not None and page.encoded.media_type == "image/png"
    with Image.open(io.BytesIO(page.encoded.data)) as stored:
        assert same_pixels(stored, images[1])
        assert stored.info["dpi"] == pytest.approx((100, 100), abs=0.1)


def test_a_ccitt_page_is_its_own_pixels_stored_as_a_bilevel_png(tmp_path: Path) -> None:
    images = [scan(1).point(lambda v: 255 if v >= 128 else 0)]
    path = ccitt_pdf(tmp_path / "fax.pdf", images, dpi=200)
    with pikepdf.open(path) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.Filter == pikepdf.Array([pikepdf.Name.CCITTFaxDecode])
    page = render_page(path, PDF, 1, dpi=300)
    assert (page.dpi, page.image.mode) == (200, "L")
    assert same_pixels(page.image, images[0])
    assert page.encoded is not None
    with Image.open(io.BytesIO(page.encoded.data)) as stored:
        assert stored.mode == "1"
        assert same_pixels(stored, images[0])


def test_an_inverted_image_is_drawn(tmp_path: Path) -> None:
    """/Decode [1 0] turns the samples over: only poppler draws that right."""
    path = flate_pdf(tmp_path / "negative.pdf", [scan(1)], dpi=100)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        image.Decode = pikepdf.Array([1, 0])
        pdf.save(path)
    page = render_page(path, PDF, 1, dpi=100)
    assert (page.dpi, page.encoded) == (100, None)
    negative = np.asarray(scan(1).point(lambda v: 255 - v), float)
    assert np.abs(np.asarray(page.image, float) - negative).mean() < 1.0


@pytest.mark.parametrize("change", ["none", "rotate", "crop", "text", "odd size"])
def test_a_page_is_outlined_at_the_size_it_is_drawn(tmp_path: Path, change: str) -> None:
    """``prepare`` records a page's size before its job draws it: the two agree."""
    path = flate_pdf(tmp_path / "scan.pdf", [scan(1)], dpi=100)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        first = pdf.pages[0]
        if change == "rotate":
            first.obj.Rotate = 90
        elif change == "crop":
            first.obj.CropBox = pikepdf.Array([0, 0, 300.3, 200.7])
        elif change == "text":
            first.contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 72 Td (Trang 1) Tj ET"))
        elif change == "odd size":
            first.obj.MediaBox = pikepdf.Array([0, 0, 595.3, 841.9])
        pdf.save(path)
    (outline,) = iter_pdf_outlines(path, 300)
    page = render_page(path, PDF, 1, dpi=300)
    only = change == "none"
    assert outline == PageOutline(1, *page.image.size, page.dpi, "png", image_only=only)
    if not only:
        assert page.image.size == render_pdf_page(path, 1, 300).image.size
