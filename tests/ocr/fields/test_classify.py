"""Classification of documents by their declared phrases."""

from __future__ import annotations

import pytest

from ocr.fields.classify import UNKNOWN, classify, plain
from ocr.fields.doctypes import load_document_types
from samples import DOCUMENT_KINDS, render_document

TYPES = load_document_types()


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_generated_document_is_its_type(kind: str, seed: int) -> None:
    page = render_document(kind, seed=seed).pages[0]
    assert classify("\n".join(page.lines), TYPES).name == kind


def test_ocr_slips_in_the_title_still_classify() -> None:
    text = "CONG HOA XA HOI CHU NGHIA VIET NAM\nGIAY CHUNG NHẠN ĐĂNG KY DOANH NGHIỆP\n"
    result = classify(text, TYPES)
    assert result.name == "dang_ky_doanh_nghiep"
    assert result.score >= 90


def test_a_land_certificate_is_recognised() -> None:
    text = (
        "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT\nGIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở"
    )
    assert classify(text, TYPES).name == "quyen_su_dung_dat"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
    ],
)
def test_anything_else_is_unknown(text: str) -> None:
    result = classify(text, TYPES)
    assert result.name == UNKNOWN and result.phrase is None


def test_plain_drops_diacritics_and_case() -> None:
    assert plain("  Đơn  đề nghị ") == "DON DE NGHI"


def test_a_title_split_over_two_lines_is_still_the_title() -> None:
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY CHỨNG\nNHẬN QUYỀN SỬ DỤNG ĐẤT,\n"
    assert classify(text, TYPES).name == "quyen_su_dung_dat"
