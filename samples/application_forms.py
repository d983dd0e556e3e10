"""Two more layouts of the application form, as other offices and years print it.

``district_table`` is the district-level form in an Arial-like sans: "Kính gửi:" on a line of its
own, the legal bases first, the applicant in a two-column ruled table and the declarations in a
second one on the next page. ``numbered_notes`` is the generic "giải quyết thủ tục hành chính"
form in a Times-like serif: numbered "1. Label: value" lines, the residence wrapping back to the
left margin, the cited decrees right after the request (so their dates follow a value) and
lettered declarations. Both keep the default form's facts and its "<place>, ngày ... tháng ...
năm ..." signing line, whose date is the ``date_signed`` field.
"""

from __future__ import annotations

import datetime as dt
import random

from samples.boilerplate import legal_basis, legal_note
from samples.forms import national_header, page_number, signature_block
from samples.layout import Built, Continuation, PageCanvas, font, points
from samples.procedures import Case, declared_items
from samples.words import date_long, date_numeric

# The instruments a procedure's form cites, by procedure code; others cite the one-stop decrees.
_SECTORS = {
    "1.001612": "enterprise",
    "2.000635": "civil_status",
    "1.004222": "residence",
    "2.002011": "enterprise",
    "1.009994": "construction",
}
_REQUEST = "Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định."

# The applicant's table of the district form: printed label, key of the value in the fields.
_TABLE_LABELS = (
    ("Họ, chữ đệm và tên", "full_name"),
    ("Ngày, tháng, năm sinh", "date_of_birth"),
    ("Giới tính", "sex"),
    ("Số định danh cá nhân", "cccd_number"),
    ("Nơi cư trú", "address"),
    ("Số điện thoại liên hệ", "phone"),
    ("Nội dung đề nghị", "procedure"),
)
# The numbered lines of the generic form; the request comes last, as item 7.
_NUMBERED_LABELS = (
    ("Họ và tên người đề nghị", "full_name"),
    ("Giới tính", "sex"),
    ("Sinh ngày", "date_of_birth"),
    ("Số CCCD/Căn cước", "cccd_number"),
    ("Địa chỉ thường trú", "address"),
    ("Điện thoại", "phone"),
    ("Nội dung yêu cầu", "procedure"),
)


def _application_fields(rng: random.Random, case: Case) -> dict[str, str]:
    """The values both layouts print, as the default form prints them (the name upper case)."""
    applicant = case.applicant
    signed_on = case.filed_on - dt.timedelta(days=rng.randint(0, 6))
    values = {"recipient": case.recipient, "full_name": applicant.full_name.upper()}
    values.update(
        sex=applicant.sex,
        date_of_birth=date_numeric(applicant.date_of_birth),
        cccd_number=applicant.cccd_number,
        address=applicant.address.text,
        phone=applicant.phone,
        procedure=case.procedure.name,
        date_signed=date_long(signed_on),
    )
    return values


def _check_pages(pages: int) -> None:
    if pages not in (1, 2):
        raise ValueError(f"this application form has 1 or 2 pages, not {pages}")


def _sign(last: PageCanvas, case: Case, fields: dict[str, str], role: str, note: str) -> None:
    dated = f"{case.applicant.address.province.name}, {fields['date_signed']}"
    signature_block(last, dated, role, note, case.applicant.full_name)


def _number_pages(canvases: list[PageCanvas]) -> None:
    if len(canvases) > 1:
        for number, canvas in enumerate(canvases, start=1):
            page_number(canvas, number, len(canvases))


def build_district_table(rng: random.Random, case: Case, pages: int) -> Built:
    """The district office's form: legal bases, then the applicant in a ruled table; 1–2 pages.

    On two pages the second holds the declarations, also ruled, the attachments and the signature.
    """
    _check_pages(pages)
    fields = _application_fields(rng, case)
    body, bold = font("arial", points(12)), font("arial-bold", points(12))
    canvases = [PageCanvas(margins=(295, 236, 236, 236), spacing=1.4) for _ in range(pages)]
    first, last = canvases[0], canvases[-1]
    national_header(first)
    first.line("ĐƠN ĐỀ NGHỊ", font("arial-bold", points(15)), align="center")
    procedure = fields["procedure"]
    first.paragraph(f"(V/v: {procedure[0].lower()}{procedure[1:]})", body, align="center")
    first.space(0.4)
    first.label_above("Kính gửi", fields["recipient"], body)
    first.space(0.3)
    sector = _SECTORS.get(case.procedure.code, "one_stop")
    for basis in legal_basis(rng, sector, 2):
        first.paragraph(basis, body, indent=70, hanging=-70)
    first.paragraph("Tôi đề nghị được giải quyết thủ tục với các thông tin sau:", body, indent=70)
    first.space(0.2)
    first.line("THÔNG TIN NGƯỜI LÀM ĐƠN", bold, align="center")
    first.table_row("Thông tin", "Nội dung kê khai", bold)
    for label, key in _TABLE_LABELS:
        first.table_row(label, fields[key], bold if key == "full_name" else body, label_face=body)
    first.space(0.3)
    first.paragraph(_REQUEST, body, indent=70, hanging=-70)
    if pages == 2:
        last.line("THÔNG TIN KÊ KHAI", bold, align="center")
        for label, value in declared_items(rng, case):
            last.table_row(label, value, body)
    last.space(0.3)
    last.line("Hồ sơ gửi kèm theo gồm:", bold)
    for number, attachment in enumerate(case.procedure.attachments, start=1):
        last.paragraph(f"{number}) {attachment} (01 bản);", body, indent=40, hanging=50)
    last.paragraph(f"Ghi chú: {legal_note(rng)}", body, indent=70, hanging=-70)
    last.paragraph("Tôi cam đoan những nội dung kê khai trên là đúng sự thật.", body, indent=70)
    _sign(last, case, fields, "NGƯỜI LÀM ĐƠN", "(Ký và ghi rõ họ tên)")
    _number_pages(canvases)
    return [canvas.finish() for canvas in canvases], fields


def build_numbered_notes(rng: random.Random, case: Case, pages: int) -> Built:
    """The generic form: numbered lines, the cited decrees after the request; 1–2 pages.

    On two pages the second holds the lettered declarations, the attachments and the signature.
    """
    _check_pages(pages)
    fields = _application_fields(rng, case)
    body = font("times", points(13))
    canvases = [PageCanvas(margins=(354, 200, 236, 236), spacing=1.4) for _ in range(pages)]
    first, last = canvases[0], canvases[-1]
    first.line("Mẫu số 01", font("times-italic", points(11)), align="right")
    national_header(first)
    title = "ĐƠN ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    first.paragraph(title, font("times-bold", points(15)), align="center")
    first.space(0.4)
    first.field("Kính gửi", fields["recipient"], body, continuation="value")
    first.space(0.3)
    for number, (label, key) in enumerate(_NUMBERED_LABELS, start=1):
        continuation: Continuation = "margin" if key == "address" else "hanging"
        first.field(f"{number}. {label}", fields[key], body, continuation=continuation)
    # The decrees the request rests on start new paragraphs right under its value.
    sector = _SECTORS.get(case.procedure.code, "one_stop")
    italic = font("times-italic", points(13))
    for basis in legal_basis(rng, sector, 2 if pages == 2 else 1):
        first.paragraph(basis, italic, indent=70, hanging=-70)
    first.paragraph(_REQUEST, body, indent=70, hanging=-70)
    item = len(_NUMBERED_LABELS) + 1
    if pages == 2:
        last.line(f"{item}. Thông tin kê khai:", body)
        for letter, (label, value) in zip("abcdefgh", declared_items(rng, case), strict=False):
            last.field(f"{letter}) {label}", value, body, continuation="value")
        item += 1
    last.line(f"{item}. Giấy tờ kèm theo:", body)
    for attachment in case.procedure.attachments:
        last.paragraph(f"- {attachment}.", body, indent=40, hanging=30)
    last.paragraph(f"Lưu ý: {legal_note(rng)}", italic, indent=70, hanging=-70)
    commitment = "Tôi xin chịu trách nhiệm trước pháp luật về tính chính xác của thông tin trên."
    last.paragraph(commitment, body, indent=70, hanging=-70)
    _sign(last, case, fields, "NGƯỜI ĐỀ NGHỊ", "(Ký, ghi rõ họ tên)")
    _number_pages(canvases)
    return [canvas.finish() for canvas in canvases], fields
