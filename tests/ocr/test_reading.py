"""read_page end to end with real tesseract: words come back on the page as uploaded."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.engine import OcrEngine, OrientationGuess, make_engine
from ocr.orientation import detect_orientation
from ocr.preprocess import analysis_copy, as_grey, ink_mask
from ocr.reading import PageReading, read_page
from ocr.words import PageText, Word
from samples import degrade, render_document, scan

REAL = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "real"


class CountingEngine:
    """The real engine, counting what it is asked to do."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.calls: Counter[str] = Counter()

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        self.calls["recognize"] += 1
        return self.engine.recognize(image, dpi=dpi)

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        self.calls["detect_orientation"] += 1
        return self.engine.detect_orientation(image)


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return make_engine("vie", kind="api")


@pytest.fixture(scope="module")
def upright() -> tuple[Image.Image, PageReading]:
    image = render_document("khai_sinh", seed=4).pages[0].image
    return image, read_page(image, 300, make_engine("vie", kind="api"))


def words_by_text(reading: PageReading) -> dict[str, Word]:
    """Words that occur once on the page, so the same word can be found on two readings."""
    counts = Counter(word.text for word in reading.text.words)
    return {w.text: w for w in reading.text.words if counts[w.text] == 1 and len(w.text) > 3}


def errors(found: str, truth: str) -> int:
    from rapidfuzz.distance import Levenshtein

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    return int(Levenshtein.distance(norm(found), norm(truth)))


def test_clean_page_is_read_as_it_is_and_not_worse(
    upright: tuple[Image.Image, PageReading], engine: OcrEngine
) -> None:
    image, reading = upright
    assert (reading.rotation, reading.blank, reading.dpi, reading.steps) == (0, False, 300, ())
    assert (reading.text.width, reading.text.height) == image.size
    truth = "\n".join(render_document("khai_sinh", seed=4).pages[0].lines)
    plain = engine.recognize(image, dpi=300).text
    assert errors(reading.text.text, truth) <= errors(plain, truth)


def test_words_of_a_turned_page_land_on_the_original_image(
    upright: tuple[Image.Image, PageReading], engine: OcrEngine
) -> None:
    """The generator turns counter-clockwise: a point (x, y) of the upright page is at
    (y, W - x) of the turned image."""
    image, straight = upright
    turned = degrade(image, "rotate90", seed=4)
    reading = read_page(turned, 300, engine)
    assert reading.rotation == 270 and "rotate" in reading.steps
    assert (reading.text.width, reading.text.height) == turned.size
    before, after = words_by_text(straight), words_by_text(reading)
    common = sorted(set(before) & set(after))
    assert len(common) > 20
    pixels = np.asarray(turned)
    for text in common:
        b, a = before[text], after[text]
        expected = (b.top, image.width - (b.left + b.width), b.height, b.width)
        found = (a.left, a.top, a.width, a.height)
        assert all(abs(x - y) <= 2 for x, y in zip(expected, found, strict=True)), text
        assert (pixels[a.top : a.top + a.height, a.left : a.left + a.width] < 128).any()


def test_skewed_upside_down_page_is_straightened(engine: OcrEngine) -> None:
    page = render_document("dang_ky_doanh_nghiep", seed=6).pages[0]
    image = degrade(degrade(page.image, "skew", seed=6), "rotate180", seed=6)
    reading = read_page(image, 300, engine)
    assert reading.rotation == 180 and abs(reading.skew_degrees) > 1
    assert reading.steps[:2] == ("rotate", "deskew")
    assert errors(reading.text.text, "\n".join(page.lines)) < 0.01 * len("".join(page.lines))


def test_unsure_turn_is_settled_by_reading(engine: OcrEngine) -> None:
    """ID cards leave the ink cue unsure; the surer of the two readings wins, without OSD."""
    page = render_document("cccd", seed=3).pages[0]
    image = degrade(page.image, "rotate180", seed=3)
    pixels = as_grey(image)
    assert not detect_orientation(
        lambda: image, ink_mask(analysis_copy(pixels, 300)[0]), engine
    ).sure
    counting = CountingEngine(engine)
    reading = read_page(image, 300, counting)
    assert reading.rotation == 180
    assert counting.calls["recognize"] in (1, 2) and counting.calls["detect_orientation"] == 0
    assert (reading.text.mean_confidence or 0) > 85


def test_dark_edges_are_cropped_and_words_stay_on_the_page(engine: OcrEngine) -> None:
    page = render_document("khai_sinh", seed=4).pages[0]
    pixels = np.array(page.image)
    pixels[:, :150] = 25
    reading = read_page(Image.fromarray(pixels), 300, engine)
    assert reading.steps[0] == "crop"
    assert reading.text.width == pixels.shape[1]
    assert min(word.left for word in reading.text.words) >= 150
    assert errors(reading.text.text, "\n".join(page.lines)) < 0.01 * len("".join(page.lines))


def test_blank_page_is_recorded_and_not_read(engine: OcrEngine) -> None:
    counting = CountingEngine(engine)
    paper = degrade(Image.new("L", (2480, 3508), 255), "speckle", seed=1)
    reading = read_page(paper, 300, counting)
    assert reading.blank and reading.text.words == [] and reading.steps == ("blank",)
    assert (reading.text.width, reading.text.height) == paper.size
    assert sum(counting.calls.values()) == 0


def test_fax_like_bilevel_page_is_read_at_its_own_resolution(engine: OcrEngine) -> None:
    page = render_document("cccd", seed=2).pages[0]
    scan = degrade(page.image, "dpi200_bilevel", seed=2)
    assert scan.mode == "1"
    reading = read_page(scan, 200, engine)
    assert reading.dpi == 200 and "upscale" not in reading.steps
    assert (reading.text.width, reading.text.height) == scan.size
    assert all(w.left + w.width <= scan.width for w in reading.text.words)
    assert errors(reading.text.text, "\n".join(page.lines)) < 0.02 * len("".join(page.lines))


def test_missing_resolution_is_guessed_from_the_page_size(engine: OcrEngine) -> None:
    page = render_document("khai_sinh", seed=4).pages[0].image
    small = page.resize((1240, 1754), Image.Resampling.LANCZOS)  # A4 at 150 dpi
    reading = read_page(small, None, engine)
    assert reading.dpi == 300 and "upscale" in reading.steps
    assert "Họ" in reading.text.text


@pytest.mark.parametrize(
    "image",
    [
        Image.new("L", (1, 1), 255),
        Image.new("L", (40, 30), 0),
        Image.new("RGBA", (300, 200), (0, 0, 0, 0)),
        Image.new("1", (500, 700), 0),
    ],
    ids=["one-pixel", "black", "transparent", "black-bilevel"],
)
def test_odd_images_do_not_break_the_recipe(image: Image.Image, engine: OcrEngine) -> None:
    reading = read_page(image, None, engine)
    assert (reading.text.width, reading.text.height) == image.size
    assert reading.rotation in (0, 90, 180, 270)


@pytest.mark.parametrize(
    ("name", "degrees"),
    [("phototest-rotated-180.png", 180), ("phototest-rotated-L.png", 270)],
)
def test_real_turned_scan_is_read(name: str, degrees: int) -> None:
    if not (REAL / name).exists():
        pytest.skip(f"{REAL} is absent")
    with Image.open(REAL / name) as image:
        reading = read_page(image, 200, make_engine("eng", kind="api"))
    assert reading.rotation == degrees
    truth = (REAL / "phototest.txt").read_text()
    assert errors(reading.text.text, truth) <= 0.02 * len(truth)


def test_faded_tilted_page_is_read(engine: OcrEngine) -> None:
    """Deskewing a faded page (paper at about 200) fills the corners with its own grey: white
    corners made tesseract take the whole page for ink and read nothing."""
    document = render_document("don_de_nghi", seed=500)
    image = degrade(scan(document.pages[0].image, 0), "low_contrast", 0)
    reading = read_page(image, 300, engine)
    assert "deskew" in reading.steps
    assert errors(reading.text.text, document.text) < len(document.text) * 0.02
