"""Whether a located value's start and end were found right: evidence OCR confidence cannot see.

OCR can be sure of every letter of a value that is the wrong words: a request that ran on into
the next paragraph of the form, an address cut to the second line of its wrap, a date taken from
a decree the form cites. These rules look at where a value starts and stops on the page and say
what speaks for or against its extent; each doubt lowers the value's confidence by
``EXTENT_DOUBT`` so that it goes to review, however clear its letters.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.fields.doctypes import ValueKind
from ocr.fields.evidence import Reason, against, supporting
from ocr.words import Word

EXTENT_DOUBT = 0.8
"""Confidence kept for each doubt about a value's extent: 0.95 becomes 0.76, under every
threshold, so a value whose start or end is in doubt is always seen by an operator."""

FULL_LINE_WORDS = 4.5
"""A line that ends within this many of its word heights of the page's right edge is full: it
may have wrapped. One that stops shorter ended where its writer ended it."""

USUAL_WORDS: dict[ValueKind, int] = {
    ValueKind.NAME: 7,
    ValueKind.FOREIGN_NAME: 14,
    ValueKind.DATE: 8,
    ValueKind.SEX: 2,
    ValueKind.CCCD: 3,
    ValueKind.TAX_CODE: 3,
    ValueKind.PHONE: 4,
    ValueKind.AMOUNT: 6,
    ValueKind.AREA: 4,
    ValueKind.CARD_EXPIRY: 4,
}
"""Words a value of a kind runs to at most when read right; ``LONGEST_TEXT`` for the others (an
address, a procedure's name, an office). Far past it, the value has run into other text."""

LONGEST_TEXT = 32

_UNITS = frozenset(
    ("xã", "phường", "thị", "thôn", "ấp", "tổ", "khu", "khối", "xóm", "bản", "số", "đường", "ngõ")
)  # fmt: skip
"""The words an address may start with in lower case ("xã Nam Giang, huyện ..."): no tail. An
address goes from the smallest unit up, so one starting "tỉnh ..." or "huyện ..." is one."""

_SENTENCE_END = re.compile(r"[.;!?]$")
_OPENS_SENTENCE = re.compile(r"^[A-ZĐÀ-Ỹ]")
_CITATION = re.compile(
    r"\b(?:Căn cứ|Luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Pháp lệnh)\b"
    r"|\d+/\d{4}/[A-ZĐ]{2,}",
    re.IGNORECASE,
)
"""What a legal basis looks like: an instrument's name or number ("45/2020/NĐ-CP")."""
_OPENER = re.compile(
    r"^(?:Căn cứ|Kính (?:gửi|đề nghị)|Xét đề nghị|Ghi chú|Lưu ý|Tôi xin|Tôi cam đoan)\b"
)
"""How the paragraphs of a form's prose open: a line that opens one continues no value."""
_SIGNING_PLACE = re.compile(r"^\s*[A-ZĐÀ-Ỹ][\wÀ-ỹ.\s-]{1,40},\s*$")
"""What stands before the date in a signing block: a place name and a comma ("Hà Nội, ")."""


@dataclass(frozen=True)
class Span:
    """The lines a value was taken from, as the locator found them.

    ``lines`` are the words of each line that belong to the value, first line first; ``starts``
    the x where each began and ``ends`` where each ended; ``right_edge`` the page's text edge;
    ``label_x`` where the label starts; ``stopped_at_label`` whether what follows the value
    ended it (another label, a numbered item, a heading, a table's next row, a line after one
    that stopped short) rather than a blank or the page's end.
    """

    lines: tuple[tuple[Word, ...], ...]
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    heights: tuple[float, ...]
    right_edge: float
    label_x: float
    stopped_at_label: bool
    beside_label: bool = False  # the value sits in a table cell right of its label


def judge_extent(span: Span, kind: ValueKind, raw: str) -> list[Reason]:
    """The evidence for and against the value's extent."""
    reasons: list[Reason] = []
    if span.beside_label:
        reasons.append(supporting("in the table cell beside its label"))
    words = raw.split()
    if _runs_past_sentence_end(words):
        reasons.append(against("ran past a sentence end"))
    usual = USUAL_WORDS.get(kind, LONGEST_TEXT)
    if len(words) > usual:
        reasons.append(against(f"{len(words)} words, far past the usual {usual} of its kind"))
    opening = words[0].lower().strip(",.") if words else ""
    if words and kind not in USUAL_WORDS and words[0][:1].islower() and opening not in _UNITS:
        reasons.append(against("starts in mid-sentence: only the tail of a wrapped line"))
    last_full = is_full(span.ends[-1], span.heights[-1], span.right_edge)
    if (last_full or raw.rstrip().endswith(",")) and not span.stopped_at_label:
        if kind not in USUAL_WORDS:
            reasons.append(against("stopped at a blank after a line that was still running"))
    elif span.stopped_at_label:
        reasons.append(supporting("ended where the next item starts"))
    return reasons


def continuation_style(span: Span, value_x: float) -> list[str]:
    """How each continuation line of the span starts: under the value or at the label."""
    styles = []
    for start, height in zip(span.starts[1:], span.heights[1:], strict=True):
        if abs(start - span.label_x) <= 0.8 * height:  # a hanging indent is 1.5 type sizes
            styles.append("margin")
        elif abs(start - value_x) <= 1.5 * height:
            styles.append("value")
        else:
            styles.append("indented")
    return styles


def is_full(end: float, height: float, right_edge: float) -> bool:
    """A line that reaches the page's text edge, so that its text may go on below."""
    return end >= right_edge - FULL_LINE_WORDS * height


def _runs_past_sentence_end(words: Sequence[str]) -> bool:
    """A word ending a sentence with more after it that opens one: "... doanh. Căn cứ ..."."""
    for word, following in itertools.pairwise(words):
        letters = word.rstrip(".;!?")
        ends = _SENTENCE_END.search(word) is not None
        short_capital = letters[:1].isupper() and len(letters) <= 3  # "TP.", "Q.", "Tp."
        abbreviation = word.endswith(".") and (short_capital or letters.isupper())
        if ends and not abbreviation and (word.endswith(";") or _OPENS_SENTENCE.match(following)):
            return True
    return False


def in_citation(line_text: str, start: int) -> bool:
    """The text before ``start`` on its line cites a law or decree: the date is the decree's."""
    return _CITATION.search(line_text[:start]) is not None


def in_signing_block(line_text: str, start: int) -> bool:
    """The date stands after a place and a comma at the start of its line, as signatures have it
    ("Hà Nội, ngày 05 tháng 3 năm 2021")."""
    return _SIGNING_PLACE.match(line_text[:start]) is not None


def opens_paragraph(line_text: str) -> bool:
    """``line_text`` opens a paragraph of the form's own prose: a legal basis, a request, a
    note, the applicant's commitment."""
    return _OPENER.match(line_text) is not None
