"""The crop of a page around a field's box, with margin, scaled for reading at the review desk."""

from __future__ import annotations

import io

from PIL import Image

MARGIN_LINES = 1.2
"""Margin above and below the box, in box heights: the lines around it, for context."""
MARGIN_SIDES = 4.0
"""Margin left and right, in box heights: the label before the value and what follows."""
READING_HEIGHT = 36
"""Pixels the box's text is scaled to on screen: large enough to read a mark, not blurred."""
MAX_SCALE = 3.0


def crop_around(image_bytes: bytes, box: tuple[int, int, int, int]) -> bytes:
    """A PNG of the page around ``box`` (left, top, width, height in the image's pixels)."""
    with Image.open(io.BytesIO(image_bytes)) as page:
        left, top, width, height = box
        height = max(height, 1)
        dx, dy = round(height * MARGIN_SIDES), round(height * MARGIN_LINES)
        area = (
            max(0, left - dx),
            max(0, top - dy),
            min(page.width, left + width + dx),
            min(page.height, top + height + dy),
        )
        crop = page.convert("L").crop(area)
    scale = min(MAX_SCALE, READING_HEIGHT / height)
    if abs(scale - 1) > 0.05:
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        crop = crop.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    crop.save(out, format="PNG", optimize=False)
    return out.getvalue()
