"""Where a value starts and stops: the location rules, on pages laid out word by word."""

from __future__ import annotations

from ocr.fields.doctypes import load_document_types
from ocr.fields.extent import EXTENT_DOUBT, in_citation, in_signing_block
from ocr.fields.extract import extract_fields
from ocr.fields.lines import lines_of
from ocr.fields.locate import Located, locate_fields
from ocr.words import PageText, Word

TYPES = load_document_types()
LEFT, RIGHT, HEIGHT, LETTER = 300, 2200, 40, 22  # text column and type metrics, in pixels


class Page:
    """Lines set like a typed form: words as wide as their letters, one line every 60 px."""

    def __init__(self, lean: float = 0.0) -> None:
        self.words: list[Word] = []
        self.row = 0
        self.block = 0
        self.lean = lean  # pixels down per pixel across, as a leaning scan's rows drop

    def line(self, text: str, x: int = LEFT, paragraph: bool = False, y: int | None = None) -> int:
        """Set ``text`` from ``x``; a new tesseract block unless ``paragraph`` continues one.
        Returns the x where the text ended."""
        if not paragraph:
            self.block += 1
        self.row += 1
        top = y if y is not None else 100 + 60 * self.row
        for word in text.split():
            width = LETTER * len(word)
            y = round(top + self.lean * (x - LEFT))
            self.words.append(Word(word, 96.0, x, y, width, HEIGHT, self.block, 1, self.row))
            x += width + LETTER
        return x - LETTER

    @staticmethod
    def after(label: str) -> int:
        """The x where a value set after ``label`` on a line starts."""
        return LEFT + sum((len(word) + 1) * LETTER for word in label.split())

    def text(self) -> list[PageText]:
        return [PageText(2480, 3508, self.words)]


def reasons_of(located: Located) -> list[str]:
    return [("+ " if reason.supports else "- ") + reason.text for reason in located.evidence]


def with_ruler(page: Page) -> None:
    """A full-width line, as body text has, so the page's right edge is where typing stops."""
    page.line("Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật và chịu trách nhiệm")


def test_a_request_stops_where_its_line_stops_and_not_in_the_next_paragraph() -> None:
    page = Page()
    with_ruler(page)
    page.line("Nội dung đề nghị: Đăng ký thành lập hộ kinh doanh")
    page.line("Căn cứ Nghị định số 01/2021/NĐ-CP ngày 04 tháng 01 năm 2021 của", paragraph=True)
    page.line("Chính phủ về đăng ký doanh nghiệp;", paragraph=True)
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert found["procedure"].raw == "Đăng ký thành lập hộ kinh doanh"


def test_a_value_that_runs_past_a_sentence_end_is_doubted() -> None:
    page = Page()
    with_ruler(page)
    page.line("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ THƯỜNG TRÚ")
    page.line("Nội dung đề nghị: Đăng ký thường trú. Kính đề nghị cơ quan xem xét giải quyết")
    page.line("Số điện thoại: 0912345678")
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert "- ran past a sentence end" in reasons_of(found["procedure"])
    extraction = extract_fields(page.text(), TYPES)
    procedure = next(field for field in extraction.fields if field.name == "procedure")
    assert not procedure.accepted
    assert procedure.confidence <= 0.96 * EXTENT_DOUBT


def test_a_wrapped_address_is_read_whole_not_only_its_tail() -> None:
    page = Page()
    with_ruler(page)
    page.line("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP")
    page.line("Địa chỉ trụ sở chính: Số 5, đường Trần Hưng Đạo, phường Hồng Gai, thành phố Hạ")
    page.line("Long, tỉnh Quảng Ninh", paragraph=True)
    page.line("Điện thoại: 0203 3825 111")
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert found["head_office"].raw == (
        "Số 5, đường Trần Hưng Đạo, phường Hồng Gai, thành phố Hạ Long, tỉnh Quảng Ninh"
    )
    assert "+ ended where the next item starts" in reasons_of(found["head_office"])


def test_a_value_starting_in_mid_sentence_is_only_a_tail() -> None:
    page = Page()
    with_ruler(page)
    page.line("2. Địa chỉ trụ sở chính")
    page.line("tỉnh Quảng Ninh")
    page.line("Điện thoại: 0203 3825 111")
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert "- starts in mid-sentence: only the tail of a wrapped line" in reasons_of(
        found["head_office"]
    )


def test_a_left_margin_continuation_is_taken_after_a_full_line() -> None:
    page = Page()
    with_ruler(page)
    page.line("Nơi thường trú: Số 18, đường Nguyễn Văn Cừ, phường Ninh Xá, thành phố Bắc")
    page.line("Ninh, tỉnh Bắc Ninh")
    page.line("Số điện thoại: 0912345678")
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert found["address"].raw == (
        "Số 18, đường Nguyễn Văn Cừ, phường Ninh Xá, thành phố Bắc Ninh, tỉnh Bắc Ninh"
    )


def test_a_continuation_unlike_the_pages_other_values_is_doubted() -> None:
    page = Page()
    with_ruler(page)
    page.line("Họ và tên: NGUYỄN VĂN AN")
    page.line("Nơi thường trú: Số 18, đường Nguyễn Văn Cừ, phường Ninh Xá, thành phố Bắc")
    page.line("Ninh, tỉnh Bắc Ninh", x=page.after("Nơi thường trú:"), paragraph=True)
    page.line("Kính gửi: Ủy ban nhân dân phường Ninh Xá, thành phố Bắc Ninh, tỉnh Bắc Ninh,")
    page.line("Sở Kế hoạch và Đầu tư", x=page.after("Kính gửi:"), paragraph=True)
    page.line("Nội dung đề nghị: Đăng ký thành lập hộ kinh doanh, ngành nghề bán lẻ hàng hóa,")
    page.line("thực phẩm và đồ uống", paragraph=True)
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert found["procedure"].raw.endswith("thực phẩm và đồ uống")
    assert any("where this page's values continue under the value" in reason
               for reason in reasons_of(found["procedure"]))  # fmt: skip
    assert not any("where this page" in reason for reason in reasons_of(found["address"]))


def test_a_value_cut_at_a_blank_after_a_running_line_is_doubted() -> None:
    page = Page()
    with_ruler(page)
    page.line("Nơi thường trú: Số 18, đường Nguyễn Văn Cừ, phường Ninh Xá, thành phố Bắc")
    page.row += 4  # a blank, then text of another part of the form
    page.line("Ninh, tỉnh Bắc Ninh")
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert "- stopped at a blank after a line that was still running" in reasons_of(
        found["address"]
    )


def test_the_signing_date_is_the_signing_blocks_not_a_cited_decrees() -> None:
    page = Page()
    with_ruler(page)
    page.line("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ THƯỜNG TRÚ")
    page.line("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ;")
    page.line("Hà Nội, ngày 05 tháng 3 năm 2025", x=1300)
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert found["date_signed"].raw == "ngày 05 tháng 3 năm 2025"
    assert "+ in a signing block (place, date)" in reasons_of(found["date_signed"])


def test_a_date_found_only_in_a_citation_is_no_signing_date() -> None:
    page = Page()
    page.line("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ;")
    page.line("Ngày 08 tháng 4 năm 2020 nêu trên", paragraph=True)
    found = locate_fields(page.text(), TYPES["don_de_nghi"])
    assert "- not in a signing block" in reasons_of(found["date_signed"])
    assert in_citation("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08", 31)
    assert in_signing_block("Thành phố Hồ Chí Minh, ngày 1 tháng 2 năm 2025", 23)
    assert not in_signing_block("Tôi sinh ngày 1 tháng 2 năm 2000", 9)


def test_a_value_in_the_table_cell_beside_its_label() -> None:
    page = Page()
    with_ruler(page)
    page.line("Họ, chữ đệm, tên", y=400)
    page.line("NGUYỄN VĂN AN", x=1100, y=402)
    page.line("Ngày, tháng, năm sinh", y=480)
    page.line("05/03/1990", x=1100, y=481)
    found = locate_fields(page.text(), TYPES["khai_sinh"])
    assert found["full_name"].raw == "NGUYỄN VĂN AN"
    assert "+ in the table cell beside its label" in reasons_of(found["full_name"])
    assert found["date_of_birth"].raw == "05/03/1990"


def test_a_short_label_needs_its_colon() -> None:
    page = Page()
    page.line("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT")
    page.line("Võ Thành Trung", x=1300)
    assert "co_owner_name" not in locate_fields(page.text(), TYPES["quyen_su_dung_dat"])
    page.line("Vợ: TRẦN THỊ BÌNH")
    found = locate_fields(page.text(), TYPES["quyen_su_dung_dat"])
    assert found["co_owner_name"].raw == "TRẦN THỊ BÌNH"


def test_a_table_cell_on_a_leaning_page_is_its_labels() -> None:
    page = Page(lean=0.07)  # 4°: the cell 800 px to the right sits 56 px lower
    with_ruler(page)
    page.line("Người cùng sử dụng đất", y=400)
    page.line("HUỲNH THÀNH SƠN", x=1100, y=400)
    found = locate_fields(page.text(), TYPES["quyen_su_dung_dat"])
    assert found["co_owner_name"].raw == "HUỲNH THÀNH SƠN"


def test_a_table_cells_value_stays_in_its_row() -> None:
    page = Page()
    page.line("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH")
    page.line("1. Tên doanh nghiệp viết bằng tiếng Việt", y=400)
    page.line("CÔNG TY TNHH SẢN XUẤT VÀ THƯƠNG MẠI", x=1300, y=400)
    page.line("HOÀNG LONG MỘT THÀNH VIÊN THỊNH", x=1300, y=460, paragraph=True)
    page.line("2. Tên doanh nghiệp viết tắt", y=540)
    page.line("HOANG LONG CO., LTD", x=1300, y=540)
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert found["enterprise_name"].raw == (
        "CÔNG TY TNHH SẢN XUẤT VÀ THƯƠNG MẠI HOÀNG LONG MỘT THÀNH VIÊN THỊNH"
    )
    assert found["short_name"].raw == "HOANG LONG CO., LTD"


def test_an_item_number_ocr_lost_to_a_dot_is_still_numbering() -> None:
    page = Page()
    page.line(". Tên doanh nghiệp viết bằng tiếng Việt: CÔNG TY TNHH AN PHÁT")
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert found["enterprise_name"].raw == "CÔNG TY TNHH AN PHÁT"


def test_a_field_takes_its_first_value_free_of_doubt() -> None:
    page = Page()
    with_ruler(page)
    page.line("Địa chỉ thường trú")  # a table row: the label's tail is no address
    page.line("Địa chỉ thửa đất: Thôn 7, xã Hoằng Quỳ, huyện Hoằng Hóa, tỉnh Thanh Hóa")
    found = locate_fields(page.text(), TYPES["quyen_su_dung_dat"])
    assert found["address"].raw == "Thôn 7, xã Hoằng Quỳ, huyện Hoằng Hóa, tỉnh Thanh Hóa"


def test_a_line_wrapped_because_its_next_word_did_not_fit_continues() -> None:
    page = Page()
    label = "Tên doanh nghiệp viết bằng tiếng nước ngoài:"
    end = page.line(f"{label} THANH DAT CONSTRUCTION AND TRADING")
    page.line("CORPORATION")
    ruler = "Căn cứ Luật Doanh nghiệp số 59/2020/QH14 ngày 17 tháng 6 năm 2020"
    width = sum((len(word) + 1) * LETTER for word in ruler.split()) - LETTER
    # The page's text edge 220 px past the line: more than 4.5 heights short of it, but not
    # room enough for "CORPORATION".
    page.line(ruler, x=end + 220 - width)
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert found["foreign_name"].raw == "THANH DAT CONSTRUCTION AND TRADING CORPORATION"


def test_a_label_whose_colon_ocr_lost_still_has_its_value_wrap() -> None:
    page = Page()  # the line with the value is the page's widest: it wrapped
    page.line("Tên doanh nghiệp viết bằng tiếng Việt CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ")
    page.line("TRƯỜNG AN")
    page.line("Tên doanh nghiệp viết tắt: TRUONG AN CO., LTD")
    assert lines_of(page.text())[0].spans  # placed lines know where their words are
    found = locate_fields(page.text(), TYPES["dang_ky_doanh_nghiep"])
    assert found["enterprise_name"].raw == "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ TRƯỜNG AN"
