"""Land-use right certificates of other years than the default 2009 form.

``form_2024``: the certificate of the Law on Land 2024 ("Giấy chứng nhận quyền sử dụng đất,
quyền sở hữu tài sản gắn liền với đất"), its particulars in ruled tables in Times-like type, the
owner labelled "Người sử dụng đất", the parcel's address "Địa chỉ thửa đất", the serial "Số seri"
at the foot. ``form_2004``: the certificate of the Law on Land 2003 in a sans type, the serial
under the title, legal bases citing that law after it, a household's head as "Hộ ông" / "Hộ bà",
"Thửa đất số: 123; Tờ bản đồ số: 45" on one line, the address wrapped back to the left margin
and the area followed by its words. Field names and value formats are the default's.
"""

from __future__ import annotations

import datetime as dt
import random

from samples.content import Person, add_years, random_date, random_name
from samples.forms import MOTTO, national_header, signature_block
from samples.land import EMPTY, SERIES, Parcel, random_parcel, random_spouse
from samples.layout import Built, PageCanvas, font, points
from samples.procedures import Case
from samples.words import date_long, number_words

# A printed item: its label, its value as printed, and the field it is (None: not a field).
Item = tuple[str, str, str | None]
# The 2024 form from the day the Law on Land 2024 took effect; the 2004 form from the decree on
# its implementation until the 2009 form replaced it.
FORM_2024_IN_USE = (dt.date(2024, 8, 1), dt.date.max)  # still in use
FORM_2004_IN_USE = (dt.date(2004, 11, 16), dt.date(2009, 12, 9))
_BORN_AND_NUMBER = "Năm sinh; số định danh cá nhân"
_LABEL_COLUMN = 0.37  # the longest label (``_BORN_AND_NUMBER``) fits on one line
_LAW_2003 = (
    "Căn cứ Luật Đất đai số 13/2003/QH11 ngày 26 tháng 11 năm 2003;",
    "Căn cứ Nghị định số 181/2004/NĐ-CP ngày 29 tháng 10 năm 2004 của Chính phủ về thi hành "
    "Luật Đất đai;",
    "Xét đề nghị của Phòng Tài nguyên và Môi trường,",
)


def build_form_2024(rng: random.Random, case: Case, pages: int) -> Built:
    """The 2024 certificate: owners, parcel and notes as rows of ruled tables."""
    owner, spouse, issued_on = _holders(rng, case, pages, FORM_2024_IN_USE)
    parcel = random_parcel(rng, owner.address, issued_on)
    label_face, value_face = font("times", points(12)), font("times", points(13))
    bold = font("times-bold", points(13))
    page = PageCanvas(spacing=1.3)
    national_header(page)
    title = font("times-bold", points(16))
    page.line("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT,", title, "center", spacing=1.2)
    page.line("QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT", title, "center")
    page.space(0.4)
    fields: dict[str, str] = {}
    extras: list[Item] = [("Tài sản gắn liền với đất", EMPTY, None), ("Ghi chú", EMPTY, None)]
    sections = (
        ("I. NGƯỜI ĐƯỢC CẤP GIẤY CHỨNG NHẬN", _holder_rows(owner, spouse)),
        ("II. THÔNG TIN THỬA ĐẤT VÀ TÀI SẢN GẮN LIỀN VỚI ĐẤT", _parcel_rows(parcel) + extras),
    )
    for heading, rows in sections:
        page.line(heading, bold)
        page.space(0.15)
        for label, value, name in rows:
            page.table_row(label, value, value_face, _LABEL_COLUMN, label_face)
            if name is not None:
                fields[name] = value
        page.space(0.4)
    _committee_signs(rng, page, parcel, issued_on, "(Ký tên, đóng dấu)")
    body = font("times", points(12))
    page.field("Số vào sổ cấp Giấy chứng nhận", f"DS {rng.randint(1, 40_000):06d}", body)
    fields["certificate_serial"] = _serial(rng)
    page.field("Số seri", fields["certificate_serial"], body)
    return [page.finish()], fields


def build_form_2004(rng: random.Random, case: Case, pages: int) -> Built:
    """The 2004 certificate: legal bases, the household, the parcel in running text."""
    owner, spouse, issued_on = _holders(rng, case, pages, FORM_2004_IN_USE)
    parcel = random_parcel(rng, owner.address, issued_on)
    body, bold = font("sans", points(11)), font("sans-bold", points(11))
    page = PageCanvas(spacing=1.4)
    fields = {"certificate_serial": _serial(rng)}
    _heading_2004(page, fields["certificate_serial"], parcel)
    page.space(0.3)
    page.line("I. NGƯỜI SỬ DỤNG ĐẤT", bold)
    _household(rng, page, owner, spouse, issued_on, fields)
    page.space(0.3)
    page.line("II. THỬA ĐẤT ĐƯỢC QUYỀN SỬ DỤNG", bold)
    _parcel_text(page, parcel, fields)
    page.space(0.3)
    page.field("III. GHI CHÚ", EMPTY, bold)
    _committee_signs(rng, page, parcel, issued_on, "CHỦ TỊCH")
    register = f"{rng.randint(1, 9_000):05d} QSDĐ/{issued_on.year}"
    page.field("Vào sổ cấp giấy chứng nhận quyền sử dụng đất số", register, body)
    return [page.finish()], fields


def _heading_2004(page: PageCanvas, serial: str, parcel: Parcel) -> None:
    """Motto, title and serial, then the district committee certifying under the 2003 law."""
    body, bold = font("sans", points(11)), font("sans-bold", points(11))
    page.line(MOTTO[0], font("sans-bold", points(12)), "center")
    page.line(MOTTO[1], font("sans-bold", points(12)), "center")
    page.rule(560)
    page.space(0.6)
    page.line("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT", font("sans-bold", points(16)), "center")
    page.line(f"Số phát hành: {serial}", body, "center")
    page.space(0.4)
    page.line(f"ỦY BAN NHÂN DÂN {parcel.address.district.name.upper()}", bold, "center")
    for basis in _LAW_2003:
        page.paragraph(basis, body, indent=70)
    page.line("CHỨNG NHẬN", bold, "center")


def _committee_signs(
    rng: random.Random, page: PageCanvas, parcel: Parcel, issued_on: dt.date, note: str
) -> None:
    """The committee of the parcel's district signs, dated in its province."""
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    place = parcel.address.province.name
    signature_block(page, f"{place}, {date_long(issued_on)}", "TM. ỦY BAN NHÂN DÂN", note, signer)


def area_words(area: str) -> str:
    """An area as printed ("1.250,5 m²") in words: "một nghìn hai trăm năm mươi phẩy năm mét
    vuông"."""
    whole, _, tenth = area.removesuffix(" m²").partition(",")
    words = number_words(int(whole.replace(".", "")))
    if tenth:
        words += f" phẩy {number_words(int(tenth))}"
    return f"{words} mét vuông"


def _holders(
    rng: random.Random, case: Case, pages: int, in_use: tuple[dt.date, dt.date]
) -> tuple[Person, Person | None, dt.date]:
    """The applicant, an issue date and, for an adult holder, perhaps a spouse.

    The date falls while the form was in use, a month before the filing at the latest, once the
    applicant was of age where the form's years allow: applicants born too late for the 2004
    form hold theirs as minors, by inheritance, and alone; a case filed before September 2024
    gets its 2024 form dated a month before the filing all the same, as the default builder
    clamps its dates.
    """
    if pages != 1:
        raise ValueError(f"a land-use certificate has 1 page, not {pages}")
    owner = case.applicant
    last = min(in_use[1], case.filed_on - dt.timedelta(days=30))
    first = min(last, max(in_use[0], _of_age(owner)))
    issued_on = random_date(rng, first, last)
    married = issued_on >= _of_age(owner) and rng.random() < 0.5
    spouse = random_spouse(rng, owner, case.filed_on) if married else None
    return owner, spouse, issued_on


def _of_age(person: Person) -> dt.date:
    """The day ``person`` turned 18."""
    return add_years(person.date_of_birth, 18)


def _serial(rng: random.Random) -> str:
    """The printed blank's series and number: "BT 558551"."""
    return f"{rng.choice(SERIES)} {rng.randint(0, 999_999):06d}"


def _holder_rows(owner: Person, spouse: Person | None) -> list[Item]:
    """Section I of the 2024 form: each holder's name, year of birth and number, then the
    residence."""
    rows: list[Item] = []
    for label, person, name in (
        ("Người sử dụng đất", owner, "owner_names"),
        ("Người cùng sử dụng đất", spouse, "co_owner_name"),
    ):
        if person is not None:
            rows += [
                (label, person.full_name.upper(), name),
                (_BORN_AND_NUMBER, f"{person.date_of_birth.year}; {person.cccd_number}", None),
            ]
    rows.append(("Địa chỉ thường trú", owner.address.text, None))
    return rows


def _parcel_rows(parcel: Parcel) -> list[Item]:
    """Section II of the 2024 form; "Loại đất" is what the 2009 form called the purpose."""
    return [
        ("Thửa đất số", parcel.number, "parcel_number"),
        ("Tờ bản đồ số", parcel.map_sheet, "map_sheet_number"),
        ("Địa chỉ thửa đất", parcel.address.text, "address"),
        ("Diện tích", parcel.area, "area"),
        ("Loại đất", parcel.purpose, None),
        ("Hình thức sử dụng", "Sử dụng riêng", None),
        ("Thời hạn sử dụng", parcel.term, None),
        ("Nguồn gốc sử dụng", parcel.origin, None),
    ]


def _household(
    rng: random.Random,
    page: PageCanvas,
    owner: Person,
    spouse: Person | None,
    issued_on: dt.date,
    fields: dict[str, str],
) -> None:
    """Section I of the 2004 form: the head of household ("Hộ ông"; a minor who inherited is
    "Ông" or "Bà"), the spouse, their old 9-digit identity cards (CMND) and the residence,
    wrapped back to the margin."""
    body = font("sans", points(11))
    title = "ông" if owner.sex == "Nam" else "bà"
    head = f"Hộ {title}" if issued_on >= _of_age(owner) else title.title()
    printed = [(head, owner, "owner_names")]
    if spouse is not None:
        printed.append(("Vợ" if spouse.sex == "Nữ" else "Chồng", spouse, "co_owner_name"))
    for label, person, name in printed:
        fields[name] = person.full_name.upper()
        page.field(label, fields[name], body)
        born = f"Sinh năm: {person.date_of_birth.year}"
        if issued_on >= add_years(person.date_of_birth, 14):  # the age a CMND was issued at
            born += f"; CMND số: {_cmnd(rng)}"
        page.line(born, body)
    page.field("Địa chỉ thường trú", owner.address.text, body, continuation="margin")


def _cmnd(rng: random.Random) -> str:
    """A 9-digit identity card number of the kind issued before the CCCD."""
    return f"{rng.randint(10_000_000, 389_999_999):09d}"


def _parcel_text(page: PageCanvas, parcel: Parcel, fields: dict[str, str]) -> None:
    """Section II of the 2004 form: number and map sheet on one line, then the rest."""
    body = font("sans", points(11))
    fields |= {"parcel_number": parcel.number, "map_sheet_number": parcel.map_sheet}
    page.line(f"Thửa đất số: {parcel.number}; Tờ bản đồ số: {parcel.map_sheet}", body)
    fields["address"] = parcel.address.text
    page.field("Địa chỉ", parcel.address.text, body, continuation="margin")
    fields["area"] = parcel.area
    page.field("Diện tích", f"{parcel.area} (Bằng chữ: {area_words(parcel.area)})", body)
    page.field("Hình thức sử dụng", "Riêng", body)
    page.field("Mục đích sử dụng", parcel.purpose, body)
    page.field("Thời hạn sử dụng", parcel.term, body)
    page.field("Nguồn gốc sử dụng", parcel.origin, body, continuation="margin")
