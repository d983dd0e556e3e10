"""The OCR recipe for one page: look at it, straighten it, clean it if that helps, read it.

``read_page`` is what the job layer calls. Every decision is taken on a 150 dpi analysis copy
(``ocr.preprocess``), the geometry (dark edges cropped, quarter turn, deskew, upscale) is
collected in one ``PageTransform`` and applied to the full-size pixels in a single resampling,
and the words tesseract finds are mapped back through the same transform, so they are always
in the coordinates of the page image as uploaded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ocr.deskew import measure_skew
from ocr.engine import OcrEngine
from ocr.geometry import PageTransform
from ocr.orientation import Orientation, detect_orientation, turned
from ocr.preprocess import (
    MIN_OCR_DPI,
    OCR_DPI,
    Cleaning,
    analysis_copy,
    as_grey,
    clean,
    dark_margins,
    ink_mask,
    is_blank,
    paper_level,
)
from ocr.resolution import DpiSource, judge_resolution
from ocr.words import PageText

SKEW_THRESHOLD_DEGREES = 0.3
"""Leans smaller than this are left alone (a rotation resamples the whole page, about 25 ms,
and softens it). At 0.5-0.75° deskewing was not always better (8 pages at each of ±0.5° and
±0.75°: 0.75% CER on average with it, 1.20% without, one page at 3% without it)."""

SURE_READING_CONFIDENCE = 80.0
"""Mean word confidence above which a reading of a page whose turn was unsure is kept without
trying the other turn (upright sample pages read at 91-96 whatever the defect, upside-down ones
at 58-69)."""


@dataclass(frozen=True)
class PageReading:
    """What OCR made of one page image.

    ``text`` is in the coordinates of the image given to ``read_page`` (its width and height);
    ``rotation`` is the clockwise turn the content showed (0, 90, 180, 270); ``skew_degrees``
    the counter-clockwise lean found after that turn (corrected only above
    ``SKEW_THRESHOLD_DEGREES``); ``dpi`` the resolution tesseract read at; ``page_dpi`` the
    page's own resolution as judged, and ``dpi_source`` how (``ocr.resolution``); ``steps``
    what was done, in order; ``seconds`` the time each stage took, for metrics and benchmarks.
    """

    text: PageText
    rotation: int
    skew_degrees: float
    blank: bool
    dpi: int
    page_dpi: int
    dpi_source: DpiSource
    steps: tuple[str, ...]
    seconds: tuple[tuple[str, float], ...] = field(default=(), compare=False)


@dataclass
class _Clock:
    laps: list[tuple[str, float]] = field(default_factory=list)
    last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now


@dataclass(frozen=True)
class _Plan:
    transform: PageTransform
    rotation: int
    skew_degrees: float
    dpi: int
    steps: tuple[str, ...]


def read_page(image: Image.Image, dpi: int | None, engine: OcrEngine) -> PageReading:
    """Read ``image`` (any Pillow mode; ``dpi`` None when the file does not say)."""
    clock = _Clock()
    pixels = as_grey(image)
    height, width = pixels.shape
    judged = judge_resolution(pixels, dpi)
    resolution = judged.dpi
    small, factor = analysis_copy(pixels, resolution)
    crop = _border_crop(small, factor, width, height)
    mask = _crop_mask(ink_mask(small), crop, factor)
    if is_blank(mask):
        clock.lap("analyse")
        empty = PageText(width=width, height=height, words=[])
        return PageReading(
            empty, 0, 0.0, True, resolution, resolution, judged.source, ("blank",),
            tuple(clock.laps),
        )  # fmt: skip
    needs, paper = Cleaning.judge(small, pixels), paper_level(small)
    clock.lap("analyse")
    orientation = detect_orientation(_osd_image(pixels, crop, resolution), mask, engine)
    clock.lap("orient")
    plan = _plan(crop, orientation.degrees, orientation.lean, resolution)
    text, steps = _recognise(pixels, plan, needs, paper, engine, clock)
    alternative = _alternative(orientation, text)
    if alternative is not None:
        lean = orientation.lean
        if (alternative - orientation.degrees) % 180:
            lean = measure_skew(turned(mask, alternative)).degrees
        other_plan = _plan(crop, alternative, lean, resolution)
        other_text, other_steps = _recognise(pixels, other_plan, needs, paper, engine, clock)
        if (other_text.mean_confidence or 0.0) > (text.mean_confidence or 0.0):
            plan, text, steps = other_plan, other_text, other_steps
    return PageReading(
        text=plan.transform.to_original(text),
        rotation=plan.rotation,
        skew_degrees=plan.skew_degrees,
        blank=False,
        dpi=plan.dpi,
        page_dpi=resolution,
        dpi_source=judged.source,
        steps=steps,
        seconds=tuple(clock.laps),
    )


def _border_crop(small: np.ndarray, factor: float, width: int, height: int) -> PageTransform:
    """The original page less its dark photocopy edges (nothing cropped when there are none)."""
    identity = PageTransform.identity(width, height)
    left, top, right, bottom = dark_margins(small)
    if not any((left, top, right, bottom)):
        return identity
    x0, y0 = math.ceil(left / factor), math.ceil(top / factor)
    x1, y1 = width - math.ceil(right / factor), height - math.ceil(bottom / factor)
    return identity.then_crop(x0, y0, x1 - x0, y1 - y0)


def _crop_mask(mask: np.ndarray, crop: PageTransform, factor: float) -> np.ndarray:
    if crop.is_identity:
        return mask
    x0, y0, _, _ = crop.box_to_original(0, 0, 0, 0)
    left, top = round(x0 * factor), round(y0 * factor)
    return mask[top : top + round(crop.height * factor), left : left + round(crop.width * factor)]


def _osd_image(pixels: np.ndarray, crop: PageTransform, dpi: int) -> Callable[[], Image.Image]:
    """The page for OSD, made only if it is asked: full size up to 300 dpi, because OSD on a
    half-size ID card was unsure (confidence 1.3-4) where on the full one it was sure (11-13)."""

    def make() -> Image.Image:
        cropped = crop.warp(pixels)
        factor = min(1.0, OCR_DPI / dpi)
        image = Image.fromarray(cropped)
        if factor < 0.95:
            size = (round(image.width * factor), round(image.height * factor))
            image = image.resize(size, Image.Resampling.BOX)
        return image

    return make


def _plan(crop: PageTransform, rotation: int, skew: float, dpi: int) -> _Plan:
    """Turn, level and size the cropped page: the geometry of the prepared image."""
    steps = ["crop"] if not crop.is_identity else []
    transform = crop
    if rotation:
        transform = transform.then_turn(rotation)
        steps.append("rotate")
    if abs(skew) >= SKEW_THRESHOLD_DEGREES:
        transform = transform.then_rotate(-skew)
        steps.append("deskew")
    ocr_dpi = dpi
    if dpi < MIN_OCR_DPI:
        transform = transform.then_scale(OCR_DPI / dpi)
        ocr_dpi = OCR_DPI
        steps.append("upscale")
    return _Plan(transform, rotation, skew, ocr_dpi, tuple(steps))


def _recognise(
    pixels: np.ndarray, plan: _Plan, needs: Cleaning, paper: int, engine: OcrEngine, clock: _Clock
) -> tuple[PageText, tuple[str, ...]]:
    prepared = plan.transform.warp(pixels, paper=paper)
    clock.lap("warp")
    cleaned, cleaning = clean(prepared, needs)
    clock.lap("clean")
    text = engine.recognize(Image.fromarray(cleaned), dpi=plan.dpi)
    clock.lap("recognize")
    return text, plan.steps + cleaning


def _alternative(orientation: Orientation, text: PageText) -> int | None:
    """The other turn worth reading when neither the cues nor OSD were sure and the first
    reading is not convincing either."""
    if orientation.sure or orientation.alternative is None:
        return None
    if (text.mean_confidence or 0.0) >= SURE_READING_CONFIDENCE:
        return None
    return orientation.alternative
