"""Values taken from a scan's text layer, checked against OCR of the scanned image.

A text layer over a scan (``ocr.scan_layer``) reads with confidence 100, and nothing ties it to
the pixels a person sees: a forged layer over a real card scan once made another name and
address a citizen's accepted values. So each value whose words came from such a layer is
compared with what OCR of the page image reads in the value's box, and accepted only if the two
agree. Disagreement, or no OCR words at all in the box, sends the value to review with a reason
quoting both readings; agreement keeps the layer's exact letters and confidence.

Agreement means: for kinds that are numbers (identifiers, dates, amounts), the same digits in
the same order, after OCR's look-alike letters are repaired (a digit changed is another
person); for the others, the same normalised value, or texts (NFC, case and spaces folded) at
least ``MIN_SIMILARITY`` alike by ``rapidfuzz.fuzz.ratio``, which leaves room for OCR's slips
on diacritics and punctuation and none for another name.
"""

from __future__ import annotations

import re
import statistics
import string
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from ocr.fields.checked import collapse_spaces, repair_digits
from ocr.fields.doctypes import ValueKind
from ocr.fields.evidence import against, supporting
from ocr.fields.extract import DOUBTFUL, Extraction, FieldReading, check_value
from ocr.words import PageText

MIN_SIMILARITY = 85.0
"""``fuzz.ratio`` (0..100) from which a text value and OCR's reading of its place agree.

Measured on 45 scanned sample pages (15 layout families, 3 cases each), the true values placed
where OCR found them: every text value scored 93-100 against OCR of its box, while the values
of another case of the same family scored at most 79 (short names, addresses in the same
province); no number of another case agreed. A forger who changes one or two letters of a long
value stays above it: that is the price of reading through OCR's slips."""

BOX_MARGIN = 0.3
"""How far, in OCR word heights, an OCR word's centre may lie outside the value's box and still
be read as part of it: the layer's boxes run from ascent to descent, OCR's hug the ink."""

NUMBER_KINDS = frozenset(
    {
        ValueKind.CCCD,
        ValueKind.TAX_CODE,
        ValueKind.DATE,
        ValueKind.CARD_EXPIRY,
        ValueKind.PHONE,
        ValueKind.AMOUNT,
        ValueKind.AREA,
    }
)
"""Kinds whose digits are the value: they must match OCR's digit for digit."""

NO_OCR_TEXT = "OCR of the page image finds no text where the text layer puts this value"
AGREES = "OCR of the page image reads the same as the text layer"

_NUMBER_SEPARATORS = "/.-,: "
_SQUARE_METRE = re.compile(r"(?<=m)2$")


def check_against_image(
    extraction: Extraction,
    kinds: Mapping[str, ValueKind],
    pages: Sequence[PageText],
    readings: Sequence[PageText | None],
) -> Extraction:
    """``extraction`` (read from ``pages``) with each value from a scan's layer checked by OCR.

    ``readings`` holds, per page, OCR of the page image where the page's words came from a
    scan's text layer, and None where they need no check (OCR already, or a born-digital
    layer); ``kinds`` gives each field's kind (text when not given).
    """
    fields = tuple(
        _checked(field, kinds.get(field.name, ValueKind.TEXT), pages, readings)
        for field in extraction.fields
    )
    return replace(extraction, fields=fields)


def _checked(
    field: FieldReading,
    kind: ValueKind,
    pages: Sequence[PageText],
    readings: Sequence[PageText | None],
) -> FieldReading:
    located = field.located
    if located is None or not 0 < located.page <= min(len(readings), len(pages)):
        return field
    reading = readings[located.page - 1]
    if reading is None:
        return field
    value = collapse_spaces(located.raw)
    around = words_in_box(pages[located.page - 1], located.box)
    seen = value_seen(around, value, words_in_box(reading, located.box))
    if not seen:
        return _disagreed(field, NO_OCR_TEXT)
    if agree(kind, value, field.checked.value, seen):
        return replace(field, reasons=(*field.reasons, supporting(AGREES)))
    return _disagreed(
        field, f"the PDF's text layer says '{value}'; OCR of the page image reads '{seen}'"
    )


def _disagreed(field: FieldReading, reason: str) -> FieldReading:
    """The field sent to review: never accepted, its confidence no better than doubtful."""
    return replace(
        field,
        accepted=False,
        confidence=min(field.confidence, DOUBTFUL),
        reasons=(*field.reasons, against(reason)),
    )


def words_in_box(text: PageText, box: tuple[int, int, int, int]) -> str:
    """The words whose centres lie in ``box`` (left, top, width, height), in reading order."""
    heights = [word.height for word in text.words]
    margin = BOX_MARGIN * (statistics.median(heights) if heights else box[3])
    left, top = box[0] - margin, box[1] - margin
    right, bottom = box[0] + box[2] + margin, box[1] + box[3] + margin
    inside = [
        word.text
        for word in text.words
        if left <= word.left + word.width / 2 <= right
        and top <= word.top + word.height / 2 <= bottom
    ]
    return collapse_spaces(" ".join(inside))


def value_seen(around: str, value: str, seen: str) -> str:
    """What OCR reads in the value's box, without the words the layer has there besides the
    value: the box of a value that wraps under its label's end also holds part of the label,
    and counting those shared words as agreement would hide a changed value."""
    context = Counter(_word_key(word) for word in around.split())
    context.subtract(_word_key(word) for word in value.split())
    kept = []
    for word in seen.split():
        if context[_word_key(word)] > 0:
            context[_word_key(word)] -= 1
        else:
            kept.append(word)
    return " ".join(kept)


def _word_key(word: str) -> str:
    """A word as compared: a value's raw text may have lost the punctuation its word had."""
    return word.strip(string.punctuation).casefold()


def agree(kind: ValueKind, value_raw: str, value: str | None, seen: str) -> bool:
    """Whether the text layer's value (as printed, and normalised) and OCR's reading of the
    same place say the same."""
    if value is not None and check_value(kind, seen).value == value:
        return True
    digits = _digits(value_raw)
    if kind in NUMBER_KINDS and digits:
        return digits == _digits(seen, repair=True)
    return fuzz.ratio(_folded(value_raw), _folded(seen)) >= MIN_SIMILARITY


def _digits(text: str, *, repair: bool = False) -> str:
    """The digits of ``text`` in order; with ``repair``, OCR's look-alike letters first become
    the digits they stand for, inside runs that are otherwise a number, and a square metre read
    as "m2" loses its 2."""
    tokens = text.split()
    if repair:
        tokens = [_SQUARE_METRE.sub("m", token) for token in tokens]
        tokens = [repair_digits(token, keep=_NUMBER_SEPARATORS)[0] for token in tokens]
    return "".join(char for token in tokens for char in token if "0" <= char <= "9")


def _folded(text: str) -> str:
    return collapse_spaces(text).strip(string.punctuation + " ").casefold()
