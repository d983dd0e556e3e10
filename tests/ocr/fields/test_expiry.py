"""The date of expiry of an identity card, against the holder's date of birth."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ocr.fields.expiry import NO_EXPIRY, check_card_expiry
from samples.content import card_expiry, random_date

BORN = dt.date(1990, 6, 15)
TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize("raw", ["15/06/2030", "15/06/2015", "15/06/2050", "15/06/2004"])
def test_an_expiry_on_a_renewal_birthday_is_accepted(raw: str) -> None:
    checked = check_card_expiry(raw, date_of_birth=BORN, today=TODAY)
    assert checked.ok and checked.value == dt.datetime.strptime(raw, "%d/%m/%Y").date().isoformat()


@pytest.mark.parametrize("raw", ["16/06/2030", "15/08/2030", "15/06/2031"])
def test_an_expiry_on_no_renewal_birthday_is_reported(raw: str) -> None:
    checked = check_card_expiry(raw, date_of_birth=BORN, today=TODAY)
    assert checked.value is not None and "born 15/06/1990" in checked.problems[0]


@pytest.mark.parametrize("raw", ["Không thời hạn", "KHONG THOI HAN", "không  thời hạn"])
def test_no_expiry_is_read_as_such(raw: str) -> None:
    born = dt.date(1960, 1, 1)
    assert check_card_expiry(raw, date_of_birth=born, today=TODAY) == check_card_expiry(raw)
    assert check_card_expiry(raw).value == NO_EXPIRY and check_card_expiry(raw).ok


def test_no_expiry_for_a_young_holder_is_reported() -> None:
    checked = check_card_expiry(NO_EXPIRY, date_of_birth=BORN, today=TODAY)
    assert checked.value == NO_EXPIRY and "from age 58" in checked.problems[0]


def test_a_leap_day_holder_renews_on_the_28th_or_the_1st() -> None:
    born = dt.date(2000, 2, 29)
    for raw in ("28/02/2025", "01/03/2025"):
        assert check_card_expiry(raw, date_of_birth=born, today=TODAY).ok


def test_without_a_date_of_birth_any_date_is_a_date() -> None:
    assert check_card_expiry("03/04/2031").ok
    assert not check_card_expiry("31/02/2031").ok
    assert not check_card_expiry("Có thời hạn").ok


def test_the_generator_cards_agree() -> None:
    rng = random.Random(3)
    for _ in range(300):
        born = random_date(rng, dt.date(1940, 1, 1), dt.date(2010, 12, 31))
        issued = random_date(rng, born + dt.timedelta(days=14 * 365), dt.date(2026, 1, 1))
        expiry = card_expiry(born, issued)
        if expiry is not None:
            raw = expiry.strftime("%d/%m/%Y")
            assert check_card_expiry(raw, date_of_birth=born, today=TODAY).ok, (born, issued)
