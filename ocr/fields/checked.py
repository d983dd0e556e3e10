"""The result every normaliser returns, and the text helpers they share.

A checked value carries what a reviewing operator needs to judge it: the normalised value (None
when nothing usable could be read), the problems found, and whether characters were repaired.
A repair is never silent because the confidence of a repaired value must be lowered even when
every check passes: the repair rules are certain about the shape, not about the ink.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Letters OCR reads in place of digits. Only applied inside a run that must be digits.
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8"}
)
_DIGITS_OR_LOOKALIKES = re.compile(r"[0-9OoIl|SB]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Checked:
    """A field value after normalisation and validation."""

    value: str | None  # normalised; None when it cannot be read at all
    problems: tuple[str, ...] = ()  # short English messages for the reviewing operator
    repaired: bool = False  # OCR look-alike characters were replaced by digits
    unit: str | None = None  # "VND" for amounts, "m²" for areas, when the text gave one
    details: dict[str, str] = field(default_factory=dict)
    """What the value was resolved to beyond its text: an address's administrative units
    (province, ward, the old district where given), a procedure's catalogue code and name."""

    @property
    def ok(self) -> bool:
        """True when the value was read and no check failed: the only kind to accept unseen."""
        return self.value is not None and not self.problems


def repair_digits(run: str, *, keep: str = "") -> tuple[str, bool]:
    """Replace look-alike letters by digits in ``run``, a text whose every character must be a
    digit or one of ``keep`` (separators such as "/" in a date); returns the text and whether it
    changed.

    Only when the run holds at least one real digit and nothing but digits, look-alikes and
    ``keep``: a word such as "BOSS" is a word, not a misread number.
    """
    allowed = f"[0-9OoIl|SB{re.escape(keep)}]+" if keep else _DIGITS_OR_LOOKALIKES.pattern
    if not re.fullmatch(allowed, run) or not any(c.isdigit() for c in run):
        return run, False
    repaired = run.translate(_DIGIT_LOOKALIKES)
    return repaired, repaired != run


def collapse_spaces(text: str) -> str:
    """NFC with runs of whitespace made one space: OCR output comes both composed and decomposed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold_diacritics(text: str) -> str:
    """The text without tone or vowel marks ("Tháng" → "Thang"), to match keywords that OCR may
    read with, without or with wrong diacritics. Case is kept: callers that compare lower it, and
    look-alike repair needs to tell "I" from "i"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return collapse_spaces(bare)


_STRAY = re.compile(r"[\"'`‘’“”]|(?<=[a-zà-ỹđ])\.(?=[a-zà-ỹđ])")


def stray_marks(text: str) -> str | None:
    """What a speck read as punctuation left in a value that has none of its own: a quote, or a
    dot inside a word ("Thành.phố"); None when there is nothing of the kind."""
    found = sorted(set(_STRAY.findall(text)))
    return f"stray marks in the value: {' '.join(found)} (a speck?)" if found else None


def check_text(raw: str) -> Checked:
    """A value of free text, spaces collapsed; stray marks are reported."""
    value = collapse_spaces(raw) or None
    problem = stray_marks(value) if value else None
    return Checked(value, (problem,) if problem else ())
