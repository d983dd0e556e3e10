"""Pure image functions that prepare a page for tesseract: grey pixels in, pixels or facts out.

The decisions (is the page blank, where are its dark photocopy edges, does it need cleaning)
are taken on an analysis copy reduced to ``ANALYSIS_DPI``, where they cost a few milliseconds;
only the final preparation touches the full-size pixels. The recipe that strings them together
is ``ocr.reading.read_page``; the page's resolution comes from ``ocr.resolution``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

MIN_OCR_DPI = 200
"""Pages below this are upscaled to ``OCR_DPI``, the text size tesseract's models are made for.
200 dpi pages are read as they are: on 16 bilevel 200 dpi samples with ``vie``, upscaling them to
300 dpi made CER worse (0.23% to 0.33%) and recognition 50% slower; lower resolutions, where
10-point letters are under 20 pixels tall, need it."""

OCR_DPI = 300

ANALYSIS_DPI = 150
"""Resolution of the analysis copy: text lines are still 20-30 pixels apart, and every decision
on it costs a quarter of the pixels of a 300 dpi page."""

BLANK_INK_FRACTION = 0.0002
"""Below this share of the page in character-sized marks (about ten letters), a page is blank.
The sparsest sample text page has 0.027; a blank page with speckle, noise, JPEG or uneven light
has 0 once marks under 15 pixels at 150 dpi (dust, toner dots) are left out."""


def as_grey(image: Image.Image) -> np.ndarray:
    """8-bit grey pixels of any Pillow image; bilevel ("1") becomes 0 and 255."""
    if image.mode == "L":
        return np.asarray(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        wide = np.asarray(image, dtype=np.float64)
        top = max(float(wide.max()), 1.0)
        return np.clip(wide * (255.0 / top), 0, 255).astype(np.uint8)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        canvas = Image.new("RGBA", image.size, (255, 255, 255, 255))
        canvas.alpha_composite(image.convert("RGBA"))
        image = canvas
    return np.asarray(image.convert("L"))


def analysis_copy(pixels: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """``pixels`` reduced to about ``ANALYSIS_DPI`` (never enlarged) and the factor used."""
    factor = min(1.0, ANALYSIS_DPI / dpi)
    if factor > 0.95 or min(pixels.shape) * factor < 32:
        return pixels, 1.0
    small = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return small, factor


def paper_level(small: np.ndarray) -> int:
    """The grey of the paper: the bright end (90th percentile) of the page, text being a few
    percent of it and dark photocopy edges at most a tenth."""
    return int(np.percentile(small, 90))


def ink_mask(small: np.ndarray) -> np.ndarray:
    """Dark strokes against their neighbourhood, so uneven light and faded ink still count.

    A 3x3 blur first: without it sensor noise (sigma 14) marks 0.26% of blank paper as ink,
    more than the blank-page threshold; with it, none. The window (31 pixels) is about a text
    line at 150 dpi.
    """
    smooth = cv2.GaussianBlur(small, (3, 3), 0)
    mask = cv2.adaptiveThreshold(
        smooth, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    return mask > 0


def ink_fraction(mask: np.ndarray, *, least_area: int = 15) -> float:
    """Share of the page covered by marks of at least ``least_area`` pixels (dust excluded)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    areas = stats[1:count, cv2.CC_STAT_AREA]
    return float(areas[areas >= least_area].sum()) / mask.size


def is_blank(mask: np.ndarray) -> bool:
    """True for a page with no text worth reading (see ``BLANK_INK_FRACTION``)."""
    return ink_fraction(mask) < BLANK_INK_FRACTION


def dark_margins(small: np.ndarray, *, darkest: float = 90.0) -> tuple[int, int, int, int]:
    """Widths of the dark bands along the left, top, right and bottom edges.

    A photocopier's lid leaves black bands (mean grey 20-60). Tesseract 5.5 read two sample
    pages with such bands as well as without, so the crop is not an accuracy gain there, but it
    costs nothing and keeps the bands out of layout analysis on older engines. A column or row
    counts as border while its mean is under ``darkest``; a band over a quarter of the page is
    not a border but a dark page.
    """
    columns = small.mean(axis=0)
    rows = small.mean(axis=1)

    def run(values: np.ndarray) -> int:
        dark = values < darkest
        length = len(values) if dark.all() else int(np.argmin(dark))
        return length if length < len(values) // 4 else 0

    return run(columns), run(rows), run(columns[::-1]), run(rows[::-1])


def background_spread(small: np.ndarray) -> float:
    """Grey levels between the darkest and the brightest paper: the page's light is uneven
    when this is large. Paper is taken as the bright end (90th percentile) of 32-pixel tiles."""
    height, width = small.shape
    tile = 32
    rows, cols = height // tile, width // tile
    if rows < 2 or cols < 2:
        return 0.0
    tiles = small[: rows * tile, : cols * tile].reshape(rows, tile, cols, tile)
    paper = np.percentile(tiles.transpose(0, 2, 1, 3).reshape(rows, cols, -1), 90, axis=2)
    low, high = np.percentile(paper, (5, 95))
    return float(high - low)


def noise_sigma(pixels: np.ndarray) -> float:
    """Sensor noise in grey levels, from the paper of a central full-resolution crop: the
    median absolute difference between each pixel and its 3x3 median, scaled to a sigma."""
    height, width = pixels.shape
    crop = pixels[height // 4 : height // 4 + 512, width // 4 : width // 4 + 512]
    if np.isin(crop[::7, ::7], (0, 255)).all():
        return 0.0  # a bilevel scan: its roughness is its edges, not noise
    smooth = cv2.medianBlur(crop, 3)
    residual = np.abs(crop.astype(np.int16) - smooth.astype(np.int16))
    paper = smooth >= np.percentile(smooth, 50)  # ties count: white paper is often all 255
    if not paper.any():
        return 0.0
    return float(np.mean(residual[paper]) * 1.25)


def speck_density(small: np.ndarray) -> float:
    """Isolated dots (toner, dust) per megapixel of the analysis copy: tiny dark marks with no
    other ink within 8 pixels, which text (whose dots and accents sit near letters) lacks."""
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tiny = stats[:, cv2.CC_STAT_AREA] <= 6
    tiny[0] = False
    others = (ink > 0) & ~tiny[labels]
    near = cv2.dilate(others.astype(np.uint8), np.ones((17, 17), np.uint8))
    xs = stats[tiny, cv2.CC_STAT_LEFT]
    ys = stats[tiny, cv2.CC_STAT_TOP]
    isolated = int((near[ys, xs] == 0).sum())
    return isolated / (small.size / 1e6)


UNEVEN_SPREAD = 50.0
"""Paper spread (grey levels) above which the light is flattened: the samples' uneven pages
are at 79-112, all others at 0-19. Flattening took their CER from 1.80% to 0.44%."""

NOISY_SIGMA = 4.0
"""Noise above which the page is smoothed (3x3 Gaussian): noisy samples are at 5.4-11, others
at 0-2.3 (bilevel scans are skipped). On 16 noisy pages smoothing took CER from 0.77% to 0.55%
with ``vie+eng`` and from 0.22% to 0.18% with ``vie``; Otsu binarisation did as well with
``vie+eng`` (0.54%) but worse with ``vie`` (0.29%), and on clean pages it only hurt."""

SPECKLED_DENSITY = 50.0
"""Isolated dots per megapixel above which they are removed: speckled samples are at 92-178,
others at 0-15. Removing them took CER from 2.79% to 0.81%."""


@dataclass(frozen=True)
class Cleaning:
    """Which cleaning a page needs, judged on its analysis copy and full-size pixels."""

    flatten: bool = False
    denoise: bool = False
    despeckle: bool = False

    @classmethod
    def judge(cls, small: np.ndarray, pixels: np.ndarray) -> Cleaning:
        return cls(
            flatten=background_spread(small) > UNEVEN_SPREAD,
            denoise=noise_sigma(pixels) > NOISY_SIGMA,
            despeckle=speck_density(small) > SPECKLED_DENSITY,
        )


def clean(pixels: np.ndarray, needs: Cleaning) -> tuple[np.ndarray, tuple[str, ...]]:
    """The prepared page as tesseract should see it, and the names of the steps applied.

    A page that needs nothing is returned as it is. No cleaning helped every kind of page: on
    8 pages per defect, Otsu binarisation cost accuracy on clean, faded and JPEG pages (0.59% to
    0.64%, 0.40% to 0.64%, 0.35% to 0.64%), an adaptive threshold wrecked noisy pages (54%), a
    3x3 median doubled the errors on noisy pages, and contrast stretching changed nothing. Each
    step here is applied only to the defect where it was measured to help.
    """
    steps: list[str] = []
    if needs.flatten:
        pixels = flatten_light(pixels)
        steps.append("flatten")
    if needs.despeckle:
        pixels = remove_specks(pixels)
        steps.append("despeckle")
    if needs.denoise:
        pixels = cv2.GaussianBlur(pixels, (3, 3), 0)
        steps.append("denoise")
    return pixels, tuple(steps)


def flatten_light(pixels: np.ndarray) -> np.ndarray:
    """Divide the page by its paper brightness, estimated at a quarter of the size (56 ms on an
    A4 page, where the same at full size took 0.3 s): grey paper becomes white again, ink stays
    dark in proportion."""
    height, width = pixels.shape
    small = cv2.resize(
        pixels, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA
    )
    paper = cv2.medianBlur(cv2.dilate(small, np.ones((7, 7), np.uint8)), 9)
    paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(pixels, paper, scale=255)


def remove_specks(pixels: np.ndarray, *, largest: int = 20, clearance: int = 12) -> np.ndarray:
    """Whiten dark marks of at most ``largest`` pixels with no other ink within ``clearance``
    pixels: toner dots and dust, which tesseract reads as stray punctuation. Dots and accents
    of letters sit closer to their letter than that at 300 dpi. About 0.2 s on an A4 page, only
    paid by speckled pages."""
    _, ink = cv2.threshold(pixels, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tiny = stats[:, cv2.CC_STAT_AREA] <= largest
    tiny[0] = False
    others = ((ink > 0) & ~tiny[labels]).astype(np.uint8)
    size = 2 * clearance + 1
    near = cv2.dilate(others, np.ones((size, size), np.uint8))
    ids = np.flatnonzero(tiny)
    lonely = near[stats[ids, cv2.CC_STAT_TOP], stats[ids, cv2.CC_STAT_LEFT]] == 0
    remove = np.zeros(count, dtype=bool)
    remove[ids[lonely]] = True
    cleaned = pixels.copy()
    cleaned[remove[labels]] = 255
    return cleaned
