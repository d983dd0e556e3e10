"""An enterprise's name in a foreign language, as the business registration certificate prints it.

The foreign name translates the Vietnamese one, legal form included (Decree 01/2021/ND-CP,
article 19 of the Law on Enterprises: "CÔNG TY TNHH" becomes "COMPANY LIMITED"). The Vietnamese
model reads English with slips its dictionary cannot vouch for (LIMITED read LIMTTED, marks put
on plain letters), so the closed vocabulary of legal forms is what can be checked and repaired:
a word one letter away from exactly one long legal-form word (7 letters or more, so that POINT
never becomes JOINT) is that word, and a name without a legal form has lost a line or a word.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from ocr.fields.checked import Checked, collapse_spaces, fold_diacritics

LEGAL_FORMS = (
    "COMPANY LIMITED",
    "LIMITED LIABILITY COMPANY",
    "JOINT STOCK COMPANY",
    "CORPORATION",
    "PARTNERSHIP",
    "PRIVATE ENTERPRISE",
    "CO., LTD",
    "JSC",
)
_LEGAL_WORDS = frozenset(
    word for form in LEGAL_FORMS for word in form.split() if len(word) >= 7 and word.isalpha()
)
_WORD = re.compile(r"[^\W\d_]{6,}")
_NUMBER = re.compile(r"\b\d{5,}\b")


def check_foreign_name(raw: str) -> Checked:
    """The foreign-language name in capitals, legal-form words repaired; reported when it has
    Vietnamese marks (a misread of plain letters) or no legal form."""
    text = collapse_spaces(raw).upper()
    if not text:
        return Checked(None, ("empty name",))
    value = _WORD.sub(lambda match: _legal_word(match.group(0)), text)
    problems: list[str] = []
    if fold_diacritics(value) != value:
        problems.append("Vietnamese marks in a foreign-language name")
    if _NUMBER.search(value):
        problems.append("a long number in a name: another field's value ran into it")
    padded = f" {value} "
    if not any(f" {form} " in padded for form in LEGAL_FORMS):
        problems.append(f"no legal form ({', '.join(LEGAL_FORMS[:3])}...): a line may be missing")
    return Checked(value, tuple(problems), value != text)


def _legal_word(word: str) -> str:
    """``word``, or the one legal-form word it is a single slip away from."""
    if word in _LEGAL_WORDS:
        return word
    near = [known for known in _LEGAL_WORDS if Levenshtein.distance(word, known) == 1]
    return near[0] if len(near) == 1 else word
