"""Which PDF pages carry their text over a scanned image, told from the PDF itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pdf_originals import draw_page, image_pdf, searchable

from ocr.scan_layer import read_page_drawing, text_layer_over_scan
from ocr.searchable_pdf import PageLayer
from tests.ocr.test_text_layer import FONT, LINES, draw_pdf, scanned_text_image


def test_a_born_digital_page_is_not_a_scan(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "digital.pdf")
    drawing = read_page_drawing(path, 1)
    assert (drawing.image_share, drawing.invisible_chars) == (0.0, 0)
    assert drawing.visible_chars > 50
    assert not text_layer_over_scan(path, 1)


def test_a_small_picture_on_a_born_digital_page_leaves_it_trusted(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=14)
    pdf.add_page()
    pdf.image(scanned_text_image().crop((0, 0, 300, 300)), x=500, y=20, w=60, h=60)
    for number, line in enumerate(LINES):
        pdf.text(72, 100 + 20 * number, line)
    path = tmp_path / "letterhead.pdf"
    pdf.output(str(path))
    drawing = read_page_drawing(path, 1)
    assert 0 < drawing.image_share < 0.01
    assert not drawing.over_scan


def test_invisible_text_over_a_page_image_is_a_scan(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "scan.pdf", invisible=True, image=scanned_text_image())
    drawing = read_page_drawing(path, 1)
    assert drawing.image_share == pytest.approx(1.0)
    assert drawing.visible_chars == 0 and drawing.invisible_chars > 50
    assert text_layer_over_scan(path, 1)


def test_visible_text_drawn_over_a_page_image_is_a_scan_too(tmp_path: Path) -> None:
    """Text painted over a scan shows on it, but the pixels under it may say otherwise."""
    path = draw_pdf(tmp_path / "scan.pdf", image=scanned_text_image())
    assert text_layer_over_scan(path, 1)


def test_invisible_text_without_an_image_is_not_what_the_page_shows(tmp_path: Path) -> None:
    assert text_layer_over_scan(draw_pdf(tmp_path / "hidden.pdf", invisible=True), 1)


def test_sohoas_own_searchable_pdf_is_a_scan(tmp_path: Path) -> None:
    """Its text layer sits in a form XObject over the scan's image."""
    image, words = draw_page()
    original = image_pdf(tmp_path / "scan.pdf", [image])
    out = searchable(original, "application/pdf", [PageLayer(text=words, rotation=0)], [None])
    drawing = read_page_drawing(out, 1)
    assert drawing.image_share == pytest.approx(1.0)
    assert drawing.invisible_chars > 0
    assert drawing.over_scan


def test_a_page_that_cannot_be_followed_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot a pdf at all\n")
    drawing = read_page_drawing(path, 1)
    assert not drawing.readable and drawing.over_scan
