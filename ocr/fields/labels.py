"""Labels on a page's lines: which field's label starts a line, and where the label ends.

A label matches the start of a line without diacritics and fuzzily (OCR slips an accent now and
then), after an item number if any; the longer label wins a tie. Where one line holds two
fields, the part after the first value that starts with a label and its colon is a line of its
own. A label ends at its colon, which may come a few words after the spelling matched (a
misread English half, "Quốc tịch / Nationaiity:").
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from ocr.fields.classify import plain
from ocr.fields.doctypes import DocumentType, FieldSpec
from ocr.fields.lines import Line
from ocr.words import Word

Owner = tuple[FieldSpec, float, int]
"""The field whose label starts a line, the label's score (0..100) and the words it covers."""

MIN_LABEL_SCORE = 85.0
"""Label matches below this (0..100, on the line's start without diacritics) are not labels."""

SHORT_LABEL = 3
"""Labels of this many letters or fewer ("Số", "Bà", "Vợ") match only with their colon: without
their marks they are common words and surnames."""

LABEL_TAIL_WORDS = 3
"""A colon among this many words after a matched label ends the label, not the value."""

ENGLISH_TAIL_WORDS = 8
"""A label's English half after a slash may run to this many words before its colon."""

NUMBERING = re.compile(r"(?:\d{1,2}|[IVX]{1,4}|[a-zđ])?[.)]")
"""A section or item number before a label ("2. Địa chỉ trụ sở chính", "II.", "a)"), or the
bare dot OCR leaves of a number it lost ("." for "1.")."""


def with_mid_line_labels(lines: list[Line], document_type: DocumentType) -> list[Line]:
    """The lines, each followed by its parts that start with another label and its colon, as
    lines of their own: "Thửa đất số: 207; Tờ bản đồ số: 84" and "Giới tính / Sex: Nam
    Quốc tịch / Nationality: Việt Nam" hold two fields, and labels are looked for where lines
    start."""
    result: list[Line] = []
    for line in lines:
        result.append(line)
        for cut in range(1, len(line.words)):
            if _label_with_colon(line.words[cut:], document_type):
                result.append(replace(line.part(line.words[cut:]), mid_line=True))
    return result


def _label_with_colon(words: tuple[Word, ...], document_type: DocumentType) -> bool:
    """``words`` start with a field's label of two words or more, ended by a colon."""
    owner = label_owner(Line(0, words), document_type)
    if owner is None or owner[2] < 2:
        return False
    covered = min(owner[2], len(words))
    if words[covered - 1].text.endswith(":"):
        return True
    tail = list(words[covered:])
    return bool(tail) and after_colon(tail) is not tail


def label_owner(line: Line, document_type: DocumentType) -> Owner | None:
    """The field whose label starts ``line``, its score, and how many words the label covers."""
    best: Owner | None = None
    best_key = (0.0, 0)
    for spec in document_type.fields:
        score, covered, length = _label_at_start(spec, line)
        if score < MIN_LABEL_SCORE or _longer_label(line.words[covered:]):
            continue
        if (score, length) > best_key:
            best, best_key = (spec, score, covered), (score, length)
    return best


def _longer_label(tail: tuple[Word, ...]) -> bool:
    """Words and a colon after a matched label: the line's label is a longer one, "Địa chỉ
    thường trú:" where "Địa chỉ" was matched. Only lower-case words count: a value starts with
    a capital or a digit, and a label's English half with a slash ("Quốc tịch / Nationality:")."""
    for word in tail[:LABEL_TAIL_WORDS]:
        letters = word.text.removesuffix(":")
        if not (letters.isalpha() and letters[0].islower()):
            return False
        if word.text.endswith(":"):
            return True
    return False


def _label_at_start(spec: FieldSpec, line: Line) -> tuple[float, int, int]:
    """The best label's score at the start of ``line`` (after its numbering, if any), the words
    it covers with the numbering, and its length."""
    numbered = len(line.words) > 1 and NUMBERING.fullmatch(line.words[0].text) is not None
    best, covered, length = 0.0, 0, 0
    start = plain(" ".join(word.text for word in line.words[numbered:]))
    for label in spec.labels:
        wanted = plain(label)
        if start[len(wanted) : len(wanted) + 1].isalnum():
            continue  # the label's letters begin a longer word: "Bà" is not "Bản đồ"
        colon = wanted.endswith(":") or start[len(wanted) :].lstrip().startswith(":")
        if len(wanted.rstrip(":")) <= SHORT_LABEL and not colon:
            continue  # a short label stands with its colon: "Vợ:" is one, the name "Võ" is not
        score = float(fuzz.ratio(wanted, start[: len(wanted)]))
        if (score, len(wanted)) > (best, length):
            best, covered, length = score, numbered + len(label.split()), len(wanted)
    return best, covered, length


def before_next_label(
    words: list[Word], spec: FieldSpec, document_type: DocumentType
) -> list[Word]:
    """The words before another field's label on the same line: "Giới tính / Sex: Nam  Quốc
    tịch / Nationality: Việt Nam" holds two fields."""
    for cut in range(1, len(words)):
        if _label_with_colon(tuple(words[cut:]), document_type):
            return words[:cut]
    return words


def after_colon(words: list[Word]) -> list[Word]:
    """The words after the label's colon when the label matched short of it: "Quốc tịch /
    Nationaiity: Việt Nam" matches "Quốc tịch", and "Nationaiity:" is still the label. Words
    with digits or ending a clause are a value already: "211/2025; Quyển số: 05"."""
    english = bool(words) and words[0].text.startswith("/")  # "/ Surname, middle and given name:"
    for position, word in enumerate(words[: ENGLISH_TAIL_WORDS if english else LABEL_TAIL_WORDS]):
        if not english and (any(c.isdigit() for c in word.text) or word.text.endswith((";", ","))):
            return words
        if word.text.endswith(":") and position + 1 < len(words):
            return words[position + 1 :]
    return words


def labelled(line: Line) -> bool:
    """A line that starts with a short label and a colon ("Điện thoại: 0862...")."""
    head = line.text.split(":", 1)
    return len(head) == 2 and 0 < len(head[0].split()) <= 6
