"""The extra layout families of the identity card, the business and the land-use certificates.

Field extraction is tuned on some families and scored on others, so each family must print the
kind's fields exactly as its ground truth says, stay the same for a seed, differ from the default
in what a field locator sees (labels, where values sit, how they wrap), and stay readable.
"""

from __future__ import annotations

import random
import re
import unicodedata

import numpy as np
import pytest

from samples import RenderedDocument, render_document
from samples.families import family_names
from samples.land_certificates import area_words
from samples.procedures import procedure_for, random_case
from samples.render import compose_document

# Each new family with the page counts it has.
NEW_FAMILIES = {
    ("cccd", "can_cuoc_2024"): (1,),
    ("cccd", "barcode_2016"): (1,),
    ("dang_ky_doanh_nghiep", "ruled_table"): (1, 2),
    ("dang_ky_doanh_nghiep", "margin_notes"): (1, 2),
    ("quyen_su_dung_dat", "form_2024"): (1,),
    ("quyen_su_dung_dat", "form_2004"): (1,),
}
CASES = [
    (kind, family, pages) for (kind, family), counts in NEW_FAMILIES.items() for pages in counts
]
SEEDS = range(8)
OPTIONAL_FIELDS = {"co_owner_name"}  # only couples' land certificates have it
CARD_SIZE = (1011, 638)  # 85.6 × 54 mm at 300 dpi


def flat_text(document: RenderedDocument) -> str:
    """All drawn text on one line, so values wrapped over lines can be found."""
    return " ".join(line for page in document.pages for line in page.lines)


def all_lines(document: RenderedDocument) -> list[str]:
    return [line for page in document.pages for line in page.lines]


def issue_year(lines: list[str], signer: str) -> int:
    """The year of the "<place>, ngày dd tháng mm năm yyyy" line above the signer's role."""
    dated = lines[lines.index(signer) - 1]
    assert re.fullmatch(r"[^,]+, ngày \d\d tháng \d+ năm \d{4}", dated), dated
    return int(dated[-4:])


def test_the_families_are_registered_after_the_defaults() -> None:
    for kind in ("cccd", "dang_ky_doanh_nghiep", "quyen_su_dung_dat"):
        names = family_names(kind)
        assert names[1:] == tuple(family for k, family in NEW_FAMILIES if k == kind)


@pytest.mark.parametrize(("kind", "family", "pages"), CASES)
def test_family_prints_the_kinds_fields_as_recorded(kind: str, family: str, pages: int) -> None:
    default_keys = render_document(kind, seed=0).fields.keys() - OPTIONAL_FIELDS
    for seed in SEEDS:
        document = render_document(kind, seed=seed, pages=pages, family=family)
        assert document.family == family and len(document.pages) == pages
        assert document.fields.keys() - OPTIONAL_FIELDS == default_keys
        for page in document.pages:
            assert page.image.mode == "L" and page.image.info["dpi"] == (300, 300)
            assert np.asarray(page.image).min() == 0
            assert all(line and line == unicodedata.normalize("NFC", line) for line in page.lines)
            assert all(line == " ".join(line.split()) for line in page.lines)
        text = flat_text(document)
        for name, value in document.fields.items():
            assert value and value in text, f"{family} seed {seed}: {name}={value!r} not drawn"


@pytest.mark.parametrize(("kind", "family", "pages"), CASES)
def test_same_seed_same_pixels(kind: str, family: str, pages: int) -> None:
    first = render_document(kind, seed=3, pages=pages, family=family)
    second = render_document(kind, seed=3, pages=pages, family=family)
    assert [p.image.tobytes() for p in first.pages] == [p.image.tobytes() for p in second.pages]
    assert first.text == second.text and first.fields == second.fields
    assert render_document(kind, seed=4, pages=pages, family=family).text != first.text


def label_context(document: RenderedDocument, name: str) -> tuple[str, str]:
    """What a field locator sees around field ``name``: the text before its value on the line
    (the line above when the value starts a line) and the text after it on the line."""
    lines, value = all_lines(document), document.fields[name]
    start = re.compile(rf"(?<!\w){re.escape(value[:12])}")
    index, found = next((i, match) for i, line in enumerate(lines) if (match := start.search(line)))
    line = lines[index]
    before = line[: found.start()].strip() or (lines[index - 1] if index else "")
    return before, line[found.start() + len(value) :].strip() if value in line else ""


@pytest.mark.parametrize(("kind", "family"), list(NEW_FAMILIES))
def test_family_differs_from_the_default_for_the_same_case(kind: str, family: str) -> None:
    case = random_case(random.Random(f"compare/{kind}"), procedure_for(kind))
    default = compose_document(kind, random.Random(1), case)
    other = compose_document(kind, random.Random(1), case, family=family)
    assert other.family == family and default.family == family_names(kind)[0]
    assert other.pages[0].image.tobytes() != default.pages[0].image.tobytes()
    # The same facts, most of them labelled or placed differently.
    same = [
        name
        for name in other.fields
        if name in default.fields and label_context(other, name) == label_context(default, name)
    ]
    assert len(same) < len(other.fields) / 2, same


@pytest.mark.parametrize("family", ["can_cuoc_2024", "barcode_2016"])
def test_cards_keep_the_real_size_and_one_page(family: str) -> None:
    default = render_document("cccd", seed=1)
    document = render_document("cccd", seed=1, family=family)
    assert document.pages[0].image.size == default.pages[0].image.size
    assert CARD_SIZE <= document.pages[0].image.size < (1200, 800)
    with pytest.raises(ValueError):
        render_document("cccd", seed=1, pages=2, family=family)


def test_2024_card_has_bilingual_labels_and_sex_beside_nationality() -> None:
    for seed in SEEDS:
        document = render_document("cccd", seed=seed, family="can_cuoc_2024")
        lines, fields = all_lines(document), document.fields
        assert lines[2:4] == ["CĂN CƯỚC", "IDENTITY CARD"]
        number_label = lines.index("Số định danh cá nhân / Personal identification number:")
        assert lines[number_label + 1] == fields["cccd_number"]
        name_label = lines.index("Họ, chữ đệm và tên khai sinh / Surname, middle and given name:")
        assert lines[name_label + 1] == fields["full_name"]
        assert f"Ngày, tháng, năm sinh / Date of birth: {fields['date_of_birth']}" in lines
        shared = (
            f"Giới tính / Sex: {fields['sex']} Quốc tịch / Nationality: {fields['nationality']}"
        )
        assert shared in lines
        origin = lines.index("Nơi đăng ký khai sinh / Place of birth:")
        assert lines[origin + 1].startswith(fields["place_of_origin"].split(",")[0])
        assert "Nơi cư trú / Place of residence:" in lines
        assert lines[-1] == f"Có giá trị đến / Date of expiry: {fields['date_of_expiry']}"


def test_2016_card_has_vietnamese_labels_with_values_on_their_line() -> None:
    wrapped = 0
    for seed in range(20):
        document = render_document("cccd", seed=seed, family="barcode_2016")
        lines, fields = all_lines(document), document.fields
        assert "CĂN CƯỚC CÔNG DÂN" in lines
        assert f"Số: {fields['cccd_number']}" in lines
        assert f"Họ và tên: {fields['full_name']}" in lines
        assert f"Ngày, tháng, năm sinh: {fields['date_of_birth']}" in lines
        assert f"Giới tính: {fields['sex']}" in lines
        assert f"Quốc tịch: {fields['nationality']}" in lines
        assert not any(" / " in line for line in lines)  # no English beside the labels
        residence = next(i for i, line in enumerate(lines) if line.startswith("Nơi thường trú: "))
        value = fields["place_of_residence"]
        if not lines[residence].endswith(value):
            wrapped += 1
            assert value.startswith(lines[residence].removeprefix("Nơi thường trú: "))
            assert value.endswith(lines[residence + 1])  # continued at the column's left edge
        assert lines[-1] == f"Có giá trị đến: {fields['date_of_expiry']}"
    assert wrapped > 0


@pytest.mark.parametrize("pages", [1, 2])
def test_ruled_table_numbers_its_rows(pages: int) -> None:
    document = render_document("dang_ky_doanh_nghiep", seed=2, pages=pages, family="ruled_table")
    lines, fields = all_lines(document), document.fields
    rows = [line for line in lines if re.match(r"\d+\. ", line)]
    assert [int(row.split(".")[0]) for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].startswith("1. Tên doanh nghiệp viết bằng tiếng Việt ")
    assert fields["enterprise_name"] in " ".join(lines[lines.index(rows[0]) : lines.index(rows[1])])
    assert f"Mã số doanh nghiệp {fields['enterprise_code']}" in " ".join(rows)
    number = fields["legal_representative_cccd"]
    assert any(row.endswith(f". Số định danh cá nhân {number}") for row in rows)
    representative = f"Người đại diện theo pháp luật {fields['legal_representative']}"
    assert document.pages[-1].lines[0].endswith(representative) == (pages == 2)


def test_margin_notes_cites_its_law_and_wraps_to_the_margin() -> None:
    wrapped = 0
    for seed in range(12):
        document = render_document("dang_ky_doanh_nghiep", seed=seed, family="margin_notes")
        lines, fields = all_lines(document), document.fields
        # The agency's block and the motto's, side by side, recorded row by row.
        assert lines[0] == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        assert lines[1].endswith(" Độc lập - Tự do - Hạnh phúc")
        assert lines[2] == "PHÒNG ĐĂNG KÝ KINH DOANH"
        code = lines.index(f"Mã số doanh nghiệp: {fields['enterprise_code']}")
        bases = [line for line in lines[:code] if line.startswith("Căn cứ ")]
        assert len(bases) >= 2
        years = [int(year) for year in re.findall(r"năm (\d{4})", " ".join(lines[:code]))]
        assert max(years) <= issue_year(lines, "TRƯỞNG PHÒNG")  # nothing signed after the day
        assert lines[code + 1] == f"Đăng ký lần đầu, {fields['first_registration_date']}"
        office = next(i for i, line in enumerate(lines) if line.startswith("2. Địa chỉ trụ sở"))
        if lines[office] != f"2. Địa chỉ trụ sở chính: {fields['head_office']}":
            wrapped += 1
            assert f"{lines[office]} {lines[office + 1]}".endswith(fields["head_office"])
        assert f"Họ và tên: {fields['legal_representative']}" in lines
        assert any(line.startswith("Ghi chú: ") for line in lines[-3:])
    assert wrapped > 0
    two = render_document("dang_ky_doanh_nghiep", seed=1, pages=2, family="margin_notes")
    assert two.pages[1].lines[0] == "4. Người đại diện theo pháp luật của doanh nghiệp"


def test_form_2024_puts_the_parcel_in_a_table() -> None:
    couples = 0
    for seed in range(16):
        document = render_document("quyen_su_dung_dat", seed=seed, family="form_2024")
        lines, fields = all_lines(document), document.fields
        assert lines[2:4] == [
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT,",
            "QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT",
        ]
        assert f"Người sử dụng đất {fields['owner_names']}" in lines
        assert f"Thửa đất số {fields['parcel_number']}" in lines
        assert f"Tờ bản đồ số {fields['map_sheet_number']}" in lines
        assert f"Diện tích {fields['area']}" in lines
        assert any(line.startswith("Địa chỉ thửa đất ") for line in lines)
        assert lines[-1] == f"Số seri: {fields['certificate_serial']}"
        # From August 2024, or a month before a filing made before the form could be issued.
        assert issue_year(lines, "TM. ỦY BAN NHÂN DÂN") >= 2023
        if "co_owner_name" in fields:
            couples += 1
            assert f"Người cùng sử dụng đất {fields['co_owner_name']}" in lines
    assert 0 < couples < 16


def test_form_2004_puts_parcel_and_map_sheet_on_one_line() -> None:
    couples = 0
    for seed in range(16):
        document = render_document("quyen_su_dung_dat", seed=seed, family="form_2004")
        lines, fields = all_lines(document), document.fields
        assert lines[2:4] == [
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
            f"Số phát hành: {fields['certificate_serial']}",
        ]
        committee = next(i for i, line in enumerate(lines) if line.startswith("ỦY BAN NHÂN DÂN "))
        assert lines[committee + 1].startswith("Căn cứ Luật Đất đai số 13/2003/QH11 ")
        parcel, sheet = fields["parcel_number"], fields["map_sheet_number"]
        one_line = f"Thửa đất số: {parcel}; Tờ bản đồ số: {sheet}"
        assert one_line in lines
        address = lines.index(one_line) + 1
        assert f"{lines[address]} {lines[address + 1]}".startswith(f"Địa chỉ: {fields['address']}")
        area = next(i for i, line in enumerate(lines) if line.startswith("Diện tích: "))
        in_words = f"Diện tích: {fields['area']} (Bằng chữ: {area_words(fields['area'])})"
        assert in_words in (lines[area], f"{lines[area]} {lines[area + 1]}")
        year = issue_year(lines, "TM. ỦY BAN NHÂN DÂN")
        assert 2004 <= year <= 2009
        owner = next(line for line in lines if line.endswith(f": {fields['owner_names']}"))
        assert owner.split(":")[0] in ("Hộ ông", "Hộ bà", "Ông", "Bà")
        born = [int(line[10:14]) for line in lines if line.startswith("Sinh năm: ")]
        assert all(birth <= year for birth in born)
        if "co_owner_name" in fields:
            couples += 1
            assert owner.startswith("Hộ ")
            assert f"Vợ: {fields['co_owner_name']}" in lines or (
                f"Chồng: {fields['co_owner_name']}" in lines
            )
    assert 0 < couples < 16


def test_area_words() -> None:
    assert area_words("1.250,5 m²") == "một nghìn hai trăm năm mươi phẩy năm mét vuông"
    assert area_words("86 m²") == "tám mươi sáu mét vuông"


@pytest.mark.parametrize(("kind", "family"), list(NEW_FAMILIES))
def test_page_counts_a_family_does_not_have_are_refused(kind: str, family: str) -> None:
    too_many = max(NEW_FAMILIES[kind, family]) + 1
    with pytest.raises(ValueError):
        render_document(kind, seed=1, pages=too_many, family=family)
