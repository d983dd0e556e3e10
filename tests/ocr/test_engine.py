"""The tesseract engine on rendered Vietnamese text and the PageText it returns."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.errors import EngineError
from ocr.engine import OcrEngine, TesseractEngine
from ocr.words import PageText, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Họ và tên: Nguyễn Văn An",
    "Số CCCD: 001085012345",
)


def text_image(lines: tuple[str, ...] = LINES) -> Image.Image:
    """Lines at 48 px, about a 12-point letter at 300 dpi."""
    font = ImageFont.truetype(FONT, 48)
    image = Image.new("L", (1400, 120 + 110 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + number * 110), line, font=font, fill=0)
    return image


@pytest.fixture(scope="module")
def recognized() -> PageText:
    return TesseractEngine().recognize(text_image(), dpi=300)


def word(text: str, block: int = 1, paragraph: int = 1, line: int = 1) -> Word:
    return Word(text, 90.0, 0, 0, 10, 10, block, paragraph, line)


@pytest.mark.slow
def test_recognize_reads_vietnamese_lines(recognized: PageText) -> None:
    for line in LINES:
        assert line in recognized.text
    assert recognized.mean_confidence is not None
    assert recognized.mean_confidence > 80
    assert all(w.confidence > 60 for w in recognized.words)


@pytest.mark.slow
def test_word_boxes_lie_inside_the_image(recognized: PageText) -> None:
    assert (recognized.width, recognized.height) == text_image().size
    for w in recognized.words:
        assert w.width > 0 and w.height > 0
        assert w.left >= 0 and w.left + w.width <= recognized.width
        assert w.top >= 0 and w.top + w.height <= recognized.height
    number = next(w for w in recognized.words if w.text == "001085012345")
    assert 270 <= number.top <= 340  # the third line is drawn at y = 280


@pytest.mark.slow
def test_words_are_nfc_and_not_blank(recognized: PageText) -> None:
    for w in recognized.words:
        assert w.text.strip() == w.text != ""
        assert unicodedata.is_normalized("NFC", w.text)


@pytest.mark.slow
def test_page_text_json_round_trip(recognized: PageText) -> None:
    data = json.loads(json.dumps(recognized.to_json()))
    assert list(data) == ["width", "height", "words"]
    assert list(data["words"][0]) == [
        "text", "confidence", "left", "top", "width", "height", "block", "paragraph", "line",
    ]  # fmt: skip
    assert PageText.from_json(data) == recognized


@pytest.mark.slow
def test_blank_page_has_no_words() -> None:
    page = TesseractEngine().recognize(Image.new("L", (1240, 1754), 255), dpi=150)
    assert page.words == []
    assert page.text == ""
    assert page.mean_confidence is None


@pytest.mark.slow
def test_recognize_without_dpi_and_from_rgb() -> None:
    page = TesseractEngine().recognize(text_image(LINES[1:2]).convert("RGB"))
    assert "Nguyễn Văn An" in page.text


def test_unknown_language_is_an_engine_error() -> None:
    with pytest.raises(EngineError) as caught:
        TesseractEngine(languages="vie+xyz").recognize(text_image())
    assert caught.value.code == "language_missing"
    assert "xyz" in caught.value.message


def test_missing_tesseract_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(EngineError) as caught:
        TesseractEngine().recognize(text_image())
    assert caught.value.code == "tesseract_missing"


@pytest.mark.slow
def test_timeout_is_an_engine_error() -> None:
    noise = np.random.default_rng(7).integers(0, 256, (4000, 4000), dtype=np.uint8)
    with pytest.raises(EngineError) as caught:
        TesseractEngine(timeout_seconds=1).recognize(Image.fromarray(noise))
    assert caught.value.code == "ocr_timeout"


def test_tesseract_engine_is_an_ocr_engine() -> None:
    engine: OcrEngine = TesseractEngine()
    assert callable(engine.recognize)


def test_text_separates_lines_and_paragraphs() -> None:
    page = PageText(
        width=100,
        height=100,
        words=[
            word("Họ"), word("và"), word("tên:"),
            word("Nguyễn", line=2),
            word("Số", paragraph=2),
            word("CCCD", block=2),
        ],
    )  # fmt: skip
    assert page.text == "Họ và tên:\nNguyễn\n\nSố\n\nCCCD"


def test_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert PageText(10, 10, [word(decomposed)]).text == "Nguyễn"


def test_mean_confidence() -> None:
    words = [word("a"), Word("b", 70.0, 0, 0, 1, 1, 1, 1, 1)]
    assert PageText(10, 10, words).mean_confidence == pytest.approx(80.0)
    assert PageText(10, 10, []).mean_confidence is None


@pytest.mark.slow
def test_a_stored_png_reads_the_same_as_the_image(recognized: PageText, tmp_path: Path) -> None:
    image = text_image()
    path = tmp_path / "page.png"
    image.save(path, format="PNG")
    from_file = TesseractEngine().recognize_png(
        path, width=image.width, height=image.height, dpi=300
    )
    assert (from_file.width, from_file.height) == (image.width, image.height)
    assert from_file.text == recognized.text
