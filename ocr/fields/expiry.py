"""The "Có giá trị đến" (date of expiry) of an identity card, checked against the holder's age.

An identity card runs out on a birthday: the Law on Citizen Identification (2014, article 21)
has it renewed at 25, 40 and 60, the Law on Identification (2023, article 21) at 14, 25, 40 and
60, and a card issued within two years before one of those ages holds until the next. From 58 a
card is issued without expiry and says "Không thời hạn". A printed expiry that is no such
birthday of the holder is a misread digit on one of the two dates.
"""

from __future__ import annotations

import datetime as dt

from ocr.fields.checked import Checked, collapse_spaces, fold_diacritics
from ocr.fields.values import check_date

NO_EXPIRY = "Không thời hạn"
RENEWAL_AGES = (14, 25, 40, 60)
LAST_RENEWAL_AGE = 58
"""From this age a card is issued for life."""


def check_card_expiry(
    raw: str, *, date_of_birth: dt.date | None = None, today: dt.date | None = None
) -> Checked:
    """The expiry as an ISO date, or ``NO_EXPIRY``; checked against ``date_of_birth`` when the
    card's date of birth was read. ``today`` defaults to the clock's date."""
    text = collapse_spaces(raw)
    if fold_diacritics(text).lower() == fold_diacritics(NO_EXPIRY).lower():
        if date_of_birth is not None and _birthday(date_of_birth, LAST_RENEWAL_AGE) > (
            today or dt.date.today()
        ):
            problem = f"a card without expiry is issued from age {LAST_RENEWAL_AGE}"
            return Checked(NO_EXPIRY, (f"{problem}; the holder is younger",))
        return Checked(NO_EXPIRY)
    checked = check_date(text)
    if checked.value is None or date_of_birth is None:
        return checked
    expiry = dt.date.fromisoformat(checked.value)
    birthdays = {_birthday(date_of_birth, age) for age in RENEWAL_AGES}
    if date_of_birth.month == 2 and date_of_birth.day == 29:
        birthdays |= {birthday + dt.timedelta(days=1) for birthday in birthdays}
    if expiry in birthdays:
        return checked
    problem = (
        f"a card expires on the holder's 14th, 25th, 40th or 60th birthday; "
        f"{expiry:%d/%m/%Y} is none of them for a holder born {date_of_birth:%d/%m/%Y}"
    )
    return Checked(checked.value, (*checked.problems, problem), checked.repaired)


def _birthday(born: dt.date, age: int) -> dt.date:
    """The holder's birthday at ``age``; 29 February falls on the 28th in common years."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return born.replace(year=born.year + age, day=28)
