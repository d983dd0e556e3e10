"""Where a pixel of the prepared image came from in the page image the user uploaded.

Preprocessing turns, deskews, crops and upscales a page before tesseract reads it, but the words
are stored in the coordinates of the ORIGINAL page image, so that a box can be cropped from the
stored image and drawn on the review page as is. ``PageTransform`` records the affine map from
original to prepared pixels as the steps are chosen, and it both produces the prepared image
(``warp``) and maps the words back (``to_original``): one matrix for both, so the two can never
disagree.

Coordinates are continuous: pixel column ``i`` covers ``[i, i + 1)``, so a box ``left, width`` spans
``[left, left + width)`` and a 90° turn maps boxes exactly onto whole pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ocr.words import PageText

Matrix = tuple[float, float, float, float, float, float]
"""``(a, b, c, d, e, f)``: ``x' = a x + b y + c``, ``y' = d x + e y + f``."""

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _compose(after: Matrix, before: Matrix) -> Matrix:
    """The map that applies ``before`` then ``after``."""
    a1, b1, c1, d1, e1, f1 = after
    a0, b0, c0, d0, e0, f0 = before
    return (
        a1 * a0 + b1 * d0, a1 * b0 + b1 * e0, a1 * c0 + b1 * f0 + c1,
        d1 * a0 + e1 * d0, d1 * b0 + e1 * e0, d1 * c0 + e1 * f0 + f1,
    )  # fmt: skip


def _invert(matrix: Matrix) -> Matrix:
    a, b, c, d, e, f = matrix
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return (ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f))


@dataclass(frozen=True)
class PageTransform:
    """The affine map from the original page image (``original_width`` x ``original_height``)
    to the prepared image (``width`` x ``height``) that tesseract reads."""

    original_width: int
    original_height: int
    width: int
    height: int
    matrix: Matrix = _IDENTITY

    @classmethod
    def identity(cls, width: int, height: int) -> PageTransform:
        return cls(width, height, width, height)

    def then_turn(self, degrees: int) -> PageTransform:
        """Turn the prepared image counter-clockwise by 0, 90, 180 or 270 degrees, as Pillow's
        ``Image.rotate(degrees, expand=True)`` does."""
        w, h = float(self.width), float(self.height)
        steps: dict[int, tuple[Matrix, int, int]] = {
            0: (_IDENTITY, self.width, self.height),
            90: ((0.0, 1.0, 0.0, -1.0, 0.0, w), self.height, self.width),
            180: ((-1.0, 0.0, w, 0.0, -1.0, h), self.width, self.height),
            270: ((0.0, -1.0, h, 1.0, 0.0, 0.0), self.height, self.width),
        }
        if degrees % 360 not in steps:
            raise ValueError(f"a page turns in 90° steps, not {degrees}°")
        step, width, height = steps[degrees % 360]
        return self._then(step, width, height)

    def then_rotate(self, degrees: float) -> PageTransform:
        """Rotate counter-clockwise by a small angle about the centre, on a canvas grown to keep
        the corners (as ``cv2.getRotationMatrix2D`` with a positive angle)."""
        radians = math.radians(degrees)
        cos, sin = math.cos(radians), math.sin(radians)
        width = math.ceil(self.width * abs(cos) + self.height * abs(sin) - 1e-9)
        height = math.ceil(self.width * abs(sin) + self.height * abs(cos) - 1e-9)
        cx, cy, nx, ny = self.width / 2, self.height / 2, width / 2, height / 2
        step: Matrix = (cos, sin, nx - cos * cx - sin * cy, -sin, cos, ny + sin * cx - cos * cy)
        return self._then(step, width, height)

    def then_crop(self, left: int, top: int, width: int, height: int) -> PageTransform:
        """Keep only ``width`` x ``height`` pixels from ``left, top`` of the prepared image."""
        return self._then((1.0, 0.0, -float(left), 0.0, 1.0, -float(top)), width, height)

    def then_scale(self, factor: float) -> PageTransform:
        """Resample the prepared image by ``factor`` (above 1 to upscale)."""
        width = max(1, round(self.width * factor))
        height = max(1, round(self.height * factor))
        sx, sy = width / self.width, height / self.height
        return self._then((sx, 0.0, 0.0, 0.0, sy, 0.0), width, height)

    def _then(self, step: Matrix, width: int, height: int) -> PageTransform:
        return replace(self, width=width, height=height, matrix=_compose(step, self.matrix))

    @property
    def is_identity(self) -> bool:
        return self.matrix == _IDENTITY and (self.width, self.height) == (
            self.original_width,
            self.original_height,
        )

    def warp(
        self, pixels: np.ndarray, *, since: PageTransform | None = None, paper: int = 255
    ) -> np.ndarray:
        """The prepared image made from ``pixels``, which are the original page image, or the
        image prepared by ``since`` (an earlier state of this transform) when given.

        Quarter turns and crops are done by exact pixel copying; anything else is resampled
        (cubic when upscaling, linear otherwise), filling the corners the original does not
        cover with ``paper``: the page's own paper grey, since white corners around a faded
        page make tesseract's threshold take the whole page for ink.
        """
        before = since.matrix if since is not None else _IDENTITY
        step = _compose(self.matrix, _invert(before))
        exact = _quarter_turn(pixels, step, self.width, self.height)
        if exact is not None:
            return exact
        a, b, c, d, e, f = step
        # continuous -> index coordinates: a pixel's centre is at index + 0.5
        index_step = np.array(
            [[a, b, c + 0.5 * (a + b) - 0.5], [d, e, f + 0.5 * (d + e) - 0.5]], dtype=np.float64
        )
        upscale = abs(a * e - b * d) > 1.01
        return cv2.warpAffine(
            pixels,
            index_step,
            (self.width, self.height),
            flags=cv2.INTER_CUBIC if upscale else cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(paper,),
        )

    def box_to_original(
        self, left: float, top: float, width: float, height: float
    ) -> tuple[int, int, int, int]:
        """The box ``left, top, width, height`` of the prepared image as a box of the original
        one: the bounding box of its four mapped corners, clipped to the original page."""
        a, b, c, d, e, f = _invert(self.matrix)
        corners = [(left, top), (left + width, top), (left, top + height)]
        corners.append((left + width, top + height))
        xs = [a * x + b * y + c for x, y in corners]
        ys = [d * x + e * y + f for x, y in corners]
        x0 = min(max(math.floor(min(xs) + 1e-6), 0), self.original_width)
        y0 = min(max(math.floor(min(ys) + 1e-6), 0), self.original_height)
        x1 = min(max(math.ceil(max(xs) - 1e-6), x0), self.original_width)
        y1 = min(max(math.ceil(max(ys) - 1e-6), y0), self.original_height)
        return x0, y0, x1 - x0, y1 - y0

    def to_original(self, page: PageText) -> PageText:
        """``page``, read from the prepared image, with every box in original coordinates."""
        words = []
        for word in page.words:
            left, top, width, height = self.box_to_original(
                word.left, word.top, word.width, word.height
            )
            words.append(replace(word, left=left, top=top, width=width, height=height))
        return PageText(width=self.original_width, height=self.original_height, words=words)


def _quarter_turn(pixels: np.ndarray, step: Matrix, width: int, height: int) -> np.ndarray | None:
    """``step`` done by copying pixels when it is a quarter turn plus a whole-pixel shift."""
    a, b, c, d, e, f = step
    if any(v not in (-1.0, 0.0, 1.0) for v in (a, b, d, e)) or not (
        float(c).is_integer() and float(f).is_integer()
    ):
        return None
    turns = {(1, 0, 0, 1): 0, (0, 1, -1, 0): 1, (-1, 0, 0, -1): 2, (0, -1, 1, 0): 3}
    key = (int(a), int(b), int(d), int(e))
    if key not in turns:
        return None
    turned = np.rot90(pixels, k=turns[key])
    # after the turn alone the image sits at the origin; the remaining shift is a crop or pad
    th, tw = turned.shape[:2]
    origin = _compose(step, _invert(_turn_matrix(turns[key], pixels.shape[1], pixels.shape[0])))
    dx, dy = int(origin[2]), int(origin[5])
    out = np.full((height, width), 255, dtype=pixels.dtype)
    src_x0, src_y0 = max(0, -dx), max(0, -dy)
    dst_x0, dst_y0 = max(0, dx), max(0, dy)
    span_x = min(tw - src_x0, width - dst_x0)
    span_y = min(th - src_y0, height - dst_y0)
    if span_x > 0 and span_y > 0:
        out[dst_y0 : dst_y0 + span_y, dst_x0 : dst_x0 + span_x] = turned[
            src_y0 : src_y0 + span_y, src_x0 : src_x0 + span_x
        ]
    return out


def _turn_matrix(quarters: int, width: int, height: int) -> Matrix:
    turn = PageTransform.identity(width, height).then_turn(90 * quarters)
    return turn.matrix
