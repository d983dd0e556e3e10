"""A page's resolution: its file's, unless its letters disagree; measured when the file says
nothing; on generated pages and on tesseract's real scans, downsampled without metadata."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr.preprocess import as_grey
from ocr.resolution import DpiSource, Resolution, judge_resolution, paper_size_dpi
from samples import render_document

REAL = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "real"


def at(pixels: np.ndarray, dpi: int, native: int = 300) -> np.ndarray:
    factor = dpi / native
    return cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def form() -> np.ndarray:
    return as_grey(render_document("don_de_nghi", seed=2).pages[0].image)  # A4 at 300 dpi


@pytest.fixture(scope="module")
def cropped_form(form: np.ndarray) -> np.ndarray:
    return form[200:2400, 150:2300]  # no paper size: only the letters can tell


def test_a_plausible_file_resolution_is_kept(form: np.ndarray) -> None:
    assert judge_resolution(form, 300) == Resolution(300, DpiSource.METADATA)
    assert judge_resolution(at(form, 200), 200) == Resolution(200, DpiSource.METADATA)


def test_a_file_resolution_the_letters_contradict_is_replaced(form: np.ndarray) -> None:
    low = at(form, 100)  # says 300, is 100: an A4 page 2.8 inches wide
    judged = judge_resolution(low, 300)
    assert judged.source == DpiSource.ESTIMATED and 80 <= judged.dpi <= 140
    assert judge_resolution(form, 72) == Resolution(300, DpiSource.PAPER_SIZE)  # a placeholder


def test_a_page_without_resolution_is_matched_to_its_paper_then_measured(
    form: np.ndarray, cropped_form: np.ndarray
) -> None:
    assert judge_resolution(at(form, 100), None) == Resolution(100, DpiSource.PAPER_SIZE)
    for dpi in (100, 150, 300):
        judged = judge_resolution(at(cropped_form, dpi), None)
        assert judged.source == DpiSource.ESTIMATED
        assert 0.8 * dpi <= judged.dpi <= 1.45 * dpi, (dpi, judged)


def test_paper_sizes_include_letter_and_id_cards() -> None:
    assert paper_size_dpi(1700, 2200) == 200  # US letter
    assert paper_size_dpi(1011, 638) == 300  # an ID-1 card, cut to its edge
    assert paper_size_dpi(1091, 718) == 325  # a card with a margin
    assert paper_size_dpi(1000, 1000) is None


def test_a_page_with_too_few_letters_is_assumed_300_dpi() -> None:
    blank = np.full((1000, 1200), 255, dtype=np.uint8)
    cv2.rectangle(blank, (100, 100), (600, 700), 0, -1)  # a photo, no text
    assert judge_resolution(blank, None) == Resolution(300, DpiSource.ASSUMED)


@pytest.mark.parametrize("name", ["phototest.tif", "eurotext.tif", "phototest-rotated-L.png"])
@pytest.mark.parametrize("dpi", [100, 150, 200])
def test_real_scans_without_resolution_are_measured_close(name: str, dpi: int) -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent")
    with Image.open(REAL / name) as image:
        native = round(image.info["dpi"][0])
        pixels = at(as_grey(image), dpi, native)
    judged = judge_resolution(pixels, None)
    assert judged.source == DpiSource.ESTIMATED
    assert 0.8 * dpi <= judged.dpi <= 1.2 * dpi, judged
