"""Vietnamese ways of writing numbers and dates, as administrative documents print them.

Birth records repeat the date of birth in words and business certificates the charter capital,
so field extraction meets these phrasings in real scans; the samples must print them the same way.
"""

from __future__ import annotations

import datetime as dt

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_NAMES = ("", "nghìn", "triệu", "tỷ")


def _three_digits(n: int, spell_hundreds: bool) -> str:
    """Words for 0..999; ``spell_hundreds`` writes "không trăm" inside a bigger number."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    parts: list[str] = []
    if spell_hundreds or hundreds:
        parts += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and parts:
            parts += ["linh", _DIGITS[units]]
        elif units:
            parts.append(_DIGITS[units])
    elif tens == 1:
        parts.append("mười")
        if units:
            parts.append("lăm" if units == 5 else _DIGITS[units])
    else:
        parts += [_DIGITS[tens], "mươi"]
        if units:
            parts.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return " ".join(parts)


def number_words(n: int) -> str:
    """Spell 0 <= n < 10**12 in Vietnamese ("hai nghìn không trăm hai mươi")."""
    if not 0 <= n < 10**12:
        raise ValueError(f"number out of range: {n}")
    if n == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for index in reversed(range(len(groups))):
        if groups[index] == 0:
            continue
        words.append(_three_digits(groups[index], spell_hundreds=index < len(groups) - 1))
        if _GROUP_NAMES[index]:
            words.append(_GROUP_NAMES[index])
    return " ".join(words)


def money_words(amount: int) -> str:
    """Amount in words as written under a figure: "Một tỷ năm trăm triệu đồng"."""
    words = number_words(amount)
    return f"{words[0].upper()}{words[1:]} đồng"


def money_figure(amount: int) -> str:
    """Amount with dots between thousands, the Vietnamese convention: "1.500.000.000"."""
    return f"{amount:,}".replace(",", ".")


def date_words(day: dt.date) -> str:
    """A date in words as birth records print it: "ngày mười lăm tháng tư năm hai nghìn ..."."""
    month = "tư" if day.month == 4 else number_words(day.month)
    return f"ngày {number_words(day.day)} tháng {month} năm {number_words(day.year)}"


def date_numeric(day: dt.date) -> str:
    """dd/mm/yyyy, the form on identity cards and most fields."""
    return day.strftime("%d/%m/%Y")


def date_long(day: dt.date) -> str:
    """ "ngày 05 tháng 3 năm 2026", padding days below 10 and months 1-2 as Decree 30/2020 asks.

    The padding rule exists so that nobody can add a digit in front by hand; real documents follow
    it, so extraction has to cope with both "tháng 02" and "tháng 3".
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
