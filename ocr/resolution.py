"""The resolution a page is read at: what its file says, unless the page itself disagrees.

Tesseract's models read best when letters are about 20-30 pixels tall; the resolution is how
sohoa knows what size the letters are, and whether to enlarge the page. Files often do not say
it (phone photos, scanner apps, faxes) or say something wrong (a 72 dpi placeholder on a 300 dpi
scan, 300 dpi on a 100 dpi page). So the page's own letters are measured: the median height of
character-sized marks is about 0.09 inch on forms and letters set in 10-14 pt (0.090 on every
generated A4 kind and on tesseract's real phototest page, 0.075-0.08 on eurotext, 0.067 on ID
cards, whose print is small), and ``LETTER_INCHES`` turns it into dots per inch. The file's
resolution is kept unless the letters say otherwise by more than ``DISAGREEMENT``; a page
whose file says nothing is matched against the common paper sizes, then measured, and only
when it has too few letters to measure is ``ASSUMED_DPI`` taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

ASSUMED_DPI = 300
"""The resolution of a page that says nothing and shows too few letters to measure."""

LETTER_INCHES = 0.085
"""Median height of a character-sized mark, in inches, on the pages measured (see the module)."""

MIN_LETTERS = 30
"""Fewer marks than this are too few to measure: a photo, a stamp, a near-blank page."""

DISAGREEMENT = 2.0
"""Factor by which the letters must contradict the file (or a paper-size match) to win: the
letters put generated pages at 0.58-1.4x their true resolution (ID cards' small print lowest),
and a wrong header is off by 3-4x (72 dpi written on a 300 dpi scan, 300 on a 100 dpi one)."""

MEASURE_LONG_SIDE = 2400
"""Pages longer than this (pixels) are measured on a copy halved (or more): letters there are
large enough to survive it, and connected components cost with the pixel count."""

PAPER_SIZES_INCHES = (
    (8.27, 11.69, 0.04),
    (8.5, 11.0, 0.04),
    (8.5, 14.0, 0.04),
    (5.83, 8.27, 0.04),
    (11.69, 16.54, 0.04),
    (2.125, 3.370, 0.08),
)
"""A4, Letter, Legal, A5, A3 and ID-1 cards (CCCD), with how far the short side may be off:
cards are scanned with a margin that varies more than a sheet's."""

LARGEST_PAGE_INCHES = 18.0
"""Long side of the largest page an office scans (A3 and tabloid, with a margin)."""


class DpiSource(StrEnum):
    METADATA = "metadata"
    PAPER_SIZE = "paper_size"
    ESTIMATED = "estimated"
    ASSUMED = "assumed"


@dataclass(frozen=True)
class Resolution:
    dpi: int
    source: DpiSource


def judge_resolution(pixels: np.ndarray, file_dpi: int | None) -> Resolution:
    """The resolution to read grey ``pixels`` at, and where it comes from (see the module)."""
    height, width = pixels.shape
    measured = letters_dpi(pixels)
    if file_dpi and max(width, height) / file_dpi <= LARGEST_PAGE_INCHES:
        if measured is None or _agree(measured, file_dpi):
            return Resolution(int(file_dpi), DpiSource.METADATA)
        return Resolution(measured, DpiSource.ESTIMATED)
    paper = paper_size_dpi(width, height)
    if paper is not None and (measured is None or _agree(measured, paper)):
        return Resolution(paper, DpiSource.PAPER_SIZE)
    if measured is not None:
        return Resolution(measured, DpiSource.ESTIMATED)
    return Resolution(ASSUMED_DPI, DpiSource.ASSUMED)


def paper_size_dpi(width: int, height: int) -> int | None:
    """The resolution at which the image is a common paper size, if one is."""
    short, long_ = sorted((width, height))
    for paper_short, paper_long, tolerance in PAPER_SIZES_INCHES:
        guess = long_ / paper_long
        if abs(short / guess - paper_short) <= tolerance * paper_short and 100 <= guess <= 1200:
            return int(round(guess / 25) * 25)
    return None


def letters_dpi(pixels: np.ndarray) -> int | None:
    """The resolution the page's letters point to, to the nearest 5 dpi; None with too few."""
    scale = 1
    while max(pixels.shape) / scale > MEASURE_LONG_SIDE:
        scale *= 2
    small = pixels
    if scale > 1:
        size = (pixels.shape[1] // scale, pixels.shape[0] // scale)
        small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    letter = letter_size(small)
    if letter is None:
        return None
    return max(25, int(round(letter * scale / LETTER_INCHES / 5) * 5))


def letter_size(pixels: np.ndarray) -> float | None:
    """Median height of the character-sized marks, in pixels (their width on a page lying on
    its side: the larger of the two medians, since letters are taller than wide)."""
    _, ink = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:count, cv2.CC_STAT_HEIGHT]
    widths = stats[1:count, cv2.CC_STAT_WIDTH]
    areas = stats[1:count, cv2.CC_STAT_AREA]
    letters = (
        (np.minimum(heights, widths) >= 2)
        & (np.maximum(heights, widths) >= 3)
        & (np.maximum(heights, widths) <= 6 * np.minimum(heights, widths))  # not rules
        & (np.maximum(heights, widths) < max(pixels.shape) / 15)  # not frames or photos
        & (areas >= 0.15 * heights * widths)  # not hollow frames
    )
    if int(letters.sum()) < MIN_LETTERS:
        return None
    return float(max(np.median(heights[letters]), np.median(widths[letters])))


def _agree(measured: int, claimed: int) -> bool:
    return 1 / DISAGREEMENT <= measured / claimed <= DISAGREEMENT
