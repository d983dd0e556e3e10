"""Text layers of real PDFs: born-digital, rotated, cropped, scanned, OCRed by another tool, broken.

The PDFs are drawn here with fpdf2 and an embedded DejaVu Sans (it has the Vietnamese glyphs),
then edited with pikepdf where a page needs a /Rotate, a cropbox or a font without its Unicode
map. Boxes are checked against the page image ``ingest.pages`` renders, which is the frame the
words must land in.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

from ingest.pages import render_page
from models.errors import EngineError
from ocr.text_layer import (
    TextLayer,
    TextLayerVerdict,
    covers_ink,
    judge_words,
    read_text_layer,
)
from ocr.words import PageText, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 200
SIZE = 14
"""Font size in points."""
EM = SIZE * DPI / 72
"""The font size in pixels."""
LEFT, FIRST_BASELINE, LINE_GAP = 72.0, 100.0, 20.0
"""Where the lines are drawn, in points from the top left of the A4 mediabox."""
LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Họ và tên: Nguyễn Văn An",
    "Số CCCD: 001085012345",
)
FOOTER = "Trang 1/1"
FOOTER_BASELINE = 800.0
CROPBOX = (40, 560, 500, 800)
"""Keeps LINES (in PDF space, from the bottom) and cuts off the footer."""


def draw_pdf(
    path: Path,
    lines: tuple[str, ...] = LINES,
    *,
    footer: str | None = FOOTER,
    invisible: bool = False,
    image: Image.Image | None = None,
) -> Path:
    """One A4 page (in points) with ``lines`` drawn at LEFT, FIRST_BASELINE, LINE_GAP apart."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=SIZE)
    pdf.add_page()
    if image is not None:
        pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
    if invisible:
        pdf.text_mode = TextMode.INVISIBLE
    for number, line in enumerate(lines):
        pdf.text(LEFT, FIRST_BASELINE + number * LINE_GAP, line)
    if footer:
        pdf.text(LEFT, FOOTER_BASELINE, footer)
    pdf.output(str(path))
    return path


def edit_page(
    source: Path, target: Path, *, rotate: int = 0, cropbox: tuple[int, ...] | None = None
) -> Path:
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        if rotate:
            page.obj["/Rotate"] = rotate
        if cropbox:
            page.obj["/CropBox"] = pikepdf.Array(cropbox)
        pdf.save(target)
    return target


def scanned_text_image(lines: tuple[str, ...] = LINES) -> Image.Image:
    """A page image with text as pixels only, as a scanner would make it, at DPI."""
    width, height = round(595.28 * DPI / 72), round(841.89 * DPI / 72)
    image = Image.new("L", (width, height), 255)
    font = ImageFont.truetype(FONT, round(SIZE * DPI / 72))
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        baseline = (FIRST_BASELINE + number * LINE_GAP) * DPI / 72
        draw.text((LEFT * DPI / 72, baseline), line, font=font, fill=0, anchor="ls")
    return image


def read(path: Path) -> tuple[TextLayer, np.ndarray]:
    """Page 1's text layer in the frame of the image ``ingest.pages`` renders, and that image."""
    image = render_page(path, "application/pdf", 1, dpi=DPI).image
    layer = read_text_layer(path, 1, dpi=DPI, width=image.width, height=image.height)
    return layer, np.asarray(image)


def words_of(*lines: str) -> list[str]:
    return [word for line in lines for word in line.split()]


def usable_page(layer: TextLayer) -> PageText:
    assert layer.verdict == TextLayerVerdict.USABLE
    assert layer.page is not None
    return layer.page


def assert_boxes_fit_ink(page: PageText, pixels: np.ndarray) -> None:
    """Every dark pixel lies in some word box, and no box is much larger than its ink.

    Boxes reach from the font's ascent to its descent, and the stacked accents of Vietnamese
    capitals (Ộ, Ễ) rise a little above DejaVu's ascent, so the across-the-line margin is a
    tenth of an em plus rounding; along the line, boxes follow the advance widths to 2 px.
    """
    dark = pixels < 160
    covered = np.zeros_like(dark)
    assert (page.width, page.height) == (pixels.shape[1], pixels.shape[0])
    across = round(0.1 * EM) + 2
    for word in page.words:
        vertical = word.height > word.width and len(word.text) > 1
        x_margin, y_margin = (across, 2) if vertical else (2, across)
        top, left = max(0, word.top - y_margin), max(0, word.left - x_margin)
        bottom, right = word.top + word.height + y_margin, word.left + word.width + x_margin
        covered[top:bottom, left:right] = True
        rows, columns = np.nonzero(dark[top:bottom, left:right])
        assert rows.size, f"no ink under {word}"
        # a box is ascent to descent by advance widths: at most about an em more than the ink
        assert word.height - (np.ptp(rows) + 1) <= 1.2 * EM, f"box too tall for its ink: {word}"
        assert word.width - (np.ptp(columns) + 1) <= 1.2 * EM, f"box too wide for its ink: {word}"
    stray = np.argwhere(dark & ~covered)
    assert stray.size == 0, f"ink outside every word box, e.g. at (row, column) {stray[:3]}"


def line_texts(page: PageText) -> list[str]:
    return [line for line in page.text.split("\n") if line]


def by_place_in_line(page: PageText) -> dict[tuple[str, int], Word]:
    """Words keyed by the text of their line and their place in it, whatever the block order."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in page.words:
        lines.setdefault((word.block, word.paragraph, word.line), []).append(word)
    return {
        (" ".join(w.text for w in words), place): word
        for words in lines.values()
        for place, word in enumerate(words)
    }


def transform(
    word: Word, *, rotate: int, cropbox: tuple[int, ...] | None, frame: int
) -> tuple[int, int, int, int]:
    """Where a box of the plain page should land on the rotated and/or cropped page.

    ``frame`` is the width in pixels of the plain page's cropped (unrotated) area.
    """
    scale = DPI / 72
    left, top = word.left, word.top
    height_px = round(841.89 * scale)
    if cropbox:
        left -= round(cropbox[0] * scale)
        top -= round((841.89 - cropbox[3]) * scale)
        height_px = round((cropbox[3] - cropbox[1]) * scale)
    right, bottom = left + word.width, top + word.height
    corners = {
        0: ((left, top), (right, bottom)),
        90: ((height_px - bottom, left), (height_px - top, right)),
        180: ((frame - right, height_px - bottom), (frame - left, height_px - top)),
        270: ((top, frame - right), (bottom, frame - left)),
    }[rotate]
    (x0, y0), (x1, y1) = corners
    return x0, y0, x1 - x0, y1 - y0


# --- born-digital pages ----------------------------------------------------------------------


def test_born_digital_page_gives_the_drawn_words(tmp_path: Path) -> None:
    page = usable_page(read(draw_pdf(tmp_path / "digital.pdf"))[0])
    assert [w.text for w in page.words] == words_of(*LINES, FOOTER)
    assert line_texts(page) == [*LINES, FOOTER]
    assert page.text.endswith(f"\n\n{FOOTER}")  # far from the rest: its own block
    assert all(w.confidence == 100.0 for w in page.words)
    keys = iter((w.block, w.paragraph, w.line) for w in page.words)
    line_keys = [{next(keys) for _ in line.split()} for line in (*LINES, FOOTER)]
    assert all(len(key) == 1 for key in line_keys)  # one drawn line, one layout line
    assert len(set.union(*line_keys)) == len(line_keys)


def test_word_boxes_sit_where_the_words_were_drawn(tmp_path: Path) -> None:
    page = usable_page(read(draw_pdf(tmp_path / "digital.pdf"))[0])
    pdf = FPDF(unit="pt")
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=SIZE)
    scale = DPI / 72
    words = iter(page.words)
    for number, line in enumerate(LINES):
        baseline = (FIRST_BASELINE + number * LINE_GAP) * scale
        x = LEFT
        for text in line.split():
            word = next(words)
            assert word.text == text
            assert abs(word.left - x * scale) <= 2, word
            assert abs(word.left + word.width - (x + pdf.get_string_width(text)) * scale) <= 2
            assert word.top < baseline < word.top + word.height, word
            assert SIZE * scale <= word.height <= 1.4 * SIZE * scale, word
            x += pdf.get_string_width(text + " ")


@pytest.mark.parametrize(
    ("rotate", "cropped"),
    [(0, False), (90, False), (180, False), (270, False), (0, True), (90, True)],
)
def test_boxes_land_on_the_rendered_text(tmp_path: Path, rotate: int, cropped: bool) -> None:
    plain = draw_pdf(tmp_path / "plain.pdf")
    cropbox = CROPBOX if cropped else None
    edited = edit_page(plain, tmp_path / "edited.pdf", rotate=rotate, cropbox=cropbox)
    layer, pixels = read(edited)
    page = usable_page(layer)
    # Poppler may order blocks differently on a rotated page; each line must stay whole.
    assert sorted(line_texts(page)) == sorted([*LINES, *([] if cropped else [FOOTER])])
    assert_boxes_fit_ink(page, pixels)
    plain_page = usable_page(read(plain)[0])
    frame = round((CROPBOX[2] - CROPBOX[0]) * DPI / 72) if cropped else plain_page.width
    plain_words = by_place_in_line(plain_page)
    for place, word in by_place_in_line(page).items():
        expected = transform(plain_words[place], rotate=rotate, cropbox=cropbox, frame=frame)
        actual = (word.left, word.top, word.width, word.height)
        assert all(abs(a - e) <= 2 for a, e in zip(actual, expected, strict=True)), (
            word.text,
            actual,
            expected,
        )


def test_words_cut_by_the_cropbox_stay_inside_the_image(tmp_path: Path) -> None:
    """A cropbox through the first line: pdftotext keeps the glyphs inside, boxes poke out."""
    plain = draw_pdf(tmp_path / "plain.pdf")
    edited = edit_page(plain, tmp_path / "cut.pdf", cropbox=(150, 500, 500, 745))
    layer, pixels = read(edited)
    page = usable_page(layer)
    assert "XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.text and "CỘNG" not in page.text
    for word in page.words:
        assert word.left >= 0 and word.top >= 0 and word.width > 0 and word.height > 0, word
        assert word.left + word.width <= page.width and word.top + word.height <= page.height
    assert any(word.top == 0 for word in page.words)
    assert_boxes_fit_ink(page, pixels)


def test_decomposed_text_comes_back_nfc(tmp_path: Path) -> None:
    lines = tuple(unicodedata.normalize("NFD", line) for line in LINES)
    path = draw_pdf(tmp_path / "nfd.pdf", lines)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert not unicodedata.is_normalized("NFC", raw.decode())  # the layer really is decomposed
    page = usable_page(read(path)[0])
    assert [w.text for w in page.words] == words_of(*LINES, FOOTER)
    assert all(unicodedata.is_normalized("NFC", w.text) for w in page.words)


def test_invisible_text_counts_as_a_text_layer(tmp_path: Path) -> None:
    layer, pixels = read(draw_pdf(tmp_path / "invisible.pdf", invisible=True))
    assert (pixels == 255).all()  # render mode 3: nothing on the page image
    assert [w.text for w in usable_page(layer).words] == words_of(*LINES, FOOTER)


def test_ocr_layer_of_another_tool_on_a_scan_lines_up_with_the_scan(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "sandwich.pdf", invisible=True, image=scanned_text_image())
    layer, pixels = read(path)
    page = usable_page(layer)
    assert line_texts(page) == [*LINES, FOOTER]
    scanned_words = [w for w in page.words if w.text not in FOOTER.split()]  # not in the scan
    assert_boxes_fit_ink(PageText(page.width, page.height, scanned_words), pixels)


def test_a_text_layer_stands_for_the_page_it_covers(tmp_path: Path) -> None:
    for path in (
        draw_pdf(tmp_path / "digital.pdf"),
        draw_pdf(tmp_path / "sandwich.pdf", invisible=True, image=scanned_text_image()),
    ):
        layer, pixels = read(path)
        assert covers_ink(usable_page(layer), Image.fromarray(pixels))


def test_a_stamp_on_a_scan_does_not_stand_for_the_page(tmp_path: Path) -> None:
    """A scanner's footer is a usable layer that says nothing of the scanned text: OCR it."""
    stamp = "Scanned at the one-stop desk on 27/11/2026 by operator 07"
    scan = scanned_text_image(LINES * 5)
    path = draw_pdf(tmp_path / "stamped.pdf", (), footer=stamp, image=scan)
    layer, pixels = read(path)
    assert not covers_ink(usable_page(layer), Image.fromarray(pixels))


# --- pages without a usable layer ------------------------------------------------------------


def test_scanned_image_page_has_no_text_layer(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "scan.pdf", (), footer=None, image=scanned_text_image())
    layer, pixels = read(path)
    assert (pixels < 160).any()  # the text is there, as pixels
    assert layer == TextLayer(page=None, verdict=TextLayerVerdict.NONE)


@pytest.mark.parametrize("lines", [("Trang 2",), ("   ",), ("Số: ......... /QĐ",)])
def test_too_few_words_is_no_text_layer(tmp_path: Path, lines: tuple[str, ...]) -> None:
    layer, _ = read(draw_pdf(tmp_path / "little.pdf", lines, footer=None))
    assert layer == TextLayer(page=None, verdict=TextLayerVerdict.NONE)


def test_font_without_unicode_map_is_garbage(tmp_path: Path) -> None:
    path = draw_pdf(tmp_path / "digital.pdf")
    with pikepdf.open(path) as pdf:
        fonts = list(pdf.pages[0].resources.Font.values())
        assert [(f.Subtype, f.Encoding) for f in fonts] == [("/Type0", "/Identity-H")]
        del fonts[0]["/ToUnicode"]
        pdf.save(tmp_path / "no-unicode.pdf")
    raw = subprocess.run(
        ["pdftotext", str(tmp_path / "no-unicode.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Nguyễn" not in raw and "CCCD" not in raw
    visible = [c for c in raw if not c.isspace()]
    controls = [c for c in visible if unicodedata.category(c) == "Cc"]
    assert len(controls) > 0.5 * len(visible)  # what pdftotext makes of it is not text
    layer, _ = read(tmp_path / "no-unicode.pdf")
    assert layer == TextLayer(page=None, verdict=TextLayerVerdict.GARBAGE)


# --- the judgement on its own ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\uf041\uf042\uf043 \uf044\uf045 \uf046\uf047\uf048 \uf049 \uf04a\uf04b \uf04c",
        "Họ \ufffd\ufffdn \ufffd\ufffd\ufffd \ufffd\ufffd \ufffdg\ufffd \ufffd\ufffd\ufffd",
        "(cid:12)(cid:45) (cid:3)(cid:9)(cid:7) (cid:22) (cid:5)(cid:6) (cid:88)(cid:1)",
        "\x01\x02\x03\x04 \x05\x06\x07 \x08 \x05\x02 \x01\x05 \x05\x11",
        '!!"!#$!"%&\'$ #$% &\'( )*+ ,-./ %&( $#"!',
        "Xkqz Bvcnm Pltrk Wqjx Zzrt Hgfd Mnbv",
        "hOwZx kQpLm a3$k7 zX9qW TtRrE",
    ],
)
def test_unreadable_words_are_garbage(text: str) -> None:
    assert judge_words(text.split()) == TextLayerVerdict.GARBAGE


@pytest.mark.parametrize(
    "text",
    [
        "Số: 123/QĐ-UBND ngày 05/6/2024 của Ủy ban nhân dân TP.HCM về việc cấp Giấy chứng nhận, "
        "v.v... (1) Đ/c Trần Thị Bình; Email: an.nguyen@gmail.com; ĐT: 0912.345.678",
        "Chương I ................... 5 Chương II ................... 12 Mục 1 ....... 14",
        "STT Họ tên Năm sinh 1 Nguyễn Văn A 1985 2 Trần Thị B 1990 Tổng: 50m2 12,5% 1.250.000đ",
        unicodedata.normalize("NFD", "Họ và tên: Nguyễn Văn An, sinh ngày 12/03/1985"),
    ],
)
def test_real_text_is_usable(text: str) -> None:
    assert judge_words(text.split()) == TextLayerVerdict.USABLE


@pytest.mark.parametrize("text", ["Trang 2", "", "  \t ", "Trang 2 . . . ...", "(1) - - - -"])
def test_too_little_text_is_none(text: str) -> None:
    assert judge_words(text.split(" ")) == TextLayerVerdict.NONE


# --- errors ----------------------------------------------------------------------------------


def test_missing_pdftotext_is_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = draw_pdf(tmp_path / "digital.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(EngineError) as caught:
        read_text_layer(path, 1, dpi=DPI, width=100, height=100)
    assert caught.value.code == "poppler_missing"
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_unreadable_pdf_is_an_engine_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is not a PDF body\n")
    with pytest.raises(EngineError) as caught:
        read_text_layer(path, 1, dpi=DPI, width=100, height=100)
    assert caught.value.code == "text_layer_failed"


@pytest.mark.parametrize("index", [0, 2])
def test_page_that_does_not_exist(tmp_path: Path, index: int) -> None:
    path = draw_pdf(tmp_path / "digital.pdf")
    with pytest.raises(ValueError, match="does not exist"):
        read_text_layer(path, index, dpi=DPI, width=100, height=100)


def test_missing_file_is_not_an_engine_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_text_layer(tmp_path / "gone.pdf", 1, dpi=DPI, width=100, height=100)
