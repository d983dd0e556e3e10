"""An operator's corrections laid into a page's words, for the text layer of a signed copy.

A corrected field has a box on its page (the words it was read from) and the value an operator
keyed. The words whose centres lie in that box give way to the keyed value's words, spread over
the box in proportion to their length, on the line of the first word they replace; so a reader
who selects the field on the signed copy gets the corrected value, where the image shows it.
The keyed value is the one the API serves (normalised: a date in ISO form).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr.words import PageText, Word

OPERATOR_CONFIDENCE = 100.0
"""An operator's value is the page's text as a person read it."""


@dataclass(frozen=True)
class Correction:
    """A keyed ``value`` for the words inside ``box`` (left, top, width, height; pixels)."""

    box: tuple[int, int, int, int]
    value: str


def with_corrections(text: PageText, corrections: Sequence[Correction]) -> PageText:
    """``text`` with each correction's box holding the corrected words instead of those read."""
    words = list(text.words)
    for correction in corrections:
        words = _corrected(words, correction)
    return PageText(width=text.width, height=text.height, words=words)


def _corrected(words: list[Word], correction: Correction) -> list[Word]:
    inside = [n for n, word in enumerate(words) if _centre_in(word, correction.box)]
    if inside:
        first = words[inside[0]]
        layout = (first.block, first.paragraph, first.line)
        at = inside[0]
    else:  # nothing read there: a line of its own, after the page's others
        layout = (max((word.block for word in words), default=0) + 1, 1, 1)
        at = len(words)
    replaced = set(inside)
    kept = [word for n, word in enumerate(words) if n not in replaced]
    at -= sum(1 for n in inside if n < at)
    return kept[:at] + _spread(correction, layout) + kept[at:]


def _spread(correction: Correction, layout: tuple[int, int, int]) -> list[Word]:
    """The value's words across the box, each as wide as its share of the characters."""
    parts = correction.value.split()
    if not parts:
        return []
    left, top, width, height = correction.box
    total = sum(len(part) for part in parts) + len(parts) - 1  # a space between words
    words, offset = [], 0
    for part in parts:
        start = left + width * offset // total
        end = left + width * (offset + len(part)) // total
        edges = (start, top, max(end, start + 1), top + height)
        words.append(Word.from_edges(part, OPERATOR_CONFIDENCE, edges, layout))
        offset += len(part) + 1
    return words


def _centre_in(word: Word, box: tuple[int, int, int, int]) -> bool:
    left, top, width, height = box
    x, y = word.left + word.width / 2, word.top + word.height / 2
    return left <= x <= left + width and top <= y <= top + height
