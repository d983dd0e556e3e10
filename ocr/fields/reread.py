"""Whether a page is the paper read before: its identifiers re-read by OCR where they were.

A perceptual hash (``ocr.fingerprint``) cannot tell a re-scan of one card from the same card
template filled in for somebody else: a few different words barely move a page's low
frequencies. What differs is what the fields say. So a page is taken for its candidate only
when every identifying value the candidate's document read on that page (CCCD number,
enterprise code, names, dates) is read again, by OCR of a crop of the new page at the same
place (scaled by the two pages' sizes, turned upright as the candidate was), as exactly the
same normalised value.

Only crops are read, never the whole page, and each field's crop once for all the candidates:
it spans the candidates' boxes of that field (one template's candidates have them at nearly
the same place), so a form similar to eight others filled in for other people costs one crop
per field, and usually one in all, since a candidate is dropped at its first value read
otherwise.

The crop is widened by ``MARGIN_HEIGHTS`` of the value's height on every side, for a re-scan
that sits a little elsewhere or leans (2° moves a card's line by about 15 pixels); the value is
looked for among runs of consecutive words of each line read there, since the crop also
catches the label and parts of the lines above and below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

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
"""How far around the values' boxes a crop reaches, in the boxes' heights."""

Box = tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True)
class KnownValue:
    """A value a candidate's document read on the candidate page, and where."""

    name: str
    """The field's name: the values of one field share a crop."""
    kind: ValueKind
    value: str
    """Normalised, as the candidate's field holds it."""
    raw: str
    box: Box
    """In the candidate page's pixels."""


@dataclass(frozen=True)
class Candidate:
    """A page read before, as the confirmation weighs it."""

    size: tuple[int, int]
    rotation: int
    """The clockwise turn OCR found its content in (0, 90, 180, 270)."""
    values: tuple[KnownValue, ...]


def first_confirmed(
    image: Image.Image, engine: OcrEngine, dpi: int | None, candidates: Sequence[Candidate]
) -> int | None:
    """The index of the first of ``candidates`` whose every value ``image`` reads again where
    it was; None when there is none. A candidate without values is never confirmed: nothing
    would tell it from the same form filled in for somebody else."""
    crops = _crops(candidates, image.size)
    readings: dict[tuple[str, int], PageText] = {}

    def reads(value: KnownValue, rotation: int) -> bool:
        key = (value.name, rotation)
        if key not in readings:
            left, top, width, height = crops[key]
            region = image.crop((left, top, left + width, top + height))
            if rotation:
                region = region.rotate(rotation, expand=True)
            readings[key] = engine.recognize(region, dpi=dpi)
        return reads_value(readings[key], value)

    for index, candidate in enumerate(candidates):
        if candidate.values and all(reads(v, candidate.rotation) for v in candidate.values):
            return index
    return None


def _crops(
    candidates: Sequence[Candidate], page_size: tuple[int, int]
) -> dict[tuple[str, int], Box]:
    """Per field and turn, the crop spanning every candidate's box of it on this page."""
    boxes: dict[tuple[str, int], list[Box]] = {}
    for candidate in candidates:
        for value in candidate.values:
            box = scaled_box(value.box, candidate.size, page_size)
            boxes.setdefault((value.name, candidate.rotation), []).append(box)
    return {key: crop_around(found, page_size) for key, found in boxes.items()}


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


def crop_around(boxes: Sequence[Box], page_size: tuple[int, int]) -> Box:
    """The crop read for values in ``boxes``: their span, widened by the margin, on the page."""
    margin = MARGIN_HEIGHTS * max(max(box[3] for box in boxes), 1)
    left = max(0, math.floor(min(box[0] for box in boxes) - margin))
    top = max(0, math.floor(min(box[1] for box in boxes) - margin))
    right = min(page_size[0], math.ceil(max(box[0] + box[2] for box in boxes) + margin))
    bottom = min(page_size[1], math.ceil(max(box[1] + box[3] for box in boxes) + margin))
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
