"""The shared result and the look-alike repair every normaliser relies on."""

from __future__ import annotations

import dataclasses

import pytest

from ocr.fields.checked import Checked, check_text, fold_diacritics, repair_digits


def test_only_a_value_without_problems_is_ok() -> None:
    assert Checked("1").ok
    assert not Checked("1", ("check digit does not match",)).ok
    assert not Checked(None).ok


def test_a_result_cannot_be_changed_after_the_check() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Checked("1").value = "2"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("run", "keep", "repaired"),
    [
        ("1O0", "", ("100", True)),
        ("0I|l", "", ("0111", True)),
        ("S8B", "", ("588", True)),
        ("123", "", ("123", False)),
        ("BOSS", "", ("BOSS", False)),  # no real digit: a word
        ("1O0A", "", ("1O0A", False)),  # a letter with no look-alike
        ("O5/O3/2O21", "/", ("05/03/2021", True)),
        ("O5/O3/2O21", "", ("O5/O3/2O21", False)),
        ("", "", ("", False)),
    ],
)
def test_repair_digits(run: str, keep: str, repaired: tuple[str, bool]) -> None:
    assert repair_digits(run, keep=keep) == repaired


def test_lower_case_letters_other_than_o_and_l_are_not_digits() -> None:
    assert repair_digits("1s0") == ("1s0", False)
    assert repair_digits("1b0") == ("1b0", False)


def test_fold_diacritics() -> None:
    assert fold_diacritics("Ngày  Tháng   Năm Đồng") == "Ngay Thang Nam Dong"


def test_stray_marks_in_free_text_are_reported() -> None:
    assert check_text("Sở Kế hoạch và Đầu tư Thành.phố Hồ Chí Minh").problems
    assert check_text("huyện Bàu 'Bàng").problems
    assert check_text("Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư TP. Hà Nội").ok
