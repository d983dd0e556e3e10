"""What OCR found on one page: words with their boxes and confidences.

These are the values stored as ``documents/<id>/ocr/<n>.json`` and read back by field extraction
and the review page, so the JSON form is part of the contract: keys are stable and ``from_json``
reads exactly what ``to_json`` wrote. Coordinates are pixels of the page image that was
recognised (origin top left), so a box can be cropped from the stored page image as is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Word:
    """One recognised word.

    ``confidence`` is on tesseract's 0..100 scale; ``block``, ``paragraph`` and ``line`` are
    tesseract's layout numbers, which let the text be put back together line by line.
    """

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    block: int
    paragraph: int
    line: int

    @classmethod
    def from_edges(
        cls,
        text: str,
        confidence: float,
        edges: tuple[int, int, int, int],
        layout: tuple[int, int, int],
    ) -> Word:
        """A word from its box as (left, top, right, bottom), the way tesseract and poppler
        give it, and its (block, paragraph, line) numbers."""
        left, top, right, bottom = edges
        block, paragraph, line = layout
        return cls(text, confidence, left, top, right - left, bottom - top, block, paragraph, line)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": self.confidence,
            "left": self.left,
            "top": self.top,
            "width": self.width,
            "height": self.height,
            "block": self.block,
            "paragraph": self.paragraph,
            "line": self.line,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Word:
        return cls(
            text=str(data["text"]),
            confidence=float(data["confidence"]),
            left=int(data["left"]),
            top=int(data["top"]),
            width=int(data["width"]),
            height=int(data["height"]),
            block=int(data["block"]),
            paragraph=int(data["paragraph"]),
            line=int(data["line"]),
        )


@dataclass(frozen=True)
class Line:
    """One line's text (NFC) and its box: left, top, width, height."""

    text: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class PageText:
    """The words of one page image of ``width`` x ``height`` pixels, in reading order."""

    width: int
    height: int
    words: list[Word]

    @property
    def text(self) -> str:
        """The page as plain text, for full-text search and for pattern-based extraction.

        Words of a line are joined by spaces, lines by a newline, and paragraphs (and blocks) by
        a blank line, so that a regular expression anchored on a label does not run across
        unrelated parts of the page. NFC-normalised, because Vietnamese diacritics can arrive
        precomposed or as combining marks and comparisons must not depend on which.
        """
        paragraphs: list[list[list[str]]] = []
        last_paragraph: tuple[int, int] | None = None
        last_line: tuple[int, int, int] | None = None
        for word in self.words:
            paragraph_key = (word.block, word.paragraph)
            line_key = (word.block, word.paragraph, word.line)
            if paragraph_key != last_paragraph:
                paragraphs.append([])
            if line_key != last_line:
                paragraphs[-1].append([])
            paragraphs[-1][-1].append(word.text)
            last_paragraph, last_line = paragraph_key, line_key
        text = "\n\n".join(
            "\n".join(" ".join(line) for line in paragraph) for paragraph in paragraphs
        )
        return unicodedata.normalize("NFC", text)

    def lines(self) -> list[Line]:
        """The page's lines in reading order, each with the box around its words."""
        grouped: dict[tuple[int, int, int], list[Word]] = {}
        for word in self.words:
            grouped.setdefault((word.block, word.paragraph, word.line), []).append(word)
        lines = []
        for words in grouped.values():
            left, top = min(w.left for w in words), min(w.top for w in words)
            right = max(w.left + w.width for w in words)
            bottom = max(w.top + w.height for w in words)
            text = unicodedata.normalize("NFC", " ".join(w.text for w in words))
            lines.append(Line(text, (left, top, right - left, bottom - top)))
        return lines

    @property
    def mean_confidence(self) -> float | None:
        """Mean word confidence (0..100); None for a page without words, which is not 0."""
        if not self.words:
            return None
        return sum(word.confidence for word in self.words) / len(self.words)

    def scaled_to(self, width: int, height: int) -> PageText:
        """The same words on a page image of ``width`` x ``height`` pixels, their boxes scaled
        to it (the same page drawn or scanned at another size)."""
        if (width, height) == (self.width, self.height):
            return self
        x, y = width / self.width, height / self.height
        words = [
            replace(
                word,
                left=round(word.left * x),
                top=round(word.top * y),
                width=round(word.width * x),
                height=round(word.height * y),
            )
            for word in self.words
        ]
        return PageText(width=width, height=height, words=words)

    def to_json(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "words": [word.to_json() for word in self.words],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageText:
        """Read what ``to_json`` wrote; a missing key raises ``KeyError``."""
        return cls(
            width=int(data["width"]),
            height=int(data["height"]),
            words=[Word.from_json(word) for word in data["words"]],
        )
