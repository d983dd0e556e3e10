"""Which way up a page is, in 90° steps, cheaply when the ink says so and by tesseract otherwise.

Tesseract's orientation detection (OSD) costs 0.45-0.6 s on a 300 dpi A4 page and still about
0.3 s on a half-size copy, where it also gets unsure (confidence under 2 on ID cards); that is
more than the whole preprocessing budget. Two cues read from the ink mask cost a few
milliseconds and decide almost every page:

* line direction: the projection profile across horizontal text lines is far sharper than the
  one along them (at least 1.6x on the sample A4 pages, 1.2x on ID cards, 1.5x on the real
  phototest and eurotext pages, over every defect), which tells upright or upside down from
  lying on a side;
* which side of a line carries the extra ink: Vietnamese diacritics, capitals and ascenders
  stand above the x-height band far more than descenders hang below it (ink above/below
  2.1-4.5 upright and 0.22-0.44 upside down on the A4 samples, 2.3-3.1 and 0.44 on the real
  pages; ID cards anywhere from 1.2 to 5.2 upright and 0.4-0.8 upside down).

When the line direction is unsure, OSD is asked. When only up-or-down is unsure (ID cards, with
their few large lines and a photo), the caller reads the page the likelier way
up and, unless tesseract is sure of that reading (mean word confidence 91-96 upright against
58-69 upside down on every sample kind and defect), reads it the other way too and keeps the
surer reading: no cost when the guess was right, where OSD would add 0.3 s to every such page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ocr.deskew import measure_skew
from ocr.engine import OcrEngine
from ocr.geometry import PageTransform

AXIS_SURE_RATIO = 1.15
"""Row sharpness over column sharpness (or the reverse) above which the line direction is sure;
the sample documents never came below 1.22 and the real pages 1.47."""

ZONE_SURE_RATIO = 2.0
"""Ink above the x-height band over ink below it (or the reverse) above which up is sure. Wrong
answers (upside-down pages read as upright) never came above 0.81, so 2.0 leaves a wide margin;
an upright page under 2.0 only costs the check by reading."""

OSD_SURE_CONFIDENCE = 3.0
"""OSD confidence above which its answer is taken; wrong answers came with confidence under 1."""


@dataclass(frozen=True)
class Orientation:
    """How a page is turned and leans.

    ``degrees``: clockwise turn the content shows (0, 90, 180, 270), so the image is turned
    counter-clockwise by it to be upright; ``lean``: counter-clockwise lean of the lines after
    that turn (the same for ``alternative``, which differs by 180°). ``sure`` is False when
    the turn is a guess; ``alternative`` is then the other likely answer. ``method`` says who
    decided: ``"ink"`` (the cues) or ``"osd"``.
    """

    degrees: int
    lean: float
    sure: bool
    method: str
    alternative: int | None = None


def lines_run_across(mask: np.ndarray) -> bool | None:
    """True when text lines run across ``mask`` (left to right), False when they run down it,
    None when the ink does not say."""
    rows = measure_skew(mask, refine=False).sharpness
    columns = measure_skew(mask.T, refine=False).sharpness
    if rows >= columns * AXIS_SURE_RATIO:
        return True
    if columns >= rows * AXIS_SURE_RATIO:
        return False
    return None


def zone_ratio(level_mask: np.ndarray) -> float:
    """Ink above the x-height band of each text line over ink below it, in a levelled mask."""
    profile = level_mask.sum(axis=1).astype(np.float64)
    if profile.max() <= 0:
        return 1.0
    on = profile > max(2.0, 0.02 * profile.max())
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
    above = below = 0.0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        band = profile[start:end]
        if end - start < 4:
            continue
        core = np.flatnonzero(band >= 0.5 * band.max())
        above += float(band[: core[0]].sum())
        below += float(band[core[-1] + 1 :].sum())
    return (above + 1.0) / (below + 1.0)


def turned(mask: np.ndarray, degrees: int) -> np.ndarray:
    """``mask`` turned counter-clockwise by ``degrees`` (a multiple of 90)."""
    return np.rot90(mask, k=(degrees // 90) % 4)


def way_up(mask: np.ndarray, base: int) -> Orientation:
    """Upright or upside down, for a mask whose lines run across once turned by ``base``."""
    upright = turned(mask, base)
    lean = measure_skew(upright).degrees
    transform = PageTransform.identity(upright.shape[1], upright.shape[0]).then_rotate(-lean)
    levelled = transform.warp(np.where(upright, 0, 255).astype(np.uint8)) < 128
    ratio = zone_ratio(levelled)
    if ratio >= ZONE_SURE_RATIO:
        return Orientation(base, lean, sure=True, method="ink")
    if ratio <= 1 / ZONE_SURE_RATIO:
        return Orientation(base + 180, lean, sure=True, method="ink")
    likely, other = (base, base + 180) if ratio >= 1 else (base + 180, base)
    return Orientation(likely, lean, sure=False, method="ink", alternative=other)


def detect_orientation(
    image: Callable[[], Image.Image], mask: np.ndarray, engine: OcrEngine
) -> Orientation:
    """The page's turn and lean from the ink cues of ``mask``, else from OSD on ``image()``.

    ``image`` makes the page for OSD only when it is needed (it costs a copy of the page).
    """
    across = lines_run_across(mask)
    if across is not None:
        return way_up(mask, 0 if across else 90)
    guess = engine.detect_orientation(image())
    lean = measure_skew(turned(mask, guess.degrees)).degrees
    if guess.confidence >= OSD_SURE_CONFIDENCE:
        return Orientation(guess.degrees, lean, sure=True, method="osd")
    alternative = 0 if guess.degrees else None
    return Orientation(guess.degrees, lean, sure=False, method="osd", alternative=alternative)
