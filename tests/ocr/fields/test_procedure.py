"""The requested procedure against the real catalogue file shipped with the package."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from ocr.fields.procedure import (
    CATALOGUE,
    FOUND,
    CatalogueError,
    check_procedure,
    core,
    load_catalogue,
)

# The procedures the sample generator files for (samples/procedures.py), by the code they have
# in the national catalogue.
GENERATED = {
    "Đăng ký thành lập hộ kinh doanh": "1.001612",
    "Cấp bản sao trích lục khai sinh": "2.000635",
    "Đăng ký thường trú": "1.004222",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ": "1.013225",
}


@pytest.mark.parametrize(("raw", "code"), sorted(GENERATED.items()))
def test_the_generators_procedures_are_found(raw: str, code: str) -> None:
    checked = check_procedure(raw)
    assert checked.ok, checked.problems
    assert checked.details["code"] == code
    assert checked.details["reason"] == FOUND


def test_exact_name_gives_the_catalogue_entry() -> None:
    checked = check_procedure("Đăng ký thành lập hộ kinh doanh")
    assert checked.value == "Đăng ký thành lập hộ kinh doanh"
    assert checked.details == {
        "code": "1.001612",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "level": "commune",
        "sector": "Đăng ký kinh doanh",
        "match": "100",
        "reason": FOUND,
    }


def test_value_is_the_catalogue_wording_even_for_an_alias() -> None:
    checked = check_procedure("Cấp bản sao trích lục khai sinh")
    assert checked.value == "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"


@pytest.mark.parametrize(
    "raw",
    [
        "Đề nghị đăng ký thường trú cho tôi.",
        "đăng ký thường trú",
        "ĐĂNG KÝ THƯỜNG TRÚ",
        "Xin đăng ký thường trú cho gia đình tôi",
        "Thủ tục đăng ký thường trú.",
    ],
)
def test_words_around_the_name_are_set_aside(raw: str) -> None:
    checked = check_procedure(raw)
    assert checked.ok and checked.details["code"] == "1.004222"
    assert checked.details["match"] == "100"


def test_catalogue_prefix_thu_tuc_is_optional() -> None:
    assert check_procedure("Đăng ký khai sinh").details["code"] == "1.001193"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Dang ky thuong tru", "1.004222"),  # every diacritic dropped
        ("Đăng ký thưòng trú", "1.004222"),  # a mark misread
        ("Đăng ký tbường trú", "1.004222"),  # h read as b
        ("Đăng kí thường trú", "1.004222"),  # ý read as í, then i
        ("Đăng ký lạl khai sinh", "1.004884"),  # i read as l
        ("Đăng ký thanh lập hộ kinh doạnh", "1.001612"),
    ],
)
def test_misreads_still_match(raw: str, code: str) -> None:
    checked = check_procedure(raw)
    assert checked.ok, checked.problems
    assert checked.details["code"] == code


def test_a_letter_wrong_lowers_the_match_score() -> None:
    assert int(check_procedure("Đăng ký tbường trú").details["match"]) < 100


@pytest.mark.parametrize(
    "raw",
    [
        "Đăng ký thường trú. Căn cứ Nghị định số 62/2021/NĐ-CP ngày 29/6/2021 của Chính phủ",
        "Đăng ký thành lập hộ kinh doanh theo Nghị định số 01/2021/NĐ-CP. Tôi cam kết",
    ],
)
def test_a_value_that_ran_on_into_body_text_does_not_match(raw: str) -> None:
    checked = check_procedure(raw)
    assert not checked.ok
    assert checked.problems[0].startswith("matches no procedure in the catalogue")
    assert "code" not in checked.details


def test_a_sibling_procedure_is_not_taken_for_another() -> None:
    assert check_procedure("Đăng ký tạm trú").details["code"] == "1.004194"
    assert check_procedure("Đăng ký lại khai sinh").details["code"] == "1.004884"
    assert check_procedure("Xóa đăng ký thường trú").details["code"] == "1.003197"


@pytest.mark.parametrize(
    "raw",
    [
        "Cấp hộ chiếu phổ thông",
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",  # no single catalogue procedure
        "Cấp lại Giấy chứng nhận",  # which certificate?
    ],
)
def test_unknown_procedure_goes_to_review(raw: str) -> None:
    checked = check_procedure(raw)
    assert checked.value == raw
    assert not checked.ok
    assert checked.problems[0].startswith("matches no procedure in the catalogue")


def test_closest_entry_is_named_for_a_near_miss() -> None:
    problem = check_procedure("Cấp lại Giấy chứng nhận").problems[0]
    assert "closest: 'Cấp lại Giấy chứng nhận do bị mất'" in problem


def test_a_value_between_two_entries_is_ambiguous() -> None:
    checked = check_procedure("Đăng ký lại khai")  # ... sinh or ... tử?
    assert checked.problems == (
        "ambiguous between 'Đăng ký lại khai tử' and 'Thủ tục đăng ký lại khai sinh'",
    )
    assert "reason" not in checked.details


def test_empty_value() -> None:
    assert check_procedure("  \n ").problems == ("empty procedure",)


def test_core_folds_and_strips_the_request_words() -> None:
    assert core("Đề nghị đăng ký thường trú cho tôi.") == "dang ky thuong tru"
    assert core("Thủ tục đăng ký khai sinh") == "dang ky khai sinh"


# --- the catalogue file itself ---


def test_catalogue_is_shipped_beside_the_module() -> None:
    assert CATALOGUE.name == "procedures.yaml"
    assert CATALOGUE.parent == Path(check_procedure.__code__.co_filename).parent


def test_codes_are_unique_and_well_formed() -> None:
    codes = [procedure.code for procedure in load_catalogue().procedures]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[1-3]\.\d{6}", code) for code in codes)


def test_no_wording_belongs_to_two_entries() -> None:
    owners: dict[str, str] = {}
    for procedure in load_catalogue().procedures:
        for wording in procedure.wordings:
            assert owners.setdefault(core(wording), procedure.code) == procedure.code


def test_every_entry_is_found_by_its_own_name() -> None:
    for procedure in load_catalogue().procedures:
        checked = check_procedure(procedure.name)
        assert checked.ok, (procedure.code, checked.problems)
        assert checked.details["code"] == procedure.code


def test_header_counts_match_the_entries() -> None:
    """The file's header says how many entries it has per sector; keep it true."""
    header = CATALOGUE.read_text(encoding="utf-8").split("procedures:")[0]
    procedures = load_catalogue().procedures
    assert f"Covers {len(procedures)} procedures" in header
    for sector in {procedure.sector for procedure in procedures}:
        count = sum(procedure.sector == sector for procedure in procedures)
        assert f"{sector} {count}" in header, sector


def _write(tmp_path: Path, entries: Sequence[Mapping[str, object]]) -> Path:
    path = tmp_path / "procedures.yaml"
    data = {"procedures": [dict(entry) for entry in entries]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_malformed_entry_is_named_with_the_file(tmp_path: Path) -> None:
    entries = [
        {"code": "1.004222", "name": "Đăng ký thường trú", "level": "commune", "sector": "Cư trú"},
        {"code": "1.4194", "name": "Đăng ký tạm trú", "level": "commune", "sector": "Cư trú"},
    ]
    path = _write(tmp_path, entries)
    with pytest.raises(
        CatalogueError, match=r"procedures\.yaml: procedures\[1\] \(1\.4194\)\.code"
    ):
        load_catalogue(path)


def test_unknown_level_is_refused(tmp_path: Path) -> None:
    entry = {"code": "1.004222", "name": "Đăng ký thường trú", "level": "district", "sector": "X"}
    with pytest.raises(CatalogueError, match=r"procedures\[0\] \(1\.004222\)\.level"):
        load_catalogue(_write(tmp_path, [entry]))


def test_a_code_twice_is_refused(tmp_path: Path) -> None:
    entry = {"code": "1.004222", "name": "Đăng ký thường trú", "level": "commune", "sector": "X"}
    other = {**entry, "name": "Xóa đăng ký thường trú"}
    with pytest.raises(CatalogueError, match=r"1\.004222"):
        load_catalogue(_write(tmp_path, [entry, other]))


def test_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "procedures.yaml"
    path.write_text("procedures: [unclosed", "utf-8")
    with pytest.raises(CatalogueError, match=r"procedures\.yaml"):
        load_catalogue(path)
