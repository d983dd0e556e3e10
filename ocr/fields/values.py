"""Dates, names, amounts and areas as Vietnamese papers print them, normalised for storage.

Vietnamese notation differs from the English one that libraries assume: day before month, "."
between thousands and "," before decimals, dates also written out ("ngày 05 tháng 3 năm 2021").
Each function reads one value the extractor found and returns a ``Checked``; nothing is guessed:
a value that could be read two ways is reported, not resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ocr.fields.checked import Checked, collapse_spaces, fold_diacritics, repair_digits

# Years outside this range are misreads on the papers this service receives.
PLAUSIBLE_YEARS = range(1900, 2100)

_NUMERIC_DATE = re.compile(r"(\d{1,2}) ?([/.\-]) ?(\d{1,2}) ?\2 ?(\d{4})")
_WRITTEN_DATE = re.compile(r"\bngay ?(\d{1,2}) ?thang ?(\d{1,2}) ?nam ?(\d{4})\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?P<whole>\d{1,3}(?:(?P<sep>[. ])\d{3})(?:(?P=sep)\d{3})*|\d+)(?:,(?P<fraction>\d+))?"
    r"(?: ?(?P<unit>[^\W\d_][^(]*?))? ?(?:\(.*\))?"
)
_AMOUNT_UNITS = {"dong", "d", "vnd", "vn dong"}
_AREA_UNITS = {"m²", "m2", "m^2", "met vuong"}
_NAME_MARKS = re.compile(r"[^\w\s'\-]|_")


def _repair_tokens(text: str, keep: str) -> tuple[str, bool]:
    """Look-alike repair in each space-separated token of ``text`` (see ``repair_digits``)."""
    tokens = [repair_digits(token, keep=keep) for token in text.split(" ")]
    return " ".join(token for token, _ in tokens), any(changed for _, changed in tokens)


def check_date(
    raw: str, *, not_before: dt.date | None = None, not_after: dt.date | None = None
) -> Checked:
    """A date as ISO ``yyyy-mm-dd`` from "05/03/2021", "5-3-2021", "05.03.2021" or the written
    "ngày 05 tháng 3 năm 2021" (any case, with or without diacritics, after a place name).

    The bounds make the plausibility checks the document implies: ``not_after=today`` for a date
    of birth, ``not_before=issued_on`` for an expiry.
    """
    text, repaired = _repair_tokens(collapse_spaces(raw), keep="/.-")
    match = _NUMERIC_DATE.fullmatch(text)
    if match is not None:
        day, month, year = match.group(1), match.group(3), match.group(4)
    else:
        match = _WRITTEN_DATE.search(fold_diacritics(text))
        if match is None:
            return Checked(None, (f"not a date: {collapse_spaces(raw)!r}",), repaired)
        day, month, year = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return Checked(None, (f"no such day: {day}/{month}/{year}",), repaired)
    problems: list[str] = []
    if date.year not in PLAUSIBLE_YEARS:
        problems.append(f"implausible year {date.year}")
    if not_before is not None and date < not_before:
        problems.append(f"{date:%d/%m/%Y} is before {not_before:%d/%m/%Y}")
    if not_after is not None and date > not_after:
        problems.append(f"{date:%d/%m/%Y} is after {not_after:%d/%m/%Y}")
    return Checked(date.isoformat(), tuple(problems), repaired)


SURNAMES = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Lâm",
        "Mai",
        "Trương",
        "Cao",
        "Lương",
        "Hà",
        "Tạ",
        "Tô",
        "Trịnh",
        "Đoàn",
        "Vương",
        "Châu",
        "Quách",
        "Lưu",
        "Kiều",
        "Thái",
        "Từ",
        "La",
        "Mạc",
        "Triệu",
        "Phùng",
        "Hứa",
        "Tăng",
        "Khổng",
        "Chu",
        "Lại",
        "Tôn",
        "Thân",
        "Giang",
        "Âu",
        "Đàm",
        "Nông",
        "Lò",
        "Hầu",
        "Doãn",
        "Ông",
        "Khúc",
        "Diệp",
        "Tống",
        "Bạch",
        "Kim",
        "Quan",
        "Tiêu",
        "Nghiêm",
        "Lục",
        "Vi",
        "Lã",
        "Ninh",
        "Cù",
        "Lạc",
        "Văn",
    ]
)
"""Common Vietnamese surnames. OCR drops or swaps the marks of capitals (NGUYỄN read NGUYÊN,
LÊ read LẼ, TRẦN read TRẤN) with high confidence: a first word spelt like exactly one of them
except for its marks is that surname, repaired; when the letters fit several (DOAN: Đoàn or
Doãn), the name goes to review."""

MIDDLE_NAMES = frozenset(
    ("Thị", "Đức", "Hữu", "Minh", "Quang", "Thành", "Công", "Thanh", "Ngọc", "Thu", "Xuân",
     "Phương", "Hoài", "Bảo", "Anh", "Tuấn", "Mạnh", "Duy", "Thế", "Trọng", "Thúy", "Diệu")
)  # fmt: skip
"""Words that open the middle of a Vietnamese name and are no common surname: a name that starts
with one has lost its surname."""

_SURNAMES_BY_LETTERS: dict[str, set[str]] = {}
for _surname in SURNAMES:
    _SURNAMES_BY_LETTERS.setdefault(fold_diacritics(_surname).upper(), set()).add(_surname)


def check_person_name(raw: str) -> Checked:
    """``check_name``, and the surname against the known surnames: a name of one word, or one
    that starts with a middle name, has lost a word (the surname cut off at a line's start); a
    surname's marks are checked against their spelling. Other unknown surnames are kept: many
    ethnic minorities' are none of the common ones ("Ka Sô Liễu")."""
    checked = check_name(raw)
    if checked.value is None:
        return checked
    first, *rest = checked.value.split(" ")
    if not rest:
        return Checked(checked.value, (*checked.problems, "one word: the surname or the given "
                       "name is missing"), checked.repaired, checked.unit)  # fmt: skip
    known = _SURNAMES_BY_LETTERS.get(fold_diacritics(first).upper(), set())
    if not known and first in MIDDLE_NAMES:
        problem = f"starts with the middle name {first!r}: the surname is missing"
        return Checked(checked.value, (*checked.problems, problem), checked.repaired, checked.unit)
    if not known or first in known:
        return checked
    if len(known) == 1:
        value = " ".join((*known, *rest))
        return Checked(value, checked.problems, repaired=True, unit=checked.unit)
    problem = (
        f"surname {first!r} is spelt like no Vietnamese surname ({' or '.join(sorted(known))}?)"
    )
    return Checked(checked.value, (*checked.problems, problem), checked.repaired, checked.unit)


def check_name(raw: str) -> Checked:
    """A person's or place's name with each word capitalised ("NGUYỄN VĂN AN" → "Nguyễn Văn An").

    Cards print names in capitals and forms in mixed case; one spelling lets them be compared.
    Digits in a name are reported, never turned into letters: "0" may be "O" or "Ơ" or "Ô".
    """
    text = collapse_spaces(raw)
    if not text:
        return Checked(None, ("empty name",))
    value = " ".join(word.capitalize() for word in text.split(" "))
    problems: list[str] = []
    if any(c.isdigit() for c in text):
        problems.append("digits in a name")
    marks = sorted(set(_NAME_MARKS.findall(text)))
    if marks:
        problems.append(f"unexpected characters in a name: {' '.join(marks)}")
    return Checked(value, tuple(problems))


def _read_number(raw: str, units: set[str], unit: str) -> Checked:
    """The number in Vietnamese notation at the start of ``raw`` as a plain decimal string, and
    ``unit`` when the text's unit is one of ``units`` (compared without diacritics)."""
    text, repaired = _repair_tokens(collapse_spaces(raw), keep=".,")
    match = _NUMBER.fullmatch(text)
    if match is None:
        problem = f"not a number in Vietnamese notation (1.500.000,5): {collapse_spaces(raw)!r}"
        return Checked(None, (problem,), repaired)
    whole = re.sub(r"[. ]", "", match["whole"])
    value = str(Decimal(f"{whole}.{match['fraction']}" if match["fraction"] else whole))
    written = match["unit"]
    if written is None:
        return Checked(value, (), repaired)
    if fold_diacritics(written).lower().rstrip(".") in units:
        return Checked(value, (), repaired, unit)
    return Checked(value, (f"unknown unit {written!r}",), repaired)


def check_amount(raw: str) -> Checked:
    """A sum of money in đồng ("5.000.000.000 đồng", "1 500 000 VNĐ") as digits, unit "VND".

    Words in brackets after it (the amount spelt out) are ignored.
    """
    return _read_number(raw, _AMOUNT_UNITS, "VND")


def check_area(raw: str) -> Checked:
    """An area in square metres ("125,5 m²", "1.250 m2") as a decimal with a point, unit "m²"."""
    return _read_number(raw, _AREA_UNITS, "m²")
