"""Which document type a page's text is, from the phrases each type declares.

Titles are printed large and read well, but OCR still drops an accent or a letter now and then
(NGUYỄN→NGUYÊN), so phrases are matched without diacritics and with a fuzzy score (rapidfuzz's
ratio, 0..100) against the start of each line of the document's first page. Only the start: a
title begins its line, while the same words inside a line are a mention ("Loại giấy tờ: Căn
cước công dân" on a business registration is not a CCCD); a line and the next together count
as a line start too, for titles split in two. The best type wins if
its best phrase scores at least ``MIN_SCORE``; otherwise the document is ``unknown``: its text
is still stored and searchable, it just has no fields.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from ocr.fields.doctypes import DocumentType

UNKNOWN = "unknown"

MIN_SCORE = 90.0
"""A phrase of 20 letters matches at 90 with two letters wrong; unrelated titles score 50-70."""


@dataclass(frozen=True)
class Classification:
    """``name`` is a document type's name or ``UNKNOWN``; ``score`` is the best phrase's 0..100."""

    name: str
    score: float
    phrase: str | None


def classify(text: str, types: Mapping[str, DocumentType]) -> Classification:
    """The type whose phrase best matches a line of ``text`` (the first page is enough)."""
    lines = [plain(line) for line in text.splitlines() if line.strip()]
    # A title may come as two lines: a large one wraps, and a leaning scan can split one.
    lines += [f"{first} {second}" for first, second in itertools.pairwise(lines)]
    best = Classification(UNKNOWN, 0.0, None)
    for document_type in types.values():
        for phrase in document_type.phrases:
            wanted = plain(phrase)
            score = max((_score(wanted, line) for line in lines), default=0.0)
            if score > best.score:
                best = Classification(document_type.name, score, phrase)
    return best if best.score >= MIN_SCORE else Classification(UNKNOWN, best.score, None)


def plain(text: str) -> str:
    """Upper case without diacritics (Đ becomes D), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.upper().split())


def _score(phrase: str, line: str) -> float:
    return float(fuzz.ratio(phrase, line[: len(phrase)]))
