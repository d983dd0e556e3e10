"""Whether a page is the paper read before: its identifiers re-read by OCR where they were.

A perceptual hash (``ocr.fingerprint``) cannot tell a re-scan of one card from the same card
template filled in for somebody else: a few different words barely move a page's low
frequencies. What differs is what the fields say. So a page is taken for its candidate only
when every identifying value the candidate's document read on that page (CCCD number,
enterprise code, names, dates) is read again, by OCR of a crop of the new page at the same
place (scaled by the two pages' sizes), as exactly the same normalised value.

Only the crops are read, never the whole page: on a card, four crops cost a fraction of the
page's recognition. ``Rereading`` reads each crop of the new page once, however many candidates
ask for it (candidates of one template share their boxes).

The crop is the value's box widened by ``MARGIN_HEIGHTS`` of its height on every side, for a
re-scan that sits a little elsewhere or leans (2° moves a card's line by about 15 pixels); the
value is looked for among runs of consecutive words of each line read there, since the crop
also catches the label and parts of the lines above and below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from ocr.engine import OcrEngine
from ocr.fields.doctypes import ValueKind
from ocr.fields.extract import check_value
from ocr.words import PageText

CONFIRMING_KINDS = frozenset({ValueKind.CCCD, ValueKind.TAX_CODE, ValueKind.NAME, ValueKind.DATE})
"""Kinds of value that tell one person's or enterprise's paper from another's of one template.
An enterprise's foreign name is not among them: long and wrapped, it was re-read differently on
a re-scan of the same certificate (its enterprise code tells the enterprise anyway)."""

MARGIN_HEIGHTS = 1.5
"""How far around the value's box the crop reaches, in the box's heights."""

GRID = 16
"""Pixels crop edges are rounded outward to, so that the nearly equal boxes of one template's
candidates share one reading."""

Box = tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True)
class KnownValue:
    """A value a candidate's document read on the candidate page, and where."""

    kind: ValueKind
    value: str
    """Normalised, as the candidate's field holds it."""
    raw: str
    box: Box
    """In the candidate page's pixels."""


@dataclass
class Rereading:
    """OCR of crops of one page image, each crop read once."""

    image: Image.Image
    engine: OcrEngine
    dpi: int | None
    readings: dict[tuple[Box, int], PageText] = field(default_factory=dict)

    def agrees(self, known: KnownValue, source_size: tuple[int, int], rotation: int = 0) -> bool:
        """Whether this page reads ``known``'s value, exactly, where the candidate page (of
        ``source_size`` pixels, its content turned ``rotation`` degrees clockwise, as OCR
        found it) had it. The crop is turned upright before it is read."""
        crop = crop_around(scaled_box(known.box, source_size, self.image.size), self.image.size)
        if (crop, rotation) not in self.readings:
            left, top, width, height = crop
            region = self.image.crop((left, top, left + width, top + height))
            if rotation:
                region = region.rotate(rotation, expand=True)
            self.readings[crop, rotation] = self.engine.recognize(region, dpi=self.dpi)
        return reads_value(self.readings[crop, rotation], known)


def scaled_box(box: Box, source_size: tuple[int, int], page_size: tuple[int, int]) -> Box:
    """``box`` of a page of ``source_size`` pixels, at the same place on a page of
    ``page_size``."""
    x_scale, y_scale = page_size[0] / source_size[0], page_size[1] / source_size[1]
    left, top, width, height = box
    return (
        round(left * x_scale),
        round(top * y_scale),
        round(width * x_scale),
        round(height * y_scale),
    )


def crop_around(box: Box, page_size: tuple[int, int]) -> Box:
    """The crop read for a value in ``box``: widened by its margin, on the grid, on the page."""
    margin = MARGIN_HEIGHTS * max(box[3], 1)
    left = max(0, math.floor((box[0] - margin) / GRID) * GRID)
    top = max(0, math.floor((box[1] - margin) / GRID) * GRID)
    right = min(page_size[0], math.ceil((box[0] + box[2] + margin) / GRID) * GRID)
    bottom = min(page_size[1], math.ceil((box[1] + box[3] + margin) / GRID) * GRID)
    return left, top, right - left, bottom - top


def reads_value(text: PageText, known: KnownValue) -> bool:
    """Whether some run of consecutive words on one line of ``text`` normalises to exactly
    ``known``'s value."""
    return any(check_value(known.kind, run).value == known.value for run in _runs(text, known))


def _runs(text: PageText, known: KnownValue) -> Iterator[str]:
    """Runs of a line's words about as many as the value's (OCR may split or join one)."""
    size = len(known.raw.split())
    for line in text.lines():
        words = line.text.split()
        for length in range(max(1, size - 1), size + 2):
            for start in range(len(words) - length + 1):
                yield " ".join(words[start : start + length])
