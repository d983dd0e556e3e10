"""The A4 documents: the application form, the business certificate and the birth record.

Each builder lays out one kind as offices print it (national motto on top, a centred title,
"label: value" lines, a signature block on the right) and returns the pages with the field values
exactly as printed. Single column throughout, so the reading order of the recorded lines is the
one an OCR engine finds.
"""

from __future__ import annotations

import datetime as dt
import random

from samples.companies import Enterprise
from samples.content import Address, Person, random_name
from samples.layout import BODY_SIZE, Built, PageCanvas, font
from samples.procedures import Case, declared_items, related_people
from samples.words import date_long, date_numeric, date_words, money_figure, money_words

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
_COMMITMENT = (
    "Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật và chịu trách nhiệm "
    "trước pháp luật về nội dung đã kê khai."
)

# Section I of the application: printed label, then the key of its value in the fields.
_APPLICANT_LABELS = (
    ("Họ và tên", "full_name"),
    ("Giới tính", "sex"),
    ("Ngày sinh", "date_of_birth"),
    ("Số CCCD", "cccd_number"),
    ("Nơi thường trú", "address"),
    ("Số điện thoại", "phone"),
)


def national_header(page: PageCanvas) -> None:
    """The motto every administrative document starts with, underlined."""
    page.line(MOTTO[0], font("serif-bold", 46), align="center", spacing=1.3)
    page.line(MOTTO[1], font("serif-bold", BODY_SIZE), align="center", spacing=1.3)
    page.rule(660)
    page.space(0.8)


def signature_block(page: PageCanvas, dated: str, role: str, note: str, name: str) -> None:
    """Place and date, the signer's role and name, centred in the right part of the page."""
    column = (page.left + round(page.width * 0.42), page.right)
    page.space(0.4)
    page.line(dated, font("serif-italic", 44), align="center", column=column)
    page.line(role, font("serif-bold", BODY_SIZE), align="center", column=column)
    if note:
        page.line(note, font("serif-italic", 44), align="center", column=column)
    page.space(2.2)
    page.line(name, font("serif-bold", BODY_SIZE), align="center", column=column)


def page_number(page: PageCanvas, number: int, total: int) -> None:
    """ "Trang 1/3" at the foot of a page of a multi-page form."""
    page.footer(f"Trang {number}/{total}", font("serif", 40))


def build_application(rng: random.Random, case: Case, pages: int) -> Built:
    """Đơn đề nghị: applicant, request, declared items, attachments; 1 to 3 pages."""
    if pages not in (1, 2, 3):
        raise ValueError(f"an application form has 1 to 3 pages, not {pages}")
    body, bold = font("serif", BODY_SIZE), font("serif-bold", BODY_SIZE)
    person = case.applicant
    signed_on = case.filed_on - dt.timedelta(days=rng.randint(0, 6))
    fields = {
        "recipient": case.recipient,
        "full_name": person.full_name.upper(),
        "sex": person.sex,
        "date_of_birth": date_numeric(person.date_of_birth),
        "cccd_number": person.cccd_number,
        "address": person.address.text,
        "phone": person.phone,
        "procedure": case.procedure.name,
        "date_signed": date_long(signed_on),
    }
    canvases = [PageCanvas() for _ in range(pages)]
    first = canvases[0]
    national_header(first)
    title = f"ĐƠN ĐỀ NGHỊ {case.procedure.name.upper()}"
    first.paragraph(title, font("serif-bold", 56), align="center")
    first.space(0.5)
    first.paragraph(f"Kính gửi: {case.recipient}", body, align="center")
    first.space(0.6)
    first.line("I. THÔNG TIN NGƯỜI ĐỀ NGHỊ", bold)
    for label, key in _APPLICANT_LABELS:
        first.field(label, fields[key], body)
    first.field("Nội dung đề nghị", fields["procedure"], body)
    if pages > 1:
        _declarations(canvases[1] if pages == 3 else first, rng, case, people=pages == 3)
    last = canvases[-1]
    last.line("III. GIẤY TỜ KÈM THEO" if pages > 1 else "II. GIẤY TỜ KÈM THEO", bold)
    for number, attachment in enumerate(case.procedure.attachments, start=1):
        last.field(f"{number}. {attachment}", "01 bản", body)
    last.space(0.3)
    last.paragraph(_COMMITMENT, body, indent=70)
    place = person.address.province.name
    dated = f"{place}, {fields['date_signed']}"
    signature_block(last, dated, "NGƯỜI ĐỀ NGHỊ", "(Ký, ghi rõ họ tên)", person.full_name)
    if pages > 1:
        for number, canvas in enumerate(canvases, start=1):
            page_number(canvas, number, pages)
    return [canvas.finish() for canvas in canvases], fields


def _declarations(page: PageCanvas, rng: random.Random, case: Case, people: bool) -> None:
    """Section II: what the applicant declares; with ``people``, the family members too."""
    body = font("serif", BODY_SIZE)
    page.space(0.3)
    page.line("II. THÔNG TIN KÊ KHAI", font("serif-bold", BODY_SIZE))
    for label, value in declared_items(rng, case):
        page.field(label, value, body)
    if people:
        heading, rows = related_people(rng, case, rng.randint(3, 7))
        page.space(0.3)
        page.line(heading, body)
        for row in rows:
            page.paragraph(row, body, indent=40, hanging=60)


def build_business_certificate(rng: random.Random, case: Case, pages: int) -> Built:
    """Giấy chứng nhận đăng ký doanh nghiệp; a second page holds the legal representative."""
    if pages not in (1, 2):
        raise ValueError(f"a business certificate has 1 or 2 pages, not {pages}")
    company, person = case.enterprise, case.applicant
    if company is None:
        raise ValueError("the case has no enterprise")
    office = company.head_office.province
    fields = {
        "enterprise_code": company.code,
        "enterprise_name": company.name,
        "foreign_name": company.foreign_name,
        "short_name": company.short_name,
        "head_office": company.head_office.text,
        "charter_capital": f"{money_figure(company.capital)} đồng",
        "first_registration_date": date_long(company.first_registered),
        "legal_representative": person.full_name.upper(),
        "legal_representative_cccd": person.cccd_number,
    }
    first = PageCanvas()
    _certificate_front(first, company, fields, person.phone)
    second = PageCanvas() if pages == 2 else first
    _legal_representative(second, person)
    issued_on = company.changes[1] if company.changes else company.first_registered
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    signature_block(second, f"{office.name}, {date_long(issued_on)}", "TRƯỞNG PHÒNG", "", signer)
    return [page.finish() for page in dict.fromkeys((first, second))], fields


def _certificate_front(
    page: PageCanvas, company: Enterprise, fields: dict[str, str], phone: str
) -> None:
    """Heading, codes and sections 1 to 3: the company's names, head office and capital."""
    body, bold = font("serif", BODY_SIZE), font("serif-bold", BODY_SIZE)
    office = company.head_office.province
    national_header(page)
    page.line(f"SỞ KẾ HOẠCH VÀ ĐẦU TƯ {office.formal.upper()}", bold, align="center")
    page.line("PHÒNG ĐĂNG KÝ KINH DOANH", bold, align="center")
    page.space(0.5)
    page.line("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", font("serif-bold", 56), align="center")
    page.paragraph(company.kind, bold, align="center")
    page.space(0.5)
    page.field("Mã số doanh nghiệp", fields["enterprise_code"], bold)
    page.field("Đăng ký lần đầu", fields["first_registration_date"], body)
    if company.changes is not None:
        number, changed_on = company.changes
        page.field(f"Đăng ký thay đổi lần thứ {number}", date_long(changed_on), body)
    page.line("1. Tên công ty", bold)
    page.field("Tên công ty viết bằng tiếng Việt", fields["enterprise_name"], body)
    page.field("Tên công ty viết bằng tiếng nước ngoài", fields["foreign_name"], body)
    page.field("Tên công ty viết tắt", fields["short_name"], body)
    page.line("2. Địa chỉ trụ sở chính", bold)
    page.paragraph(fields["head_office"], body)
    page.field("Điện thoại", phone, body)
    page.line("3. Vốn điều lệ", bold)
    page.field("Vốn điều lệ", fields["charter_capital"], body)
    page.field("Bằng chữ", money_words(company.capital), body)


def _legal_representative(page: PageCanvas, person: Person) -> None:
    """Section 4 of the certificate: who may sign for the company."""
    body = font("serif", BODY_SIZE)
    page.line("4. Người đại diện theo pháp luật của công ty", font("serif-bold", BODY_SIZE))
    page.field("Họ và tên", person.full_name.upper(), body)
    page.field("Giới tính", person.sex, body)
    page.field("Chức danh", "Giám đốc", body)
    page.field("Sinh ngày", date_numeric(person.date_of_birth), body)
    page.field("Dân tộc", "Kinh", body)
    page.field("Quốc tịch", "Việt Nam", body)
    page.field("Loại giấy tờ pháp lý của cá nhân", "Căn cước công dân", body)
    page.field("Số giấy tờ pháp lý của cá nhân", person.cccd_number, body)
    page.field("Địa chỉ thường trú", person.address.text, body)


def birth_record_fields(
    child: Person,
    address: Address,
    parents: tuple[str, str],
    number: int,
    registered_on: dt.date,
) -> dict[str, str]:
    """A birth record's fields as printed: the child, born in the province of the parents'
    ``address`` (whose ward registered the birth), and ``parents`` (father, mother)."""
    province = address.province
    father, mother = parents
    return {
        "registration_number": f"{number}/{registered_on.year}",
        "full_name": child.full_name.upper(),
        "date_of_birth": date_numeric(child.date_of_birth),
        "sex": child.sex,
        "place_of_birth": f"{province.hospital}, {province.printed}",
        "father_name": father,
        "mother_name": mother,
        "registration_place": f"Ủy ban nhân dân {address.ward}, {address.district.name}, "
        f"{province.printed}",
        "registration_date": date_numeric(registered_on),
    }


def build_birth_record(rng: random.Random, case: Case, pages: int) -> Built:
    """Trích lục khai sinh of the applicant's child; the applicant is one of the parents."""
    if pages != 1:
        raise ValueError(f"a birth record has 1 page, not {pages}")
    child, parent = case.child, case.applicant
    if child is None:
        raise ValueError("the case has no child")
    surname = child.full_name.split()[0]
    other_sex = "Nữ" if parent.sex == "Nam" else "Nam"
    other = random_name(rng, other_sex, surname if other_sex == "Nam" else None)
    father, mother = (parent.full_name, other) if parent.sex == "Nam" else (other, parent.full_name)
    registered_on = child.date_of_birth + dt.timedelta(days=rng.randint(3, 55))
    province = parent.address.province
    number = rng.randint(1, 480)
    fields = birth_record_fields(
        child, parent.address, (father.upper(), mother.upper()), number, registered_on
    )
    page = PageCanvas()
    _birth_record_lines(page, fields, child.date_of_birth)
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    dated = f"{province.name}, {date_long(case.filed_on)}"
    signature_block(page, dated, "NGƯỜI KÝ TRÍCH LỤC", "(Đã ký)", signer)
    return [page.finish()], fields


def _birth_record_lines(page: PageCanvas, fields: dict[str, str], born: dt.date) -> None:
    """The body of a birth record, in the order of the national form."""
    body, bold = font("serif", BODY_SIZE), font("serif-bold", BODY_SIZE)
    national_header(page)
    page.line("TRÍCH LỤC KHAI SINH", font("serif-bold", 60), align="center")
    page.line("(Bản sao)", font("serif-italic", 44), align="center")
    page.field("Số", fields["registration_number"], body)
    page.space(0.3)
    page.field("Họ, chữ đệm, tên", fields["full_name"], bold)
    page.field("Ngày, tháng, năm sinh", fields["date_of_birth"], body)
    page.field("Ghi bằng chữ", date_words(born), body)
    page.field("Giới tính", fields["sex"], body)
    page.field("Dân tộc", "Kinh", body)
    page.field("Quốc tịch", "Việt Nam", body)
    page.field("Nơi sinh", fields["place_of_birth"], body)
    page.space(0.3)
    page.field("Họ, chữ đệm, tên người mẹ", fields["mother_name"], body)
    page.field("Họ, chữ đệm, tên người cha", fields["father_name"], body)
    page.space(0.3)
    page.field("Nơi đăng ký khai sinh", fields["registration_place"], body)
    page.field("Ngày, tháng, năm đăng ký", fields["registration_date"], body)
