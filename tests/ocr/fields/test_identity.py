"""CCCD numbers, enterprise codes, sex and phone numbers: good, bad and misread values."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ocr.fields.identity import (
    CCCD_PROVINCES,
    check_cccd,
    check_phone,
    check_sex,
    check_tax_code,
    decode_cccd,
)
from samples.content import (
    SEXES,
    is_valid_tax_code,
    random_person,
    random_phone,
    random_tax_code,
)
from samples.places import PROVINCES

TODAY = dt.date(2026, 6, 1)

# Numbers published as valid in python-stdnum's tests (tests/test_vn_mst.doctest).
PUBLISHED_TAX_CODES = (
    "0100233488",
    "01.00.112.437",
    "0100112437011",
    "0102641429-066",
    "0311 916 028",
    "0312 68 78 78 - 001",
    "0314409058-002",
    "2000102580-005",
    "3500748818",
    "8037630690",
)


def test_the_province_table_has_the_63_official_codes() -> None:
    assert len(CCCD_PROVINCES) == 63
    assert CCCD_PROVINCES["001"] == "Hà Nội"
    assert CCCD_PROVINCES["079"] == "Hồ Chí Minh"
    assert CCCD_PROVINCES["096"] == "Cà Mau"


def test_every_generator_province_is_in_the_official_table() -> None:
    for province in PROVINCES:
        assert CCCD_PROVINCES.get("0" + province.code) == province.name


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("001089012345", dt.date(1989, 5, 1), "Nam"),
        ("079190000001", dt.date(1990, 1, 31), "Nữ"),
        ("048205123456", dt.date(2005, 12, 31), "Nam"),
        ("096300654321", dt.date(2000, 2, 29), "NỮ"),
        ("001 089 012 345", dt.date(1989, 5, 1), "nam"),
    ],
)
def test_a_cccd_number_that_agrees_with_the_card(number: str, born: dt.date, sex: str) -> None:
    checked = check_cccd(number, date_of_birth=born, sex=sex, today=TODAY)
    assert checked.ok
    assert checked.value == number.replace(" ", "")
    assert not checked.repaired


def test_generated_people_have_valid_cccd_numbers() -> None:
    rng = random.Random(5)
    for _ in range(300):
        person = random_person(rng, today=TODAY)
        checked = check_cccd(
            person.cccd_number, date_of_birth=person.date_of_birth, sex=person.sex, today=TODAY
        )
        assert checked.ok, (person, checked)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("003089012345", "unknown province code 003"),
        ("097089012345", "unknown province code 097"),
        ("001489012345", "number says born in 2189, which is in the future"),
    ],
)
def test_a_cccd_number_with_an_impossible_structure(raw: str, problem: str) -> None:
    checked = check_cccd(raw, today=TODAY)
    assert checked.value == raw
    assert checked.problems == (problem,)


def test_the_century_digits_follow_the_circular() -> None:
    far_future = dt.date(2400, 1, 1)
    for digit, year, sex in [(0, 1989, "Nam"), (3, 2089, "Nữ"), (4, 2189, "Nam"), (9, 2389, "Nữ")]:
        checked = check_cccd(
            f"001{digit}89012345", date_of_birth=dt.date(year, 1, 1), sex=sex, today=far_future
        )
        assert checked.ok, (digit, checked)


def test_decode_cccd() -> None:
    assert decode_cccd("001089012345") == ("Nam", 1989)
    assert decode_cccd("079305012345") == ("Nữ", 2005)
    assert decode_cccd("079999012345") == ("Nữ", 2399)
    assert decode_cccd("079899012345") == ("Nam", 2399)


def test_a_cccd_number_that_disagrees_with_the_card() -> None:
    checked = check_cccd("001189012345", date_of_birth=dt.date(1990, 3, 1), sex="Nam", today=TODAY)
    assert checked.problems == (
        "number says born in 1989, date of birth says 1990",
        "number says Nữ, sex field says Nam",
    )
    century = check_cccd("001289012345", date_of_birth=dt.date(1989, 3, 1), today=TODAY)
    assert century.problems == (
        "number says born in 2089, which is in the future",
        "number says born in 2089, date of birth says 1989",
    )


def test_an_unreadable_sex_field_is_not_held_against_the_number() -> None:
    assert check_cccd("001089012345", sex="???", today=TODAY).ok


@pytest.mark.parametrize(
    "raw", ["OO1O89O12345", "001089 Ol2345", "0010B9012345", "00108901234S", "|01089012345"]
)
def test_look_alike_letters_in_a_cccd_number_are_repaired_and_flagged(raw: str) -> None:
    checked = check_cccd(raw, today=TODAY)
    assert checked.value is not None and checked.value.isdigit()
    assert checked.repaired


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("00108901234", "00108901234", "11 digits instead of 12"),
        ("0010890123456", "0010890123456", "13 digits instead of 12"),
        ("001089A12345", None, "not a number: '001089A12345'"),
        ("", None, "not a number: ''"),
    ],
)
def test_what_is_not_a_cccd_number(raw: str, value: str | None, problem: str) -> None:
    checked = check_cccd(raw, today=TODAY)
    assert (checked.value, checked.problems) == (value, (problem,))
    assert not checked.ok


@pytest.mark.parametrize("raw", PUBLISHED_TAX_CODES)
def test_published_tax_codes_are_valid(raw: str) -> None:
    checked = check_tax_code(raw)
    assert checked.ok, checked
    assert checked.value is not None
    assert len(checked.value) in (10, 14)


def test_a_branch_code_is_printed_with_its_dash() -> None:
    assert check_tax_code("0312 68 78 78 - 001").value == "0312687878-001"
    assert check_tax_code("0100112437011").value == "0100112437-011"


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("0100233480", "0100233480", "check digit does not match"),
        ("0100233488-000", "0100233488-000", "branch number 000 is not issued"),
        ("0100000008", "0100000008", "serial is zero"),
        ("12345", "12345", "5 digits instead of 10 or 13"),
        ("VV34567890", None, "not a number: 'VV34567890'"),
    ],
)
def test_bad_tax_codes(raw: str, value: str | None, problem: str) -> None:
    checked = check_tax_code(raw)
    assert (checked.value, checked.problems) == (value, (problem,))


def test_look_alike_letters_in_a_tax_code_are_repaired_and_flagged() -> None:
    checked = check_tax_code("O1OO233488")
    assert (checked.value, checked.ok, checked.repaired) == ("0100233488", True, True)


def test_the_generator_and_the_check_agree_on_tax_codes() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        code = f"{rng.randint(0, 9_999_999_999):010d}"
        if code[2:9] == "0000000":
            continue
        assert check_tax_code(code).ok == is_valid_tax_code(code), code
    for province in PROVINCES:
        assert check_tax_code(random_tax_code(rng, province.tax_prefix)).ok


@pytest.mark.parametrize(
    ("raw", "value"),
    [("Nam", "Nam"), ("NỮ", "Nữ"), ("nu", "Nữ"), (" Nữ / Female ", "Nữ"), ("male", "Nam")],
)
def test_sex(raw: str, value: str) -> None:
    assert check_sex(raw) == check_sex(value)
    assert check_sex(raw).value == value


def test_a_wrong_mark_is_forgiven_but_not_a_wrong_letter() -> None:
    assert check_sex("Năm").value == "Nam"
    assert check_sex("N4m").problems == ("not a sex: 'N4m'",)
    assert check_sex("").value is None


def test_the_generator_sexes_are_read_as_themselves() -> None:
    assert {check_sex(sex).value for sex in SEXES} == set(SEXES)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0901234567", "0901234567"),
        ("090 123 45 67", "0901234567"),
        ("(090) 123.4567", "0901234567"),
        ("+84 90 123 4567", "0901234567"),
        ("84-32-123-4567", "0321234567"),
        ("0243 826 1234", "02438261234"),
    ],
)
def test_phone_numbers(raw: str, value: str) -> None:
    checked = check_phone(raw)
    assert checked.ok
    assert checked.value == value


def test_generated_phone_numbers_are_valid() -> None:
    rng = random.Random(3)
    assert all(check_phone(random_phone(rng)).ok for _ in range(200))


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("0123456789", "0123456789", "not a Vietnamese mobile or landline number"),
        ("090123456", "090123456", "not a Vietnamese mobile or landline number"),
        ("phone", None, "not a phone number: 'phone'"),
    ],
)
def test_bad_phone_numbers(raw: str, value: str | None, problem: str) -> None:
    checked = check_phone(raw)
    assert (checked.value, checked.problems) == (value, (problem,))


def test_look_alike_letters_in_a_phone_number() -> None:
    checked = check_phone("09O1234S67")
    assert (checked.value, checked.ok, checked.repaired) == ("0901234567", True, True)
