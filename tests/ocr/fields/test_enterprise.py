"""An enterprise's foreign-language name: legal-form words repaired, misreads reported."""

from __future__ import annotations

import pytest

from ocr.fields.enterprise import check_foreign_name


@pytest.mark.parametrize(
    ("raw", "value"),
    [("BAO NGOC TRAVEL COMPANY LIMTTED", "BAO NGOC TRAVEL COMPANY LIMITED"),
     ("AN PHAT CONSTRUCTION COMPANY LIMTITED", "AN PHAT CONSTRUCTION COMPANY LIMITED"),
     ("SAO MAI JOINT STOCK COMPAMY", "SAO MAI JOINT STOCK COMPANY"),
     ("Hoa Binh Technology Corporatlon", "HOA BINH TECHNOLOGY CORPORATION")],
)  # fmt: skip
def test_a_slipped_legal_form_is_repaired(raw: str, value: str) -> None:
    checked = check_foreign_name(raw)
    assert (checked.value, checked.repaired, checked.problems) == (value, True, ())


@pytest.mark.parametrize(
    "raw",
    ["NAM VIET FOOD COMPANY LIMITED", "POINT TRAVEL JOINT STOCK COMPANY", "VIETSOFT JSC",
     "TAN PHU CO., LTD", "HUNG THINH LIMITED LIABILITY COMPANY"],
)  # fmt: skip
def test_a_well_read_name_is_kept(raw: str) -> None:
    checked = check_foreign_name(raw)
    assert (checked.value, checked.repaired, checked.problems) == (raw, False, ())


def test_vietnamese_marks_are_reported() -> None:
    checked = check_foreign_name("NAM VIỆT FOOD COMPANY LIMITED")
    assert checked.problems == ("Vietnamese marks in a foreign-language name",)


def test_a_name_without_legal_form_is_reported() -> None:
    checked = check_foreign_name("HOANG LONG CONSTRUCTION")
    assert checked.value == "HOANG LONG CONSTRUCTION"
    assert "no legal form" in checked.problems[0]


def test_an_empty_name_is_not_a_name() -> None:
    assert check_foreign_name("  ").value is None


def test_a_number_run_into_a_name_is_reported() -> None:
    assert check_foreign_name("HOANG LONG CO., LTD 3700104433").problems
