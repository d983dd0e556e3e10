"""Both tesseract adapters on rendered Vietnamese text: same contract, same answers."""

from __future__ import annotations

import json
import time
import unicodedata

import numpy as np
import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.errors import EngineError
from ocr import tesseract_api
from ocr.engine import OcrEngine, make_engine
from ocr.tesseract_api import TesseractApiEngine
from ocr.words import PageText

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Họ và tên: Nguyễn Văn An",
    "Số CCCD: 001085012345",
)
KINDS = ("api", "cli")


def text_image(lines: tuple[str, ...] = LINES) -> Image.Image:
    """Lines at 48 px, about a 12-point letter at 300 dpi."""
    font = ImageFont.truetype(FONT, 48)
    image = Image.new("L", (1400, 120 + 110 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + number * 110), line, font=font, fill=0)
    return image


@pytest.fixture(scope="module", params=KINDS)
def engine(request: pytest.FixtureRequest) -> OcrEngine:
    return make_engine(kind=request.param)


@pytest.fixture(scope="module")
def recognized(engine: OcrEngine) -> PageText:
    return engine.recognize(text_image(), dpi=300)


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
def test_both_adapters_give_the_same_words_and_layout() -> None:
    api, cli = (make_engine(kind=kind).recognize(text_image(), dpi=300) for kind in KINDS)
    assert [w.text for w in api.words] == [w.text for w in cli.words]
    assert [(w.block, w.paragraph, w.line) for w in api.words] == [
        (w.block, w.paragraph, w.line) for w in cli.words
    ]


@pytest.mark.slow
def test_blank_page_has_no_words(engine: OcrEngine) -> None:
    page = engine.recognize(Image.new("L", (1240, 1754), 255), dpi=150)
    assert page.words == []
    assert page.text == ""
    assert page.mean_confidence is None


@pytest.mark.slow
def test_recognize_without_dpi_and_from_rgb(engine: OcrEngine) -> None:
    page = engine.recognize(text_image(LINES[1:2]).convert("RGB"))
    assert "Nguyễn Văn An" in page.text


@pytest.mark.slow
@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_orientation_of_a_turned_page(engine: OcrEngine, degrees: int) -> None:
    page = text_image(LINES * 4)
    turned = page.rotate(-degrees, expand=True)  # Pillow turns counter-clockwise
    guess = engine.detect_orientation(turned)
    assert guess.degrees == degrees
    assert guess.confidence > 2


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_language_is_an_engine_error(kind: str) -> None:
    with pytest.raises(EngineError) as caught:
        make_engine("vie+xyz", kind=kind).recognize(text_image())
    assert caught.value.code == "language_missing"
    assert "xyz" in caught.value.message


def test_missing_tesseract_program_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(EngineError) as caught:
        make_engine(kind="cli").recognize(text_image())
    assert caught.value.code == "tesseract_missing"


def test_missing_bindings_are_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract_api, "tesserocr", None)
    with pytest.raises(EngineError) as caught:
        TesseractApiEngine().recognize(text_image())
    assert caught.value.code == "tesseract_missing"


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_timeout_is_an_engine_error(kind: str) -> None:
    noise = np.random.default_rng(7).integers(0, 256, (4000, 4000), dtype=np.uint8)
    with pytest.raises(EngineError) as caught:
        make_engine(kind=kind, timeout_seconds=1).recognize(Image.fromarray(noise))
    assert caught.value.code == "ocr_timeout"


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_orientation_timeout_is_an_engine_error(kind: str) -> None:
    noise = (np.random.default_rng(7).random((3000, 3000)) > 0.5).astype(np.uint8) * 255
    engine = make_engine(kind=kind, osd_timeout_seconds=1)
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        engine.detect_orientation(Image.fromarray(noise))
    assert caught.value.code == "osd_timeout"
    assert "which way up the page is within 1 s" in caught.value.message
    assert time.monotonic() - started < 4
    engine.osd_timeout_seconds = 30  # type: ignore[attr-defined]
    assert engine.detect_orientation(text_image(LINES * 4)).degrees == 0  # and it carries on


def test_the_bindings_are_preferred_when_installed() -> None:
    assert isinstance(make_engine(), TesseractApiEngine)
    with pytest.raises(ValueError, match="unknown OCR engine"):
        make_engine(kind="gpu")
