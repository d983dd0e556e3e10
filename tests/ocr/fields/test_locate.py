"""Finding field values by their labels on real OCR output of generated documents."""

from __future__ import annotations

import pytest

from ocr.engine import make_engine
from ocr.fields.doctypes import load_document_types
from ocr.fields.locate import locate_fields
from ocr.words import PageText, Word
from samples import DOCUMENT_KINDS, render_document

TYPES = load_document_types()
KEY_FIELDS = {
    "cccd": "cccd_number",
    "don_de_nghi": "cccd_number",
    "dang_ky_doanh_nghiep": "enterprise_code",
    "khai_sinh": "registration_number",
    "quyen_su_dung_dat": "certificate_serial",
}


def line(texts: str, number: int, paragraph: int = 1) -> list[Word]:
    return [
        Word(text, 95.0, 100 + 80 * i, 75 * number, 70, 50, 1, paragraph, number)
        for i, text in enumerate(texts.split())
    ]


@pytest.mark.slow
@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_printed_values_are_found_beside_their_labels(kind: str) -> None:
    engine = make_engine()
    document = render_document(kind, seed=7)
    pages = [engine.recognize(page.image, dpi=300) for page in document.pages]
    found = locate_fields(pages, TYPES[kind])
    exact = [name for name, value in document.fields.items() if found.get(name, None)
             and found[name].raw == value]  # fmt: skip
    assert len(exact) >= 0.75 * len(document.fields), (exact, found)
    assert found[KEY_FIELDS[kind]].raw == document.fields[KEY_FIELDS[kind]]
    for located in found.values():
        page = pages[located.page - 1]
        left, top, width, height = located.box
        assert 0 <= left <= left + width <= page.width
        assert 0 <= top <= top + height <= page.height
        assert located.word_confidences and located.label_score >= 85


def test_the_longer_label_owns_its_line_and_wrapped_values_continue() -> None:
    words = [
        *line("Họ, chữ đệm, tên: NGUYỄN AN", 1, paragraph=1),
        *line("Họ, chữ đệm, tên người mẹ: TRẦN THỊ", 2, paragraph=2),
        *line("BÍCH NGỌC", 3, paragraph=2),
        *line("Giới tính: Nam", 4, paragraph=3),
    ]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["khai_sinh"])
    assert found["full_name"].raw == "NGUYỄN AN"
    assert found["mother_name"].raw == "TRẦN THỊ BÍCH NGỌC"
    assert found["sex"].raw == "Nam"
    assert "father_name" not in found


def test_a_value_known_by_its_shape_is_found_anywhere() -> None:
    words = line("Hà Nội, ngày 5 tháng 3 năm 2021", 1)
    found = locate_fields([PageText(2000, 1000, words)], TYPES["don_de_nghi"])
    assert found["date_signed"].raw == "ngày 5 tháng 3 năm 2021"


def test_a_value_ending_in_a_comma_continues_on_the_next_paragraph() -> None:
    words = [
        *line("Nơi đăng ký khai sinh: Ủy ban nhân dân phường Dư Hàng,", 1, paragraph=1),
        *line("TP. Hải Phòng", 2, paragraph=2),
    ]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["khai_sinh"])
    assert found["registration_place"].raw == "Ủy ban nhân dân phường Dư Hàng, TP. Hải Phòng"


def test_a_numbered_label_matches_in_full() -> None:
    words = [
        *line("2. Địa chỉ trụ sở chính", 1, paragraph=1),
        *line("Số 12, đường Lê Lợi, TP. Huế", 2, paragraph=2),
        *line("3. Vốn điều lệ", 3, paragraph=3),
    ]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["dang_ky_doanh_nghiep"])
    assert found["head_office"].raw == "Số 12, đường Lê Lợi, TP. Huế"
    assert found["head_office"].label_score == 100


def test_lines_are_followed_down_the_page_not_in_block_order() -> None:
    """A speck can make tesseract put a value's first line in a later block."""
    words = [
        *line("Nơi thường trú / Place of residence:", 1),
        Word("quận", 95.0, 100, 225, 70, 50, 5, 1, 1),
        Word("Ba", 95.0, 180, 225, 70, 50, 5, 1, 1),
        Word("Đình", 95.0, 260, 225, 70, 50, 5, 1, 1),
        Word("Số", 95.0, 100, 150, 70, 50, 6, 1, 1),
        Word("12,", 95.0, 180, 150, 70, 50, 6, 1, 1),
    ]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["cccd"])
    assert found["place_of_residence"].raw == "Số 12, quận Ba Đình"


def test_a_page_turned_a_quarter_is_read_down_its_lines() -> None:
    """Words come in the scan's coordinates: on a page turned 90° clockwise, a line runs down
    the image and the next line is to its left."""
    upright = [*line("Nơi thường trú / Place of residence:", 1), *line("Số 12, quận Ba Đình", 2)]
    turned = [
        Word(w.text, w.confidence, 2000 - w.top - w.height, w.left, w.height, w.width, *w_layout)
        for w in upright
        for w_layout in [(w.block, w.paragraph, w.line)]
    ]
    found = locate_fields([PageText(2000, 2000, turned)], TYPES["cccd"])
    assert found["place_of_residence"].raw == "Số 12, quận Ba Đình"


def test_a_value_does_not_reach_across_a_blank_stretch() -> None:
    words = [*line("Nơi thường trú / Place of residence:", 1), *line("Số 12, quận Ba Đình", 5)]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["cccd"])
    assert "place_of_residence" not in found


def test_a_short_label_is_a_whole_word() -> None:
    words = [*line("Bản đồ địa chính số 12", 1), *line("Bà: TRẦN THỊ BÌNH", 2)]
    found = locate_fields([PageText(2000, 1000, words)], TYPES["quyen_su_dung_dat"])
    assert found["owner_names"].raw == "TRẦN THỊ BÌNH"


def test_the_rest_of_a_misread_label_is_not_the_value() -> None:
    words = line("Quốc tịch / Nationaiity: Việt Nam", 1)
    found = locate_fields([PageText(2000, 1000, words)], TYPES["cccd"])
    assert found["nationality"].raw == "Việt Nam"


def test_a_label_that_only_begins_a_longer_one_does_not_own_its_line() -> None:
    words = [
        *line("Địa chỉ thường trú: Số 3, đường Lê Lợi, TP. Huế", 1),
        *line("Địa chỉ: Thôn 2, xã Phú Thượng, huyện Phú Vang, tỉnh Thừa Thiên Huế", 2),
    ]
    found = locate_fields([PageText(4000, 1000, words)], TYPES["quyen_su_dung_dat"])
    assert found["address"].raw.startswith("Thôn 2")


def test_two_fields_on_one_line_are_read_apart() -> None:
    words = [
        *line("Thửa đất số: 207; Tờ bản đồ số: 84", 1),
        *line("Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam", 3),
    ]
    land = locate_fields([PageText(4000, 1000, words)], TYPES["quyen_su_dung_dat"])
    assert (land["parcel_number"].raw, land["map_sheet_number"].raw) == ("207", "84")
    card = locate_fields([PageText(4000, 1000, words)], TYPES["cccd"])
    assert (card["sex"].raw, card["nationality"].raw) == ("Nam", "Việt Nam")
