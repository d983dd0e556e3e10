"""Addresses in the old (63 provinces, districts) and new (34 provinces) units, checked against the
real data of vietnamadminunits; the new units are cross-checked with vietnam-provinces."""

from __future__ import annotations

import random
import socket

import pytest
import vietnam_provinces

from ocr.fields import admin_units
from ocr.fields.address import NESTED, NESTED_OLD, NESTED_OLD_NO_DISTRICT, check_address
from ocr.fields.checked import fold_diacritics
from samples.content import random_address
from samples.places import PROVINCES, Province


def _key(name: str) -> str:
    return "".join(c for c in fold_diacritics(name).lower() if c.isalnum())


# --- old units (papers issued before 1 July 2025) ---


def test_old_address_with_unit_words() -> None:
    checked = check_address("Số 12, đường Lê Lợi, phường Bến Thành, Quận 1, TP. Hồ Chí Minh")
    assert checked.ok
    assert checked.value == "Số 12, đường Lê Lợi, phường Bến Thành, Quận 1, TP. Hồ Chí Minh"
    assert checked.details == {
        "units": "old",
        "province": "Thành phố Hồ Chí Minh",
        "district": "Quận 1",
        "ward": "Phường Bến Thành",
        "province_now": "Thành phố Hồ Chí Minh",
        "ward_now": "Phường Bến Thành",
        "reason": NESTED_OLD,
    }


def test_spaces_are_collapsed_and_text_is_nfc() -> None:
    decomposed = "Thôn 3,  xã Bát Tràng,\nhuyện Gia Lâm, TP. Hà Nội".replace("à", "a\u0300")
    checked = check_address(decomposed)
    assert checked.ok
    assert checked.value == "Thôn 3, xã Bát Tràng, huyện Gia Lâm, TP. Hà Nội"


@pytest.mark.parametrize(
    "raw",
    [
        "P. Bến Thành, Q.1, TP.HCM",
        "phường Bến Thành, quận 1, thành phố Hồ Chí Minh",
        "Bến Thành, Quận 1, Hồ Chí Minh",
        "PHƯỜNG BẾN THÀNH, QUẬN 1, TP. HỒ CHÍ MINH",
        "phường Bến Thành, Quận 1, TP. Hồ Chí Minh, Việt Nam",
    ],
)
def test_unit_words_abbreviated_or_left_out(raw: str) -> None:
    checked = check_address(raw)
    assert checked.ok, checked.problems
    assert (checked.details["ward"], checked.details["district"]) == ("Phường Bến Thành", "Quận 1")


def test_numbered_ward_in_an_old_district() -> None:
    checked = check_address("Phường 9, Quận 3, TP. Hồ Chí Minh")
    assert checked.ok
    assert (checked.details["ward"], checked.details["district"]) == ("Phường 9", "Quận 3")


def test_rural_old_address() -> None:
    checked = check_address("xã Nghi Phong, huyện Nghi Lộc, tỉnh Nghệ An")
    assert checked.ok
    assert checked.details["district"] == "Huyện Nghi Lộc"
    assert checked.details["ward"] == "Xã Nghi Phong"
    assert checked.details["province_now"] == "Tỉnh Nghệ An"


def test_old_ward_split_in_2025_lists_the_new_wards() -> None:
    checked = check_address("Thôn 3, xã Bát Tràng, huyện Gia Lâm, TP. Hà Nội")
    assert checked.ok
    assert checked.details["ward_now"] == "Xã Bát Tràng"
    split = checked.details["ward_now_split"].split(", ")
    assert "Xã Bát Tràng" in split and len(split) > 1


def test_old_ward_without_its_district_is_found_when_unique_in_the_province() -> None:
    checked = check_address("Tổ 5, phường Phú Cường, tỉnh Bình Dương")
    assert checked.ok
    assert checked.details["district"] == "Thành phố Thủ Dầu Một"
    assert checked.details["reason"] == NESTED_OLD_NO_DISTRICT


# --- a ward whose province changed in 2025 ---


def test_ward_of_binh_duong_is_in_ho_chi_minh_city_now() -> None:
    checked = check_address("phường Phú Cường, thành phố Thủ Dầu Một, tỉnh Bình Dương")
    assert checked.ok
    assert checked.details["province"] == "Tỉnh Bình Dương"
    assert checked.details["province_now"] == "Thành phố Hồ Chí Minh"
    assert checked.details["ward_now"] == "Phường Thủ Dầu Một"


def test_commune_of_hai_duong_is_in_hai_phong_now() -> None:
    checked = check_address("xã Lê Ninh, thị xã Kinh Môn, tỉnh Hải Dương")
    assert checked.ok
    assert checked.details["province_now"] == "Thành phố Hải Phòng"
    assert checked.details["ward_now"] == "Phường Bắc An Phụ"


def test_new_ward_under_its_old_province_does_not_nest() -> None:
    checked = check_address("phường Thủ Dầu Một, tỉnh Bình Dương")
    assert checked.problems == (
        "no ward 'phường Thủ Dầu Một' in Tỉnh Bình Dương"
        " (a unit of Thành phố Hồ Chí Minh since July 2025)",
    )


# --- new units (from 1 July 2025) ---


def test_new_address() -> None:
    checked = check_address("Số 5, phường Ba Đình, TP. Hà Nội")
    assert checked.ok
    assert checked.details == {
        "units": "new",
        "province": "Thành phố Hà Nội",
        "ward": "Phường Ba Đình",
        "reason": NESTED,
    }


@pytest.mark.parametrize(
    ("raw", "ward", "province"),
    [
        ("phường Sài Gòn, Thành phố Hồ Chí Minh", "Phường Sài Gòn", "Thành phố Hồ Chí Minh"),
        ("xã Bát Tràng, TP. Hà Nội", "Xã Bát Tràng", "Thành phố Hà Nội"),
        ("12 Lê Lợi, phường Thuận Hóa, thành phố Huế", "Phường Thuận Hóa", "Thành phố Huế"),
        ("Thôn 2, xã Nghi Lộc, tỉnh Nghệ An", "Xã Nghi Lộc", "Tỉnh Nghệ An"),
    ],
)
def test_new_addresses(raw: str, ward: str, province: str) -> None:
    checked = check_address(raw)
    assert checked.ok, checked.problems
    assert checked.details["units"] == "new"
    assert (checked.details["ward"], checked.details["province"]) == (ward, province)


def test_new_units_exist_in_vietnam_provinces_too() -> None:
    """Two independent data sets agree on the units reported (vietnam-provinces: official codes)."""
    for raw in ("phường Sài Gòn, TP. Hồ Chí Minh", "phường Phú Cường, Thủ Dầu Một, Bình Dương"):
        details = check_address(raw).details
        ward = details.get("ward_now", details["ward"])
        province = details.get("province_now", details["province"])
        every = vietnam_provinces.Province.iter_all()
        matches = [p for p in every if _key(province).endswith(_key(p.name))]
        assert len(matches) == 1, province
        wards = {_key(w.name) for w in vietnam_provinces.Ward.iter_by_province(matches[0].code)}
        assert _key(ward) in wards


# --- units that do not nest or do not exist ---


def test_ward_in_another_district() -> None:
    checked = check_address("phường Kim Mã, quận Hoàn Kiếm, TP. Hà Nội")
    assert checked.problems == (
        "ward 'phường Kim Mã' is not in Quận Hoàn Kiếm (it is in Quận Ba Đình)",
    )


def test_district_of_another_province() -> None:
    checked = check_address("phường Kim Mã, quận Ba Đình, TP. Hồ Chí Minh")
    assert not checked.ok
    assert checked.problems[0].startswith("no district 'quận Ba Đình' in Thành phố Hồ Chí Minh")
    assert "Thành phố Hà Nội" in checked.problems[0]


def test_new_ward_of_another_province() -> None:
    checked = check_address("phường Bến Thành, TP. Hà Nội")
    assert not checked.ok
    assert "Thành phố Hồ Chí Minh" in checked.problems[0]


def test_ward_that_does_not_exist() -> None:
    checked = check_address("phường Xuân Thu Hạ, quận Ba Đình, TP. Hà Nội")
    assert checked.problems == ("no ward 'phường Xuân Thu Hạ' in Quận Ba Đình, Thành phố Hà Nội",)


def test_name_shared_by_two_communes_of_the_district_is_ambiguous() -> None:
    checked = check_address("xã Hoằng Quy, huyện Hoằng Hóa, tỉnh Thanh Hóa")
    assert checked.problems == ("ward read as 'Hoằng Quy'? closest 'Hoằng Quỳ' or 'Hoằng Quý'",)


def test_the_diacritics_tell_the_two_communes_apart() -> None:
    assert check_address("xã Hoằng Quý, huyện Hoằng Hóa, tỉnh Thanh Hóa").details["ward"] == (
        "Xã Hoằng Quý"
    )


# --- missing units ---


@pytest.mark.parametrize(
    "raw",
    ["phường Bến Thành, Quận 1", "Số 12, đường Lê Lợi", "phường Bến Thành, tỉnh Xứ Đoài Mây Trắng"],
)
def test_no_province(raw: str) -> None:
    checked = check_address(raw)
    assert not checked.ok
    assert checked.problems[0].startswith("no province found")


@pytest.mark.parametrize(
    "raw", ["Số 12, đường Lê Lợi, Quận 1, TP. Hồ Chí Minh", "12 Lê Lợi, TP.HCM", "tỉnh Nghệ An"]
)
def test_no_ward(raw: str) -> None:
    checked = check_address(raw)
    assert checked.problems == ("no ward or commune found",)
    assert checked.value == raw


def test_empty_address() -> None:
    assert check_address("  ").problems == ("empty address",)


# --- OCR slips: one unit's slipped marks are repaired and say so; any other slip is doubted ---


def test_province_with_a_wrong_mark() -> None:
    checked = check_address("phường Kim Mã, quận Ba Đình, Ha Nọi")
    assert checked.ok and checked.repaired
    assert checked.value == "phường Kim Mã, quận Ba Đình, Hà Nội"
    assert checked.details["province"] == "Thành phố Hà Nội"


def test_province_with_a_wrong_letter() -> None:
    checked = check_address("phường Kim Mã, quận Ba Đình, Hà Nộl")
    assert checked.problems == ("province read as 'Hà Nộl'? closest 'Hà Nội'",)


def test_ward_with_a_wrong_mark() -> None:
    checked = check_address("phường Kim Mả, quận Ba Đình, Hà Nội")
    assert checked.ok and checked.repaired
    assert checked.value == "phường Kim Mã, quận Ba Đình, Hà Nội"


def test_district_with_d_for_dj() -> None:
    checked = check_address("phường Kim Mã, quận Ba Dình, Hà Nội")
    assert checked.repaired and checked.value == "phường Kim Mã, quận Ba Đình, Hà Nội"


def test_two_units_with_slipped_marks_are_doubted_not_rewritten() -> None:
    checked = check_address("phường Kim Mả, quận Ba Dình, Hà Nội")
    assert not checked.ok and not checked.repaired


def test_new_ward_with_a_wrong_letter() -> None:
    checked = check_address("phường Sài Gòm, TP. Hồ Chí Minh")
    assert checked.problems == ("ward read as 'Sài Gòm'? closest 'Sài Gòn'",)
    assert checked.details["ward"] == "Phường Sài Gòn"


def test_address_without_any_diacritics_is_doubted() -> None:
    checked = check_address("Phuong Ben Thanh, Quan 1, TP Ho Chi Minh")
    assert not checked.ok
    assert "province read as 'Ho Chi Minh'? closest 'Hồ Chí Minh'" in checked.problems


def test_where_the_tone_mark_sits_is_style_not_a_slip() -> None:
    assert check_address("phường Thuận Hoá, thành phố Huế").ok


def test_text_that_ran_past_the_province_is_not_a_province() -> None:
    checked = check_address("xã Tân Thông Hội, huyện Củ Chi, TP. Hồ Chí Minh Số điện thoại 0901")
    assert not checked.ok
    assert checked.problems[0].startswith("no province found")


# --- the sample generator's addresses (old units, with districts) ---


def test_two_hundred_generated_addresses_pass() -> None:
    failures = []
    for seed in range(200):
        rng = random.Random(seed)
        address = random_address(rng, PROVINCES[seed % len(PROVINCES)])
        checked = check_address(address.text)
        if not checked.ok:
            failures.append((address.text, checked.problems))
    assert failures == []


@pytest.mark.parametrize("province", PROVINCES, ids=lambda province: province.name)
def test_every_generator_ward_nests_in_its_district(province: Province) -> None:
    for district in province.districts:
        for ward in district.wards:
            raw = f"{ward}, {district.name}, {province.printed}"
            checked = check_address(raw)
            assert checked.ok, (raw, checked.problems)
            assert checked.details["units"] == "old"


def test_no_network_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library geocodes split wards over HTTP when asked to convert an address with a
    street; the checker must never reach that path, even for a split ward with a street."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the address checker opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    checked = check_address("Số 7, ngõ 12, đường Kim Mã, phường Kim Mã, quận Ba Đình, TP. Hà Nội")
    assert checked.ok
    assert "ward_now_split" in checked.details


def test_a_unit_name_whose_only_slip_is_its_marks_is_repaired() -> None:
    checked = check_address("Thôn 10, xã Nghi Trung, huyện Nghỉ Lộc, tỉnh Nghệ An")
    assert checked.ok and checked.repaired
    assert checked.value == "Thôn 10, xã Nghi Trung, huyện Nghi Lộc, tỉnh Nghệ An"
    assert check_address("Số 5, phường Mân Thái, quận Sơn Trà, TP. Đà Năng").value.endswith(
        "TP. Đà Nẵng"
    )


def test_a_repair_that_does_not_make_the_address_check_is_not_made() -> None:
    checked = check_address("Thôn 10, xã Nghi Trung, huyện Nghỉ Lộc, tỉnh Quảng Ninh")
    assert not checked.ok and not checked.repaired


def test_a_worker_builds_both_schemes_before_its_first_address() -> None:
    admin_units.load_units()
    assert admin_units.old_units.cache_info().currsize == 1
    assert admin_units.new_units.cache_info().currsize == 1
    assert len(admin_units.old_units().provinces) == 63
    assert len(admin_units.new_units().provinces) == 34
