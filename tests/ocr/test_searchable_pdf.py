"""Searchable PDFs of real originals, checked with poppler and qpdf.

Pages are drawn with Pillow in DejaVu Sans (it has the Vietnamese letters) and their words'
boxes measured as drawn, so the expected text and boxes are exact. Each original is written the
way scanners and phones write them: an image-only PDF, multi-page G4 and LZW TIFFs, a fax TIFF,
a JPEG turned by EXIF, a PNG with alpha. ``pdftotext`` must read the words back in order, with
``-bbox`` boxes on the drawn words, and the page pixels must be the original's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import img2pdf
import pdf2image
import pikepdf
import pytest
from pdf_originals import (
    A4,
    DPI,
    LINES,
    as_pil,
    assert_words_on_their_boxes,
    draw_page,
    embedded_images,
    image_pdf,
    page_boxes,
    pdftotext,
    png_16bit_rgba,
    render,
    same_pixels,
    searchable,
    text_lines,
    turned,
)
from PIL import Image, ImageDraw, ImageOps, TiffImagePlugin

from models.errors import EngineError
from ocr.engine import make_engine
from ocr.invisible_text import GLYPHLESS_FONT_FILE, find_glyphless_font
from ocr.searchable_pdf import PageLayer, write_searchable_pdf
from ocr.words import PageText, Word

# --- PDF originals ---------------------------------------------------------------------------


def test_pdf_original_keeps_its_pages_and_gains_the_words(tmp_path: Path) -> None:
    first, first_text = draw_page()
    second, second_text = draw_page(("Trang hai", "Ngày 01 tháng 02 năm 2024"), size=(1654, 1169))
    original = image_pdf(tmp_path / "scan.pdf", [first, second])

    # Words may arrive with combining marks (NFD); the PDF's text is NFC all the same.
    decomposed = [replace(w, text=unicodedata.normalize("NFD", w.text)) for w in second_text.words]
    layers = [PageLayer(first_text, 0), PageLayer(replace(second_text, words=decomposed), 0)]
    out = searchable(original, "application/pdf", layers, [DPI, DPI])

    assert page_boxes(out) == page_boxes(original)
    assert text_lines(out, 1)[:4] == list(LINES)
    assert text_lines(out, 2) == ["Trang hai", "Ngày 01 tháng 02 năm 2024"]
    assert_words_on_their_boxes(out, first_text, 1)
    assert_words_on_their_boxes(out, second_text, 2)
    with pikepdf.open(original) as before, pikepdf.open(out) as after:
        for pdf_page_before, pdf_page_after in zip(before.pages, after.pages, strict=True):
            (image_before,) = pdf_page_before.get_images().values()
            (image_after,) = pdf_page_after.get_images().values()
            assert image_after.read_raw_bytes() == image_before.read_raw_bytes()
            assert image_after.Filter == image_before.Filter
    # The words are invisible: rendered, each page is the original's, pixel for pixel.
    for page_before, page_after in zip(render(original), render(out), strict=True):
        assert same_pixels(page_after, page_before)


def test_cropbox_and_rotate_of_the_original_are_followed(tmp_path: Path) -> None:
    """Stored sideways with /Rotate 90 and cropped: the words still land where they show."""
    upright, text = draw_page()
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # 90° counter-clockwise
    original = image_pdf(tmp_path / "scan.pdf", [stored])
    margin = 36.0  # points cut off each side, the way a scanner's crop setting does
    with pikepdf.open(original, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        left, bottom, right, top = (float(v) for v in page.mediabox)
        page.cropbox = pikepdf.Array([left + margin, bottom + margin, right - margin, top - margin])
        page.rotation = 90
        pdf.save(original)
    # What pdftoppm shows through the CropBox, turned: the upright page less the margins.
    cut = round(margin * DPI / 72)
    shown = PageText(
        width=text.width - 2 * cut,
        height=text.height - 2 * cut,
        words=[replace(w, left=w.left - cut, top=w.top - cut) for w in text.words],
    )
    (rendered,) = pdf2image.convert_from_path(original, dpi=DPI, use_cropbox=True)
    assert rendered.size == (shown.width, shown.height)

    out = searchable(original, "application/pdf", [PageLayer(shown, 0)], [DPI])

    assert page_boxes(out) == page_boxes(original)
    assert text_lines(out)[:4] == list(LINES)
    assert_words_on_their_boxes(out, shown)


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_turned_content_is_still_read_as_words(tmp_path: Path, quarter_turns: int) -> None:
    """A landscape form scanned sideways: the words run down (90) or up (270) the page.

    Poppler reads each line whole; it puts separate blocks of upward text (270) last-first,
    as it does for any PDF, so for that turn only the lines are compared, not their order.
    """
    page, text = turned(*draw_page(), quarter_turns)
    original = image_pdf(tmp_path / "scan.pdf", [page])

    out = searchable(original, "application/pdf", [PageLayer(text, 90 * quarter_turns)], [DPI])

    lines = text_lines(out)
    assert (sorted(lines) if quarter_turns == 3 else lines) == (
        sorted(LINES) if quarter_turns == 3 else list(LINES)
    )
    assert_words_on_their_boxes(out, text, rotation=90 * quarter_turns)


def test_a_page_without_words_is_left_as_it_was(tmp_path: Path) -> None:
    first, first_text = draw_page()
    blank = Image.new("L", A4, 255)
    original = image_pdf(tmp_path / "scan.pdf", [first, blank])
    layers = [PageLayer(first_text, 0), PageLayer(PageText(A4[0], A4[1], []), 0)]

    out = searchable(original, "application/pdf", layers, [DPI, DPI])

    with pikepdf.open(original) as before, pikepdf.open(out) as after:
        assert after.pages[1].Contents.read_bytes() == before.pages[1].Contents.read_bytes()
        assert pikepdf.Name.Font not in after.pages[1].resources
        assert pikepdf.Name.Font in after.pages[0].resources
    assert pdftotext(out, 2).strip() == ""


def test_state_left_by_the_original_content_cannot_move_the_words(tmp_path: Path) -> None:
    """A page whose content ends scaled and clipped, and already has a font of our name."""
    page, text = draw_page()
    original = image_pdf(tmp_path / "scan.pdf", [page])
    with pikepdf.open(original, allow_overwriting_input=True) as pdf:
        helvetica = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page_obj = pdf.pages[0]
        page_obj.resources[pikepdf.Name.Font] = pikepdf.Dictionary(GlyphLessFont=helvetica)
        page_obj.contents_add(b"\n0.5 0 0 0.5 0 0 cm 0 0 10 10 re W n 7 Tr\n")
        pdf.save(original)

    out = searchable(original, "application/pdf", [PageLayer(text, 0)], [DPI])

    assert_words_on_their_boxes(out, text)
    with pikepdf.open(out) as pdf:
        fonts = pdf.pages[0].resources.Font
        assert fonts.GlyphLessFont.BaseFont == pikepdf.Name.Helvetica
        assert len(fonts.keys()) == 2


def test_layers_must_match_the_pages_one_for_one(tmp_path: Path) -> None:
    page, text = draw_page()
    original = image_pdf(tmp_path / "scan.pdf", [page, page])
    out = tmp_path / "searchable.pdf"
    with pytest.raises(ValueError, match="page layers"):
        write_searchable_pdf(original, "application/pdf", [PageLayer(text, 0)], out, image_dpi=[])
    with pytest.raises(ValueError, match="page layers"):
        layers = [PageLayer(text, 0)] * 3
        write_searchable_pdf(original, "application/pdf", layers, out, image_dpi=[])
    with pytest.raises(ValueError, match="rotation"):
        PageLayer(text, 45)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [original]


# --- image originals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("compression", "mode"),
    [("group4", "1"), ("tiff_lzw", "L"), ("tiff_lzw", "RGB"), ("tiff_adobe_deflate", "CMYK")],
)
def test_multipage_tiff(tmp_path: Path, compression: str, mode: str) -> None:
    pages = [draw_page((f"Trang {n}", *LINES[1:]), mode=mode) for n in range(1, 4)]
    original = tmp_path / "scan.tif"
    first, *others = [image for image, _ in pages]
    first.save(
        original, compression=compression, save_all=True, append_images=others, dpi=(DPI, DPI)
    )

    out = searchable(original, "image/tiff", [PageLayer(text, 0) for _, text in pages], [DPI] * 3)

    width, height = A4[0] * 72 / DPI, A4[1] * 72 / DPI
    assert page_boxes(out) == [([0, 0, width, height], [0, 0, width, height], 0)] * 3
    for number, (image, text) in enumerate(pages, start=1):
        assert text_lines(out, number)[:4] == [f"Trang {number}", *LINES[1:]]
        assert_words_on_their_boxes(out, text, number)
        (embedded,) = embedded_images(out, number)
        assert same_pixels(embedded.convert(mode), image)


def test_fax_resolution_gives_the_paper_size(tmp_path: Path) -> None:
    """204 x 98 dpi: the words refer to the page image made square, 204 dpi both ways."""
    square, text = draw_page(mode="1", size=(1728, 2200))
    stored = square.resize((1728, 1057), Image.Resampling.NEAREST)
    original = tmp_path / "fax.tif"
    stored.save(original, compression="group4", dpi=(204, 98))

    out = searchable(original, "image/tiff", [PageLayer(text, 0)], [204])

    ((mediabox, _, _),) = page_boxes(out)
    assert mediabox[2:] == pytest.approx([1728 * 72 / 204, 1057 * 72 / 98], abs=0.01)
    assert_words_on_their_boxes(out, text)
    (embedded,) = embedded_images(out)
    assert same_pixels(embedded.convert("1"), stored)


def test_jpeg_turned_by_exif_shows_upright_with_its_own_bytes(tmp_path: Path) -> None:
    upright, text = draw_page(mode="RGB")
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # EXIF 6: turn 90° clockwise to show
    exif = Image.Exif()
    exif[0x0112] = 6
    original = tmp_path / "phone.jpg"
    stored.save(original, quality=90, exif=exif, dpi=(DPI, DPI))

    out = searchable(original, "image/jpeg", [PageLayer(text, 0)], [DPI])

    ((mediabox, _, rotation),) = page_boxes(out)
    assert rotation == 90
    assert mediabox[2:] == pytest.approx([A4[1] * 72 / DPI, A4[0] * 72 / DPI])
    assert text_lines(out)[:4] == list(LINES)
    assert_words_on_their_boxes(out, text)
    with pikepdf.open(out) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        assert image.Filter == pikepdf.Name.DCTDecode
        assert image.read_raw_bytes() == original.read_bytes()


def test_jpeg_mirrored_by_exif_is_embedded_upright(tmp_path: Path) -> None:
    """Orientation 5 (transpose) has no /Rotate: the upright pixels are embedded instead."""
    upright, text = draw_page()
    stored = upright.transpose(Image.Transpose.TRANSPOSE)
    exif = Image.Exif()
    exif[0x0112] = 5
    original = tmp_path / "phone.jpg"
    stored.save(original, quality=90, exif=exif)

    out = searchable(original, "image/jpeg", [PageLayer(text, 0)], [None])

    ((mediabox, _, rotation),) = page_boxes(out)
    assert (rotation, mediabox[2:]) == (0, pytest.approx([A4[0] * 72 / 300, A4[1] * 72 / 300]))
    assert_words_on_their_boxes(out, text)
    (embedded,) = embedded_images(out)
    with Image.open(original) as decoded:
        assert same_pixels(embedded, ImageOps.exif_transpose(decoded))


def test_png_with_alpha_keeps_colour_and_transparency(tmp_path: Path) -> None:
    page, text = draw_page()
    rgba = Image.merge("RGBA", [page, page, page, page.point(lambda v: 255 - v)])
    original = tmp_path / "scan.png"
    rgba.save(original, dpi=(DPI, DPI))

    out = searchable(original, "image/png", [PageLayer(text, 0)], [DPI])

    assert text_lines(out)[:4] == list(LINES)
    assert_words_on_their_boxes(out, text)
    with pikepdf.open(out) as pdf:
        (image,) = pdf.pages[0].get_images().values()
        colour = as_pil(image)
        alpha = as_pil(image.SMask)
    assert same_pixels(colour.convert("RGB"), rgba.convert("RGB"))
    assert same_pixels(alpha, rgba.getchannel("A"))


def test_png_img2pdf_refuses_is_embedded_converted(tmp_path: Path) -> None:
    page, text = draw_page()
    original = png_16bit_rgba(tmp_path / "deep.png", page)
    with pytest.raises(img2pdf.AlphaChannelError):
        img2pdf.convert(original)

    out = searchable(original, "image/png", [PageLayer(text, 0)], [DPI])

    assert text_lines(out)[:4] == list(LINES)
    assert_words_on_their_boxes(out, text)
    (embedded,) = embedded_images(out)
    assert same_pixels(embedded.convert("L"), page)


# --- the font and the cost -------------------------------------------------------------------


def test_glyphless_font_is_found_or_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(EngineError) as raised:
        find_glyphless_font([tmp_path])
    assert raised.value.code == "glyphless_font_missing"
    shutil.copy(find_glyphless_font(), tmp_path / GLYPHLESS_FONT_FILE)
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert find_glyphless_font() == tmp_path / GLYPHLESS_FONT_FILE


def test_tesseract_words_make_a_searchable_pdf(tmp_path: Path) -> None:
    """The words as the OCR engine reports them, not as drawn: boxes from tesseract itself."""
    page, _ = draw_page()
    text = make_engine().recognize(page, dpi=DPI)
    original = image_pdf(tmp_path / "scan.pdf", [page])

    out = searchable(original, "application/pdf", [PageLayer(text, 0)], [DPI])

    assert text_lines(out) == [line for line in text.text.split("\n") if line]
    assert text_lines(out)[:4] == list(LINES)
    assert_words_on_their_boxes(out, text)


MANY_PAGES = 300


def write_many_pages(folder: Path) -> None:
    """A 300-page A4 grey scan at 300 dpi (8.7 MB a page decoded), made into searchable PDFs.

    Run in a fresh process by the test below, which reads the peak resident memory (MB) it
    prints; making the scan holds one page at a time too.
    """
    size = (2480, 3508)
    words = [
        Word(f"từ{n}", 90.0, 100 + 75 * (n % 30), 100 + 50 * (n // 30), 60, 30, 1, 1, n // 30)
        for n in range(600)
    ]
    text = PageText(size[0], size[1], words)
    with TiffImagePlugin.AppendingTiffWriter(folder / "scan.tif", new=True) as tiff:
        for number in range(MANY_PAGES):
            image = Image.new("L", size, 255)
            ImageDraw.Draw(image).text((200, 200), f"page {number}", fill=0)
            image.save(tiff, compression="tiff_lzw", dpi=(300, 300))
            tiff.newFrame()
    layers = (PageLayer(text, 0) for _ in range(MANY_PAGES))
    pdf = folder / "from-tiff.pdf"
    write_searchable_pdf(folder / "scan.tif", "image/tiff", layers, pdf, image_dpi=[300] * 300)
    layers = (PageLayer(text, 0) for _ in range(MANY_PAGES))
    write_searchable_pdf(pdf, "application/pdf", layers, folder / "from-pdf.pdf", image_dpi=[])
    # VmHWM, not getrusage: ru_maxrss counts the parent's memory at fork, across exec.
    status = Path("/proc/self/status").read_text()
    (peak_kb,) = re.findall(r"VmHWM:\s+(\d+) kB", status)
    print(int(peak_kb) // 1024)


@pytest.mark.slow
def test_memory_does_not_grow_with_the_page_count(tmp_path: Path) -> None:
    code = (
        "import sys, pathlib, test_searchable_pdf as t; "
        "t.write_many_pages(pathlib.Path(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent,  # this module and its helpers import from here
    )
    peak_mb = int(result.stdout.split()[-1])
    assert peak_mb < 200, result.stdout
    for name in ("from-tiff.pdf", "from-pdf.pdf"):
        with pikepdf.open(tmp_path / name) as pdf:
            assert len(pdf.pages) == MANY_PAGES
        subprocess.run(["qpdf", "--check", str(tmp_path / name)], capture_output=True, check=True)
    assert text_lines(tmp_path / "from-pdf.pdf", MANY_PAGES)[-1].endswith("từ599")
