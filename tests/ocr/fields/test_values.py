"""Dates, names, amounts and areas in Vietnamese notation: good, bad and misread values."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import pytest

from ocr.fields.values import (
    SURNAMES,
    check_amount,
    check_area,
    check_date,
    check_name,
    check_person_name,
)
from samples.content import random_date
from samples.words import date_long, date_numeric, money_figure


@pytest.mark.parametrize(
    "raw",
    [
        "05/03/2021",
        "5/3/2021",
        "05-03-2021",
        "05.03.2021",
        " 05 / 03 / 2021 ",
        "ngày 05 tháng 3 năm 2021",
        "Ngày 5 tháng 03 năm 2021",
        "NGÀY 05 THÁNG 03 NĂM 2021",
        "ngay 05 thang 3 nam 2021",
        "ngày  05   tháng 3\nnăm 2021",
        "Hà Nội, ngày 05 tháng 3 năm 2021",
        unicodedata.normalize("NFD", "ngày 05 tháng 3 năm 2021"),
    ],
)
def test_dates_in_the_forms_papers_print(raw: str) -> None:
    checked = check_date(raw)
    assert checked.ok, checked
    assert checked.value == "2021-03-05"
    assert not checked.repaired


@pytest.mark.parametrize("raw", ["O5/O3/2O21", "05/03/2O2l", "ngày O5 tháng 3 năm 2O21"])
def test_look_alike_letters_in_a_date_are_repaired_and_flagged(raw: str) -> None:
    checked = check_date(raw)
    assert (checked.value, checked.ok, checked.repaired) == ("2021-03-05", True, True)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("31/02/2021", "no such day: 31/02/2021"),
        ("29/02/2023", "no such day: 29/02/2023"),
        ("05/13/2021", "no such day: 05/13/2021"),
        ("ngày 32 tháng 1 năm 2020", "no such day: 32/1/2020"),
        ("05/03/21", "not a date: '05/03/21'"),
        ("05/03-2021", "not a date: '05/03-2021'"),
        ("2021-03-05", "not a date: '2021-03-05'"),
        ("tháng 3 năm 2021", "not a date: 'tháng 3 năm 2021'"),
        ("", "not a date: ''"),
    ],
)
def test_what_is_not_a_date(raw: str, problem: str) -> None:
    checked = check_date(raw)
    assert (checked.value, checked.problems) == (None, (problem,))


def test_a_leap_day_is_a_date() -> None:
    assert check_date("29/02/2024").value == "2024-02-29"


def test_a_birth_date_in_the_future() -> None:
    today = dt.date(2026, 6, 1)
    assert check_date("01/06/2026", not_after=today).ok
    checked = check_date("02/06/2026", not_after=today)
    assert checked.value == "2026-06-02"
    assert checked.problems == ("02/06/2026 is after 01/06/2026",)


def test_an_expiry_before_the_issue() -> None:
    issued = dt.date(2021, 3, 5)
    assert check_date("05/03/2046", not_before=issued).ok
    assert check_date("04/03/2021", not_before=issued).problems == (
        "04/03/2021 is before 05/03/2021",
    )


def test_an_implausible_year_is_reported_but_read() -> None:
    checked = check_date("05/03/1021")
    assert (checked.value, checked.problems) == ("1021-03-05", ("implausible year 1021",))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
        ("nguyễn văn an", "Nguyễn Văn An"),
        ("  ĐỖ   thị\tHOA ", "Đỗ Thị Hoa"),
        ("ÂU DƯƠNG ỨNG", "Âu Dương Ứng"),
        (unicodedata.normalize("NFD", "TRẦN THỊ Ý NHI"), "Trần Thị Ý Nhi"),
    ],
)
def test_names_are_capitalised_word_by_word(raw: str, value: str) -> None:
    checked = check_name(raw)
    assert checked.ok
    assert checked.value == value
    assert checked.value == unicodedata.normalize("NFC", value)


def test_digits_in_a_name_are_reported_not_repaired() -> None:
    checked = check_name("NGUYỄN VĂN H0A")
    assert checked.value == "Nguyễn Văn H0a"
    assert checked.problems == ("digits in a name",)
    assert not checked.repaired


def test_marks_that_have_no_place_in_a_name() -> None:
    assert check_name("Lê Văn; An.").problems == ("unexpected characters in a name: . ;",)
    assert check_name("   ").value is None
    assert check_name("   ").problems == ("empty name",)


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("1.500.000.000", "1500000000", None),
        ("5.000.000.000 đồng", "5000000000", "VND"),
        ("5.000.000.000 ĐỒNG", "5000000000", "VND"),
        ("1 500 000 VNĐ", "1500000", "VND"),
        ("250.000 VND", "250000", "VND"),
        ("750.000đ", "750000", "VND"),
        ("1500000", "1500000", None),
        ("3.000.000.000 đồng (Ba tỷ đồng)", "3000000000", "VND"),
        ("1.500", "1500", None),
    ],
)
def test_amounts_in_vietnamese_notation(raw: str, value: str, unit: str | None) -> None:
    checked = check_amount(raw)
    assert checked.ok, checked
    assert (checked.value, checked.unit) == (value, unit)


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("125,5 m²", "125.5", "m²"),
        ("125,5m2", "125.5", "m²"),
        ("1.250,75 m2", "1250.75", "m²"),
        ("1.250 m²", "1250", "m²"),
        ("300 mét vuông", "300", "m²"),
        ("86,0", "86.0", None),
    ],
)
def test_areas_in_vietnamese_notation(raw: str, value: str, unit: str | None) -> None:
    checked = check_area(raw)
    assert checked.ok, checked
    assert (checked.value, checked.unit) == (value, unit)


@pytest.mark.parametrize(
    "raw", ["125.5 m²", "1,500,000", "1.50.000", "1.500 000", "đồng", "", "12,5,5"]
)
def test_what_is_not_a_number_in_vietnamese_notation(raw: str) -> None:
    checked = check_area(raw)
    assert checked.value is None
    assert checked.problems[0].startswith("not a number in Vietnamese notation")


def test_a_unit_that_does_not_belong() -> None:
    assert check_amount("100 USD").problems == ("unknown unit 'USD'",)
    assert check_area("125 ha").problems == ("unknown unit 'ha'",)
    assert check_amount("125,5 m²").unit is None


def test_look_alike_letters_in_an_amount_are_repaired_and_flagged() -> None:
    checked = check_amount("1.5OO.OOO đồng")
    assert (checked.value, checked.unit, checked.ok, checked.repaired) == (
        "1500000",
        "VND",
        True,
        True,
    )


def test_what_the_generator_prints_reads_back() -> None:
    rng = random.Random(7)
    for _ in range(300):
        day = random_date(rng, dt.date(1930, 1, 1), dt.date(2060, 12, 31))
        assert check_date(date_numeric(day)).value == day.isoformat()
        assert check_date(f"Hà Nội, {date_long(day)}").value == day.isoformat()
        amount = rng.randint(1, 10**11)
        assert check_amount(f"{money_figure(amount)} đồng").value == str(amount)
        tenths = rng.randint(500, 1809)
        area = check_area(f"{tenths // 10},{tenths % 10} m2")
        assert (area.value, area.unit) == (f"{tenths // 10}.{tenths % 10}", "m²")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("NGUYÊN THỊ NHUNG", "Nguyễn Thị Nhung"), ("LẼ VĂN MINH", "Lê Văn Minh"),
     ("TRẤN THU PHƯƠNG", "Trần Thu Phương"), ("HƯỲNH ANH", "Huỳnh Anh")],
)  # fmt: skip
def test_a_surname_with_slipped_marks_is_repaired_when_only_one_fits(raw: str, value: str) -> None:
    checked = check_person_name(raw)
    assert (checked.value, checked.repaired, checked.problems) == (value, True, ())


@pytest.mark.parametrize(
    "raw", ["NGUYỄN THỊ NHUNG", "LA VĂN CẦU", "LÃ THỊ HOA", "KA SÔ LIỄU", "DOÃN AN", "ĐOÀN AN"]
)
def test_a_well_spelt_or_unknown_surname_is_kept(raw: str) -> None:
    checked = check_person_name(raw)
    assert (checked.value, checked.repaired, checked.problems) == (check_name(raw).value, False, ())


def test_a_slipped_surname_that_fits_two_goes_to_review() -> None:
    checked = check_person_name("DOÁN VĂN AN")
    assert checked.value == "Doán Văn An" and not checked.repaired
    problem = "surname 'Doán' is spelt like no Vietnamese surname (Doãn or Đoàn?)"
    assert checked.problems == (problem,)


def test_the_generator_surnames_are_known() -> None:
    from samples.content import SURNAMES as PRINTED

    assert set(PRINTED) <= SURNAMES


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("ĐỨC", "one word"),
        ("ĐỨC AN", "the surname is missing"),
        ("THỊ MAI", "the surname is missing"),
    ],
)
def test_a_name_that_lost_its_surname_is_reported(raw: str, problem: str) -> None:
    assert any(problem in found for found in check_person_name(raw).problems)
