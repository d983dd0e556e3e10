"""Real scans as desks also receive them: downsampled with no resolution stated, and photographed.

Made in memory by the benchmark from the real pages, never stored: each page at 100, 150 and
200 dpi with its resolution stripped (a scanner app's PNG), and a phone-photo-like copy (a
slight perspective, light falling off across the page, JPEG at quality 60, no resolution).
"""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image

STRIPPED_DPIS = (100, 150, 200)


def downsampled(image: Image.Image, native_dpi: int, dpi: int) -> Image.Image:
    """``image`` at ``dpi``, grey, saying nothing of its resolution."""
    grey = image.convert("L")
    if dpi < native_dpi:
        size = (round(grey.width * dpi / native_dpi), round(grey.height * dpi / native_dpi))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return Image.fromarray(np.asarray(grey))  # a fresh image: no info, no dpi


def phone_photo(image: Image.Image, seed: int) -> Image.Image:
    """A photo-like copy: perspective of a few percent, uneven light, JPEG 60, no dpi."""
    rng = random.Random(seed)
    pixels = np.asarray(image.convert("L"), dtype=np.float32)
    height, width = pixels.shape
    shift = 0.04
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    moved = corners + np.float32(
        [
            [rng.uniform(-shift, shift) * width, rng.uniform(-shift, shift) * height]
            for _ in range(4)
        ]
    )
    warp = cv2.getPerspectiveTransform(corners, moved)
    pixels = cv2.warpPerspective(
        pixels, warp, (width, height), flags=cv2.INTER_LINEAR, borderValue=235.0
    )
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)
    light = 1.0 - 0.35 * np.add.outer(ys * rng.uniform(0.3, 1.0), xs * rng.uniform(0.3, 1.0)) / 2
    photo = np.clip(pixels * light, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format="JPEG", quality=60)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return Image.fromarray(np.asarray(decoded))
