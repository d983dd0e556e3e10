"""Business registration certificates laid out unlike the default, for leave-one-family-out tests.

``ruled_table``: the particulars as numbered rows of a ruled two-column table (Times-like type,
12 pt labels, 13 pt values), labelled "Tên doanh nghiệp ..." where the default says "Tên công ty
...", the representative's card as "Số định danh cá nhân". ``margin_notes``: Arial-like 12 pt text
under the two-block heading of real certificates (the agency on the left, the motto on the
right), legal bases with dates of their own right after the title, "Đăng ký lần đầu, ngày ..."
without a colon, the head office on its label's line and wrapped back to the left margin, and a
legal note at the foot. Both keep the default's field names and print the values the same way.
"""

from __future__ import annotations

import datetime as dt
import random
from itertools import zip_longest

from PIL import ImageFont

from samples.boilerplate import legal_basis, legal_note
from samples.companies import Enterprise
from samples.content import Person, random_name
from samples.forms import MOTTO, national_header, signature_block
from samples.layout import Built, PageCanvas, font, points
from samples.procedures import Case
from samples.words import date_long, date_numeric, money_figure, money_words

# A printed item: its label, its value as printed, and the field it is (None: not a field).
Item = tuple[str, str, str | None]
_TABLE_SPACING = 1.3  # baselines in a table row, in type sizes: a one-page table fits
# Share of the width for the labels: the longest ("2. Tên doanh nghiệp viết bằng tiếng nước
# ngoài") on one line, so that a wrapped value is not interleaved with a wrapped label.
_LABEL_COLUMN = 0.54
_TEXT_MARGINS = (295, 236, 200, 260)  # 2.5 cm left, 1.7 cm right: the heading's blocks fit
_TEXT_SPACING = 1.28
# The instruments a certificate issued before the current law and decree (boilerplate's) cites:
# from the day the decree was signed, (law, registration decree); all real, newest first.
_EARLIER_BASES = (
    (
        dt.date(2015, 9, 14),
        "Luật Doanh nghiệp số 68/2014/QH13 ngày 26 tháng 11 năm 2014",
        "Nghị định số 78/2015/NĐ-CP ngày 14 tháng 9 năm 2015 của Chính phủ về đăng ký doanh nghiệp",
    ),
    (
        dt.date(2010, 4, 15),
        "Luật Doanh nghiệp số 60/2005/QH11 ngày 29 tháng 11 năm 2005",
        "Nghị định số 43/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ về đăng ký doanh nghiệp",
    ),
    (
        dt.date(2006, 8, 29),
        "Luật Doanh nghiệp số 60/2005/QH11 ngày 29 tháng 11 năm 2005",
        "Nghị định số 88/2006/NĐ-CP ngày 29 tháng 8 năm 2006 của Chính phủ về đăng ký kinh doanh",
    ),
)
_CURRENT_BASES_FROM = dt.date(2021, 1, 4)  # Decree 01/2021/NĐ-CP, under the 2020 law


def build_ruled_table(rng: random.Random, case: Case, pages: int) -> Built:
    """The certificate as a ruled table, numbered 1 to 15 or so; a second page, if asked for,
    continues the table with the legal representative."""
    company, person = _parties(case, pages)
    label_face, value_face = font("times", points(12)), font("times", points(13))
    bold = font("times-bold", points(13))
    first = PageCanvas(spacing=_TABLE_SPACING)
    national_header(first)
    agency = f"SỞ KẾ HOẠCH VÀ ĐẦU TƯ {company.head_office.province.formal.upper()}"
    first.line(agency, bold, "center")
    first.line("PHÒNG ĐĂNG KÝ KINH DOANH", bold, "center")
    first.space(0.5)
    first.line("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", font("times-bold", points(16)), "center")
    first.paragraph(company.kind, bold, align="center")
    first.space(0.6)
    second = PageCanvas(spacing=_TABLE_SPACING) if pages == 2 else first
    fields: dict[str, str] = {}
    sections = ((first, _company_rows(company, person.phone)), (second, _representative(person)))
    number = 0
    for page, items in sections:
        for label, value, name in items:
            number += 1
            page.table_row(f"{number}. {label}", value, value_face, _LABEL_COLUMN, label_face)
            if name is not None:
                fields[name] = value
    second.space(0.4)
    _sign(rng, second, company)
    return [page.finish() for page in dict.fromkeys((first, second))], fields


def build_margin_notes(rng: random.Random, case: Case, pages: int) -> Built:
    """The certificate as Arial-like text with legal bases, margin-wrapped addresses and a note;
    a second page, if asked for, holds the legal representative, the signature and the note."""
    company, person = _parties(case, pages)
    body, bold = font("arial", points(12)), font("arial-bold", points(12))
    first = PageCanvas(margins=_TEXT_MARGINS, spacing=_TEXT_SPACING)
    _two_block_heading(first, company)
    first.line("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", font("arial-bold", points(15)), "center")
    first.paragraph(company.kind, bold, align="center")
    first.space(0.4)
    for basis in _legal_bases(rng, _issued_on(company)):
        first.paragraph(basis, font("arial", points(11)), indent=70)
    first.space(0.4)
    registered = date_long(company.first_registered)
    fields = {"enterprise_code": company.code, "first_registration_date": registered}
    first.field("Mã số doanh nghiệp", company.code, bold)
    first.line(f"Đăng ký lần đầu, {registered}", body)
    if company.changes is not None:
        changed, changed_on = company.changes
        first.line(f"Đăng ký thay đổi lần thứ {changed}, {date_long(changed_on)}", body)
    first.line("1. Tên doanh nghiệp", bold)
    _print_items(first, _names(company), body, fields)
    capital = ("3. Vốn điều lệ", f"{money_figure(company.capital)} đồng", "charter_capital")
    items: list[Item] = [
        ("2. Địa chỉ trụ sở chính", company.head_office.text, "head_office"),
        ("Điện thoại", person.phone, None),
        capital,
        ("Bằng chữ", money_words(company.capital), None),
    ]
    _print_items(first, items, body, fields)
    second = PageCanvas(margins=_TEXT_MARGINS, spacing=_TEXT_SPACING) if pages == 2 else first
    second.line("4. Người đại diện theo pháp luật của doanh nghiệp", bold)
    _print_items(second, _representative_text(person), body, fields)
    _sign(rng, second, company)
    second.space(0.6)
    second.paragraph(f"Ghi chú: {legal_note(rng)}", font("arial", points(11)))
    return [page.finish() for page in dict.fromkeys((first, second))], fields


def _legal_bases(rng: random.Random, issued_on: dt.date) -> list[str]:
    """The "Căn cứ ...;" paragraphs of a certificate issued on ``issued_on``: only instruments
    already signed that day."""
    if issued_on >= _CURRENT_BASES_FROM:
        return legal_basis(rng, "enterprise", rng.choice((2, 3)))
    for signed_on, law, decree in _EARLIER_BASES:
        if issued_on >= signed_on:
            return [f"Căn cứ {law};", f"Căn cứ {decree};"]
    raise ValueError(f"no enterprise registration decree in force on {issued_on}")


def _issued_on(company: Enterprise) -> dt.date:
    """The certificate in the dossier is the latest: of the last change, else the first."""
    return company.changes[1] if company.changes else company.first_registered


def _parties(case: Case, pages: int) -> tuple[Enterprise, Person]:
    """The company and its legal representative; ValueError for a case or page count that
    cannot make a certificate."""
    if pages not in (1, 2):
        raise ValueError(f"a business certificate has 1 or 2 pages, not {pages}")
    if case.enterprise is None:
        raise ValueError("the case has no enterprise")
    return case.enterprise, case.applicant


def _names(company: Enterprise) -> list[Item]:
    """The company's three names, labelled "Tên doanh nghiệp ..." as since the 2014 law."""
    return [
        ("Tên doanh nghiệp viết bằng tiếng Việt", company.name, "enterprise_name"),
        ("Tên doanh nghiệp viết bằng tiếng nước ngoài", company.foreign_name, "foreign_name"),
        ("Tên doanh nghiệp viết tắt", company.short_name, "short_name"),
    ]


def _company_rows(company: Enterprise, phone: str) -> list[Item]:
    """The table's rows about the company: names, code, dates, head office, capital."""
    rows = _names(company)
    rows += [
        ("Mã số doanh nghiệp", company.code, "enterprise_code"),
        ("Ngày đăng ký lần đầu", date_long(company.first_registered), "first_registration_date"),
    ]
    if company.changes is not None:
        number, changed_on = company.changes
        rows.append((f"Đăng ký thay đổi lần thứ {number}", date_long(changed_on), None))
    rows += [
        ("Địa chỉ trụ sở chính", company.head_office.text, "head_office"),
        ("Điện thoại", phone, None),
        ("Vốn điều lệ", f"{money_figure(company.capital)} đồng", "charter_capital"),
        ("Vốn điều lệ (bằng chữ)", money_words(company.capital), None),
    ]
    return rows


def _representative(person: Person) -> list[Item]:
    """The table's rows about the legal representative, identified by their 12-digit number."""
    return [
        ("Người đại diện theo pháp luật", person.full_name.upper(), "legal_representative"),
        ("Chức danh", "Giám đốc", None),
        ("Giới tính", person.sex, None),
        ("Ngày sinh", date_numeric(person.date_of_birth), None),
        ("Số định danh cá nhân", person.cccd_number, "legal_representative_cccd"),
        ("Nơi thường trú", person.address.text, None),
    ]


def _representative_text(person: Person) -> list[Item]:
    """Section 4 of the text layout; birth date, ethnicity and nationality share a line."""
    born = date_numeric(person.date_of_birth)
    return [
        ("Họ và tên", person.full_name.upper(), "legal_representative"),
        ("Giới tính", person.sex, None),
        ("Chức danh", "Giám đốc", None),
        ("Sinh ngày", f"{born}; Dân tộc: Kinh; Quốc tịch: Việt Nam", None),
        ("Loại giấy tờ pháp lý của cá nhân", "Thẻ Căn cước công dân", None),
        ("Số giấy tờ pháp lý của cá nhân", person.cccd_number, "legal_representative_cccd"),
        ("Địa chỉ thường trú", person.address.text, None),
        ("Địa chỉ liên lạc", person.address.text, None),
    ]


def _print_items(
    page: PageCanvas, items: list[Item], face: ImageFont.FreeTypeFont, fields: dict[str, str]
) -> None:
    """ "Label: value" lines wrapped back to the left margin; fields recorded as printed."""
    for label, value, name in items:
        page.field(label, value, face, continuation="margin")
        if name is not None:
            fields[name] = value


def _two_block_heading(page: PageCanvas, company: Enterprise) -> None:
    """The agency in the left block and the motto in the right, each underlined, on common
    baselines; recorded row by row, left part then right, as tesseract reads blocks this close
    (the way ``table_row`` records a row)."""
    province = company.head_office.province.formal.upper()
    left = (page.left, page.left + round(page.width * 0.42))
    right = (page.left + round(page.width * 0.47), page.right)
    bold, small = font("arial-bold", points(12)), font("arial-bold", points(11))
    blocks = (
        (
            left,
            [("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", bold), (province, bold), ("PHÒNG ĐĂNG KÝ KINH DOANH", bold)],
        ),
        (right, [(MOTTO[0], small), (MOTTO[1], bold)]),
    )
    pitch, top, first = bold.size * 1.3, page.y, len(page.lines)
    bottom = top
    for column, lines in blocks:
        for row, (text, face) in enumerate(lines):
            page.y = top + row * pitch + bold.size - face.size  # baselines level across blocks
            page.line(text, face, "center", column=column, spacing=pitch / face.size)
        page.y = top + len(lines) * pitch
        _underline(page, column, 300 if column == left else 520)
        bottom = max(bottom, page.y)
    drawn = page.lines[first:]
    rows = zip_longest(drawn[:3], drawn[3:], fillvalue="")
    page.lines[first:] = [" ".join(part for part in row if part) for row in rows]
    page.y = bottom
    page.space(0.8)


def _underline(page: PageCanvas, column: tuple[int, int], length: int) -> None:
    """A rule of ``length`` pixels centred in ``column`` under the last line."""
    x = (column[0] + column[1] - length) // 2
    y = round(page.y) + 8  # clear of the dots under ạ and ụ
    page.draw.rectangle((x, y, x + length, y + 2), fill=0)
    page.y += 32


def _sign(rng: random.Random, page: PageCanvas, company: Enterprise) -> None:
    """The head of the registration office signs on the day of the latest registration."""
    dated = f"{company.head_office.province.name}, {date_long(_issued_on(company))}"
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    signature_block(page, dated, "TRƯỞNG PHÒNG", "(Đã ký)", signer)
