"""PageTransform: prepared images and word boxes agree with the page as uploaded."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.geometry import PageTransform
from ocr.words import PageText, Word

WIDTH, HEIGHT = 300, 200
BOX = (40, 30, 50, 20)  # left, top, width, height of a dark rectangle on the page


def page_with_box(box: tuple[int, int, int, int] = BOX) -> np.ndarray:
    pixels = np.full((HEIGHT, WIDTH), 255, dtype=np.uint8)
    left, top, width, height = box
    pixels[top : top + height, left : left + width] = 0
    return pixels


def dark_box(pixels: np.ndarray, threshold: int = 128) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(pixels < threshold)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_quarter_turns_map_boxes_back_exactly(degrees: int) -> None:
    transform = PageTransform.identity(WIDTH, HEIGHT).then_turn(degrees)
    prepared = transform.warp(page_with_box())
    assert prepared.shape == (transform.height, transform.width)
    assert transform.box_to_original(*dark_box(prepared)) == BOX


def test_turns_agree_with_numpy_and_pillow_direction() -> None:
    """``then_turn(90)`` is counter-clockwise, as ``np.rot90`` and Pillow's ``rotate(90)``."""
    pixels = page_with_box()
    prepared = PageTransform.identity(WIDTH, HEIGHT).then_turn(90).warp(pixels)
    assert np.array_equal(prepared, np.rot90(pixels))


def test_turn_then_crop_then_scale_maps_back() -> None:
    transform = (
        PageTransform.identity(WIDTH, HEIGHT)
        .then_crop(10, 5, 280, 190)
        .then_turn(270)
        .then_scale(1.5)
    )
    prepared = transform.warp(page_with_box())
    assert (transform.width, transform.height) == (285, 420)
    left, top, width, height = transform.box_to_original(*dark_box(prepared))
    assert abs(left - BOX[0]) <= 1 and abs(top - BOX[1]) <= 1
    assert abs(width - BOX[2]) <= 2 and abs(height - BOX[3]) <= 2


def test_small_rotation_grows_the_canvas_and_maps_back() -> None:
    transform = PageTransform.identity(WIDTH, HEIGHT).then_rotate(3.0)
    assert transform.width > WIDTH and transform.height > HEIGHT
    prepared = transform.warp(page_with_box())
    left, top, width, height = transform.box_to_original(*dark_box(prepared))
    # the bounding box of a rotated rectangle's box contains the rectangle, a little larger
    assert left <= BOX[0] <= left + 4 and top <= BOX[1] <= top + 4
    assert BOX[2] <= width <= BOX[2] + 6 and BOX[3] <= height <= BOX[3] + 6


def test_warp_since_an_earlier_state_equals_warp_from_the_original() -> None:
    turned = PageTransform.identity(WIDTH, HEIGHT).then_turn(90)
    both = turned.then_turn(180)
    pixels = page_with_box()
    assert np.array_equal(both.warp(turned.warp(pixels), since=turned), both.warp(pixels))


def test_boxes_are_clipped_to_the_original_page() -> None:
    transform = PageTransform.identity(WIDTH, HEIGHT).then_rotate(10.0)
    assert transform.box_to_original(0, 0, transform.width, transform.height) == (
        0,
        0,
        WIDTH,
        HEIGHT,
    )


def test_to_original_keeps_words_and_sets_the_original_size() -> None:
    transform = PageTransform.identity(WIDTH, HEIGHT).then_turn(90)
    word = Word("Hà", 91.0, 30, 210, 20, 50, block=1, paragraph=1, line=1)
    mapped = transform.to_original(PageText(transform.width, transform.height, [word]))
    assert (mapped.width, mapped.height) == (WIDTH, HEIGHT)
    only = mapped.words[0]
    assert (only.text, only.confidence, only.line) == ("Hà", 91.0, 1)
    # counter-clockwise turn: original x = WIDTH - prepared y, original y = prepared x
    assert (only.left, only.top, only.width, only.height) == (40, 30, 50, 20)


def test_turns_are_only_quarter_turns() -> None:
    with pytest.raises(ValueError, match="90° steps"):
        PageTransform.identity(WIDTH, HEIGHT).then_turn(45)


def test_identity_is_identity() -> None:
    transform = PageTransform.identity(WIDTH, HEIGHT)
    assert transform.is_identity
    assert not transform.then_turn(180).is_identity
    pixels = page_with_box()
    assert np.array_equal(transform.warp(pixels), pixels)
