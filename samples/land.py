"""The land-use right certificate (Giấy chứng nhận quyền sử dụng đất, the "red book").

Laid out like the national form used from 2009 to 2024: the long title, section I with the land
users (the applicant, and their spouse when the land is the couple's), section II with the
parcel, the issuing committee's signature and the certificate's numbers at the foot. Every value
stands at the start of its own "Label: value" line, as field extraction anchors on labels there;
the form's one-line "Thửa đất số: ..., tờ bản đồ số: ..." is therefore printed as two lines.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from samples.content import (
    Address,
    Person,
    add_years,
    random_address,
    random_date,
    random_name,
    random_person,
)
from samples.forms import national_header, signature_block
from samples.layout import BODY_SIZE, Built, PageCanvas, font
from samples.procedures import Case
from samples.words import date_long, date_numeric, money_figure

# Two-letter series of the printed blanks; the serial is the series and six digits.
SERIES = (
    "BA", "BD", "BE", "BH", "BK", "BL", "BM", "BN", "BP", "BT", "BV", "BX", "BY", "CA", "CB",
    "CD", "CE", "CH", "CK", "CL", "CN", "CP", "CQ", "CS", "CT", "CU", "CV", "CX", "CY", "DA",
    "DB", "DC", "DD", "DE",
)  # fmt: skip
_ORIGINS = (
    "Nhà nước giao đất có thu tiền sử dụng đất",
    "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhận chuyển nhượng đất được công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
    "Nhận thừa kế đất được công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất",
)
# Blanks of this form were printed from the end of 2009 until the 2024 land law's new form.
FORM_IN_USE = (dt.date(2010, 1, 1), dt.date(2024, 7, 31))
EMPTY = "-/-"  # what the form prints in a section with nothing to record
_USERS_HEADING = "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất"
_PARCEL_HEADING = "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất"
_HEADING_SIZE = 46  # pixels: section I's long heading fits on one line


@dataclass(frozen=True)
class Parcel:
    """A plot of land as section II describes it; ``area`` and ``term`` as printed."""

    number: str  # thửa đất số
    map_sheet: str  # tờ bản đồ số
    address: Address
    area: str  # "125,5 m²", "1.250 m²"
    purpose: str  # mục đích sử dụng
    term: str  # thời hạn sử dụng: "Lâu dài" or "Đến ngày 15/10/2063"
    origin: str  # nguồn gốc sử dụng


def build_land_use_certificate(rng: random.Random, case: Case, pages: int) -> Built:
    """Giấy chứng nhận quyền sử dụng đất of a parcel the applicant holds, alone or with a spouse.

    The first owner is printed "Ông"/"Bà" and is ``owner_names``; a spouse follows as "Và vợ là
    bà" / "Và chồng là ông" and is ``co_owner_name``, a field only couples' certificates have.
    """
    if pages != 1:
        raise ValueError(f"a land-use certificate has 1 page, not {pages}")
    owner = case.applicant
    spouse = random_spouse(rng, owner, case.filed_on) if rng.random() < 0.5 else None
    latest = min(case.filed_on - dt.timedelta(days=30), FORM_IN_USE[1])
    earliest = min(max(FORM_IN_USE[0], add_years(owner.date_of_birth, 18)), latest)
    issued_on = random_date(rng, earliest, latest)
    parcel = random_parcel(rng, owner.address, issued_on)
    fields = {
        "certificate_serial": f"{rng.choice(SERIES)} {rng.randint(0, 999_999):06d}",
        "owner_names": owner.full_name.upper(),
        "parcel_number": parcel.number,
        "map_sheet_number": parcel.map_sheet,
        "address": parcel.address.text,
        "area": parcel.area,
    }
    if spouse is not None:
        fields["co_owner_name"] = spouse.full_name.upper()
    page = PageCanvas()
    national_header(page)
    page.line("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT", font("serif-bold", 56), align="center")
    title = "QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"
    page.line(title, font("serif-bold", 44), align="center")
    page.space(0.5)
    _land_users(page, owner, spouse)
    _parcel_lines(page, parcel)
    body = font("serif", BODY_SIZE)
    signer = random_name(rng, rng.choice(("Nam", "Nữ")))
    dated = f"{parcel.address.province.name}, {date_long(issued_on)}"
    signature_block(page, dated, "TM. ỦY BAN NHÂN DÂN", "(Đã ký và đóng dấu)", signer)
    page.space(0.3)
    # "CH": the register of certificates a district committee grants to households and people.
    page.field("Số vào sổ cấp GCN", f"CH {rng.randint(1, 15_000):05d}", body)
    page.field("Số phát hành", fields["certificate_serial"], body)
    return [page.finish()], fields


def random_parcel(rng: random.Random, home: Address, issued_on: dt.date) -> Parcel:
    """A parcel where the owner lives or elsewhere in their province; town plots are small.

    Residential land is held for good ("Lâu dài"); farmland for 50 years from the certificate.
    """
    address = home if rng.random() < 0.5 else random_address(rng, home.province)
    if address.district.urban:
        purpose, term, tenths = "Đất ở tại đô thị", "Lâu dài", rng.randint(300, 2_500)
    elif rng.random() < 0.6:
        purpose, term, tenths = "Đất ở tại nông thôn", "Lâu dài", rng.randint(1_000, 15_000)
    else:
        purpose, tenths = "Đất trồng cây lâu năm", rng.randint(5_000, 90_000)
        term = f"Đến ngày {date_numeric(add_years(issued_on, 50))}"
    return Parcel(
        number=str(rng.randint(1, 1_800)),
        map_sheet=str(rng.randint(1, 95)),
        address=address,
        area=area_figure(tenths),
        purpose=purpose,
        term=term,
        origin=rng.choice(_ORIGINS),
    )


def area_figure(tenths: int) -> str:
    """An area in tenths of a square metre as certificates print it: "1.250,5 m²", "86 m²"."""
    whole, tenth = divmod(tenths, 10)
    return f"{money_figure(whole)}{f',{tenth}' if tenth else ''} m²"


def random_spouse(rng: random.Random, owner: Person, today: dt.date) -> Person:
    """The owner's husband or wife, of about their age and an adult."""
    sex = "Nữ" if owner.sex == "Nam" else "Nam"
    years = rng.randint(-1, 6) if sex == "Nữ" else -rng.randint(-1, 6)
    latest = add_years(today, -18)
    start = add_years(owner.date_of_birth, years)
    end = min(start + dt.timedelta(days=300), latest)
    return random_person(rng, today=today, sex=sex, born=(min(start, end), end))


def _land_users(page: PageCanvas, owner: Person, spouse: Person | None) -> None:
    """Section I: each owner's name, year of birth and card, then the shared residence."""
    body = font("serif", BODY_SIZE)
    page.line(_USERS_HEADING, font("serif-bold", _HEADING_SIZE))
    page.field("Ông" if owner.sex == "Nam" else "Bà", owner.full_name.upper(), body)
    _particulars(page, owner)
    if spouse is not None:
        label = "Và vợ là bà" if spouse.sex == "Nữ" else "Và chồng là ông"
        page.field(label, spouse.full_name.upper(), body)
        _particulars(page, spouse)
    page.field("Nơi thường trú", owner.address.text, body)
    page.space(0.3)


def _particulars(page: PageCanvas, person: Person) -> None:
    """The line under an owner's name: year of birth and identity card number."""
    text = f"Năm sinh: {person.date_of_birth.year}, CCCD số: {person.cccd_number}"
    page.line(text, font("serif", BODY_SIZE))


def _parcel_lines(page: PageCanvas, parcel: Parcel) -> None:
    """Section II: the parcel's particulars; no house or other asset is recorded."""
    body, bold = font("serif", BODY_SIZE), font("serif-bold", BODY_SIZE)
    page.line(_PARCEL_HEADING, font("serif-bold", _HEADING_SIZE))
    page.line("1. Thửa đất:", bold)
    page.field("Thửa đất số", parcel.number, body)
    page.field("Tờ bản đồ số", parcel.map_sheet, body)
    page.field("Địa chỉ", parcel.address.text, body)
    page.field("Diện tích", parcel.area, body)
    page.field("Hình thức sử dụng", "Sử dụng riêng", body)
    page.field("Mục đích sử dụng", parcel.purpose, body)
    page.field("Thời hạn sử dụng", parcel.term, body)
    page.field("Nguồn gốc sử dụng", parcel.origin, body)
    page.field("2. Nhà ở", EMPTY, body)
    page.field("3. Công trình xây dựng khác", EMPTY, body)
    page.field("4. Ghi chú", EMPTY, body)
