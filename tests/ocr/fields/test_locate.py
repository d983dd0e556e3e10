"""Finding field values by their labels on real OCR output of generated documents."""

from __future__ import annotations

import pytest

from ingest.samples import DOCUMENT_KINDS, render_document
from ocr.engine import make_engine
from ocr.fields.doctypes import load_document_types
from ocr.fields.locate import locate_fields
from ocr.words import PageText, Word

TYPES = load_document_types()
KEY_FIELDS = {
    "cccd": "cccd_number",
    "don_de_nghi": "cccd_number",
    "dang_ky_doanh_nghiep": "enterprise_code",
    "khai_sinh": "registration_number",
}


def line(texts: str, number: int, paragraph: int = 1) -> list[Word]:
    return [
        Word(text, 95.0, 100 + 80 * i, 100 * number, 70, 30, 1, paragraph, number)
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
