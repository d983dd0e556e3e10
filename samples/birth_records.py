"""Two more layouts of the birth record, as other registries and years print it.

``certificate_table`` is an original Giấy khai sinh in a Times-like serif: "Số: ...; Quyển số:
..." on one line, a cited law, then every fact in a two-column ruled table with the short labels
of older forms ("Họ và tên", "Sinh ngày", "Họ và tên mẹ", "Nơi đăng ký"), signed on the day of
registration. ``numbered_extract`` is a Trích lục khai sinh in an Arial-like sans with numbered
labels, the place of birth under its label, each parent's year of birth on the line after the
name and the registry's name wrapping under its value. Both print the child's personal id
number when registered from 2016 on, as records have since; it is not one of the kind's fields.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from samples.boilerplate import legal_basis
from samples.content import cccd_number, random_name
from samples.forms import birth_record_fields, national_header, signature_block
from samples.layout import Built, PageCanvas, font, points
from samples.procedures import Case
from samples.words import date_long, date_words

_PERSONAL_IDS_FROM = dt.date(2016, 1, 1)
# What an original certificate cites: the civil status rules in force when it was signed, the
# newest first (the Law on Civil Status from 2016, Decree 158/2005 before, Decree 83/1998 first).
_EARLIER_BASES = (
    (
        dt.date(2006, 1, 1),
        "Căn cứ Nghị định số 158/2005/NĐ-CP ngày 27 tháng 12 năm 2005 của Chính phủ về đăng ký "
        "và quản lý hộ tịch;",
    ),
    (
        dt.date(1900, 1, 1),
        "Căn cứ Nghị định số 83/1998/NĐ-CP ngày 10 tháng 10 năm 1998 của Chính phủ về đăng ký "
        "hộ tịch;",
    ),
)
_COPY_NOTE = "Trích lục này được cấp từ Sổ đăng ký khai sinh và có giá trị như bản chính."


@dataclass(frozen=True)
class _Parents:
    """The child's parents: names as printed (upper case) and years of birth."""

    father: str
    mother: str
    father_born: int
    mother_born: int


@dataclass(frozen=True)
class _Birth:
    """What a birth record states: the kind's fields and the facts printed beside them."""

    fields: dict[str, str]
    parents: _Parents
    born: dt.date
    registered_on: dt.date
    child_id: str | None  # the personal id number, given at registration since 2016


def _parents(rng: random.Random, case: Case) -> _Parents:
    """The applicant and a spouse; the child has the father's surname, whoever applies."""
    applicant = case.applicant
    year = applicant.date_of_birth.year
    if applicant.sex == "Nam":
        wife = random_name(rng, "Nữ")
        return _Parents(applicant.full_name.upper(), wife.upper(), year, year + rng.randint(-1, 6))
    surname = case.child.full_name.split()[0] if case.child else None
    husband = random_name(rng, "Nam", surname)
    return _Parents(husband.upper(), applicant.full_name.upper(), year - rng.randint(-1, 6), year)


def _birth(rng: random.Random, case: Case, pages: int) -> _Birth:
    """The facts of the applicant's child's birth registration, registered within 60 days."""
    if pages != 1:
        raise ValueError(f"a birth record has 1 page, not {pages}")
    child = case.child
    if child is None:
        raise ValueError("the case has no child")
    parents = _parents(rng, case)
    registered_on = min(child.date_of_birth + dt.timedelta(days=rng.randint(1, 60)), case.filed_on)
    address = case.applicant.address
    number = rng.randint(1, 650)
    fields = birth_record_fields(
        child, address, (parents.father, parents.mother), number, registered_on
    )
    child_id = None
    if registered_on >= _PERSONAL_IDS_FROM:
        child_id = cccd_number(rng, address.province, child.sex, child.date_of_birth)
    return _Birth(fields, parents, child.date_of_birth, registered_on, child_id)


def build_certificate_table(rng: random.Random, case: Case, pages: int) -> Built:
    """Giấy khai sinh (bản chính): every fact in a ruled table, signed when registered."""
    birth = _birth(rng, case, pages)
    fields = birth.fields
    body, bold = font("times", points(14)), font("times-bold", points(14))
    page = PageCanvas(margins=(354, 236, 295, 260), spacing=1.35)
    national_header(page)
    page.line("GIẤY KHAI SINH", font("times-bold", points(18)), align="center")
    page.line("(Bản chính)", font("times-italic", points(12)), align="center")
    page.space(0.3)
    page.line(f"Số: {fields['registration_number']}; Quyển số: {rng.randint(1, 6):02d}", body)
    page.paragraph(_basis_on(rng, birth.registered_on), font("times-italic", points(13)))
    page.space(0.3)
    rows = (
        ("Họ và tên", fields["full_name"]),
        ("Giới tính", fields["sex"]),
        ("Sinh ngày", fields["date_of_birth"]),
        ("Ghi bằng chữ", date_words(birth.born)),
        ("Nơi sinh", fields["place_of_birth"]),
        ("Dân tộc", "Kinh"),
        ("Quốc tịch", "Việt Nam"),
        ("Số định danh cá nhân", birth.child_id or ""),
        ("Họ và tên mẹ", fields["mother_name"]),
        ("Họ và tên cha", fields["father_name"]),
        ("Nơi đăng ký", fields["registration_place"]),
        ("Ngày đăng ký", fields["registration_date"]),
    )
    for label, value in (row for row in rows if row[1]):
        page.table_row(label, value, bold if label == "Họ và tên" else body, split=0.34)
    dated = f"{case.applicant.address.province.name}, {date_long(birth.registered_on)}"
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    signature_block(page, dated, "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)", signer)
    return [page.finish()], fields


def build_numbered_extract(rng: random.Random, case: Case, pages: int) -> Built:
    """Trích lục khai sinh (bản sao): numbered labels, places under or wrapping after them."""
    birth = _birth(rng, case, pages)
    fields, parents = birth.fields, birth.parents
    body, bold = font("arial", points(12)), font("arial-bold", points(12))
    page = PageCanvas(margins=(354, 236, 236, 260), spacing=1.45)
    national_header(page)
    page.line(f"ỦY BAN NHÂN DÂN {case.applicant.address.ward.upper()}", bold, align="center")
    page.space(0.3)
    page.line("TRÍCH LỤC KHAI SINH", font("arial-bold", points(16)), align="center")
    page.line("(Bản sao)", font("arial", points(11)), align="center")
    page.field("Số", fields["registration_number"], body)
    for basis in legal_basis(rng, "civil_status", 2):
        page.paragraph(basis, body, indent=70, hanging=-70)
    page.space(0.3)
    page.field("1. Họ, chữ đệm và tên", fields["full_name"], bold)
    page.field("2. Ngày, tháng, năm sinh", fields["date_of_birth"], body)
    page.paragraph(f"(Bằng chữ: {date_words(birth.born)})", body, indent=40)
    page.field("3. Giới tính", fields["sex"], body)
    page.field("4. Dân tộc", "Kinh", body)
    page.field("5. Quốc tịch", "Việt Nam", body)
    page.label_above("6. Nơi sinh", fields["place_of_birth"], body)
    numbers = iter(range(7, 12))
    if birth.child_id:
        page.field(f"{next(numbers)}. Số định danh cá nhân", birth.child_id, body)
    page.field(f"{next(numbers)}. Họ và tên người mẹ", fields["mother_name"], body)
    page.line(_parent_details(parents.mother_born), body, indent=40)
    page.field(f"{next(numbers)}. Họ và tên người cha", fields["father_name"], body)
    page.line(_parent_details(parents.father_born), body, indent=40)
    place = fields["registration_place"]
    page.field(f"{next(numbers)}. Nơi đăng ký khai sinh", place, body, continuation="value")
    page.field(f"{next(numbers)}. Ngày, tháng, năm đăng ký", fields["registration_date"], body)
    page.space(0.3)
    page.paragraph(_COPY_NOTE, body, indent=70, hanging=-70)
    dated = f"{case.applicant.address.province.name}, {date_long(case.filed_on)}"
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    signature_block(page, dated, "NGƯỜI KÝ TRÍCH LỤC", "(Ký, ghi rõ họ tên, đóng dấu)", signer)
    return [page.finish()], fields


def _parent_details(born: int) -> str:
    """The line under a parent's name in an extract; its year is one more number near a date."""
    return f"Năm sinh: {born}; Dân tộc: Kinh; Quốc tịch: Việt Nam"


def _basis_on(rng: random.Random, day: dt.date) -> str:
    """The "Căn cứ ..." line of a certificate signed on ``day``."""
    if day >= _PERSONAL_IDS_FROM:  # the Law on Civil Status took effect with personal ids
        return legal_basis(rng, "civil_status", 1)[0]
    return next(citation for start, citation in _EARLIER_BASES if day >= start)
