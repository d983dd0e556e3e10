"""Procedures a sample dossier is filed for, and the case that ties its documents together.

A real dossier's documents describe the same person and procedure: the identity card belongs to
the applicant on the form, the business certificate names them as legal representative. A
``Case`` carries those shared facts so that cross-document checks can be tested on samples. The
procedure codes and names are the national catalogue's.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from samples.companies import Enterprise, random_enterprise
from samples.content import (
    Person,
    add_years,
    random_address,
    random_date,
    random_name,
    random_person,
)
from samples.words import date_numeric, money_figure


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str  # "Đăng ký thành lập hộ kinh doanh"
    recipient: str  # office the form is addressed to; {ward}, {district}, {province} filled in
    attachments: tuple[str, ...]  # "Giấy tờ kèm theo" listed on the form
    supporting: str | None  # document kind filed with the form besides the identity card


PROCEDURES: tuple[Procedure, ...] = (
    Procedure(
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "Phòng Tài chính - Kế hoạch {district}",
        ("Bản sao Căn cước công dân của chủ hộ kinh doanh", "Bản sao hợp đồng thuê địa điểm"),
        None,
    ),
    Procedure(
        "2.000635",
        "Cấp bản sao trích lục khai sinh",
        "Ủy ban nhân dân {ward}, {district}",
        ("Bản sao Căn cước công dân của người yêu cầu", "Bản sao Trích lục khai sinh"),
        "khai_sinh",
    ),
    Procedure(
        "1.004222",
        "Đăng ký thường trú",
        "Công an {ward}, {district}",
        ("Tờ khai thay đổi thông tin cư trú", "Bản sao Trích lục khai sinh của con"),
        "khai_sinh",
    ),
    Procedure(
        "2.002011",
        "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
        "Phòng Đăng ký kinh doanh - Sở Kế hoạch và Đầu tư {province}",
        ("Bản sao Giấy chứng nhận đăng ký doanh nghiệp", "Nghị quyết của Hội đồng thành viên"),
        "dang_ky_doanh_nghiep",
    ),
    Procedure(
        "1.013225",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Ủy ban nhân dân {district}",
        ("Bản sao giấy chứng nhận quyền sử dụng đất", "Bản vẽ thiết kế xây dựng"),
        "quyen_su_dung_dat",
    ),
)


@dataclass(frozen=True)
class Case:
    """One applicant filing one procedure at the offices of their residence on one day.

    ``child`` is the applicant's child whose birth record the procedure needs, ``enterprise`` the
    company the applicant represents; each is set when the procedure's supporting document is
    about them, so that document and form agree.
    """

    applicant: Person
    procedure: Procedure
    filed_on: dt.date
    child: Person | None = None
    enterprise: Enterprise | None = None

    @property
    def recipient(self) -> str:
        """The "Kính gửi" line's office, near the applicant's residence."""
        address = self.applicant.address
        return self.procedure.recipient.format(
            ward=address.ward, district=address.district.name, province=address.province.formal
        )

    @property
    def agency(self) -> str:
        """The one-stop centre that received the dossier."""
        return f"Trung tâm Phục vụ hành chính công {self.applicant.address.province.formal}"


FILING_PERIOD = (dt.date(2024, 1, 2), dt.date(2026, 6, 30))


def random_case(rng: random.Random, procedure: Procedure | None = None) -> Case:
    """A case filed in ``FILING_PERIOD`` by a random adult, with the child or company it needs."""
    procedure = procedure or rng.choice(PROCEDURES)
    filed_on = random_date(rng, *FILING_PERIOD)
    company = procedure.supporting == "dang_ky_doanh_nghiep"
    # A company's director was an adult when it was registered, a year or more ago.
    born = (dt.date(1955, 1, 1), add_years(filed_on, -20)) if company else None
    applicant = random_person(rng, today=filed_on, born=born)
    child = enterprise = None
    if procedure.supporting == "khai_sinh":
        child = _random_child(rng, applicant, filed_on)
    if company:
        adult = add_years(applicant.date_of_birth, 18)
        enterprise = random_enterprise(rng, applicant.address.province, adult, filed_on)
    return Case(applicant, procedure, filed_on, child, enterprise)


def procedure_for(kind: str) -> Procedure | None:
    """The first procedure that files a document of ``kind`` besides the form, if any."""
    return next((p for p in PROCEDURES if p.supporting == kind), None)


def receipt_code(case: Case, serial: int) -> str:
    """A one-stop receipt code: "000.00.12.H56-261127-0001" (office, province, day, serial)."""
    address = case.applicant.address
    office = address.province.districts.index(address.district) + 1
    return f"000.00.{office:02d}.H{address.province.code}-{case.filed_on:%y%m%d}-{serial:04d}"


def declared_items(rng: random.Random, case: Case) -> list[tuple[str, str]]:
    """The labelled facts the applicant declares for this procedure (section II of the form)."""
    person = case.applicant
    if case.procedure.code == "1.001612":
        return [
            ("Tên hộ kinh doanh", f"Hộ kinh doanh {person.full_name}"),
            ("Địa điểm kinh doanh", random_address(rng, person.address.province).text),
            ("Ngành, nghề kinh doanh", rng.choice(_TRADES)),
            ("Vốn kinh doanh", f"{money_figure(rng.randint(1, 40) * 50_000_000)} đồng"),
            ("Số lượng lao động", f"{rng.randint(1, 9):02d} người"),
        ]
    if case.child is not None:
        return [
            ("Họ và tên người được khai", case.child.full_name.upper()),
            ("Ngày sinh", date_numeric(case.child.date_of_birth)),
            ("Quan hệ với người đề nghị", "Con"),
            ("Địa chỉ đề nghị", person.address.text),
        ]
    if case.enterprise is not None:
        return [
            ("Tên doanh nghiệp", case.enterprise.name),
            ("Mã số doanh nghiệp", case.enterprise.code),
            ("Nội dung thay đổi", "Người đại diện theo pháp luật"),
            ("Người đại diện mới", random_name(rng, rng.choice(("Nam", "Nữ"))).upper()),
            ("Lý do thay đổi", "Thay đổi nhân sự quản lý"),
        ]
    return [
        ("Địa điểm xây dựng", random_address(rng, person.address.province).text),
        ("Diện tích xây dựng", f"{rng.randint(50, 180)},{rng.randint(0, 9)} m2"),
        ("Số tầng", f"{rng.randint(1, 5)} tầng"),
    ]


def related_people(rng: random.Random, case: Case, count: int) -> tuple[str, list[str]]:
    """A heading and ``count`` numbered rows listing the people the request also concerns.

    Family members for a citizen's request (name, birth date, relation, with ages that fit the
    relation); the company's members and their capital shares for a company's.
    """
    if case.enterprise is not None:
        shares = _capital_shares(rng, count)
        rows = [
            f"{number}. {random_person(rng, today=case.filed_on).full_name.upper()}, "
            f"tỷ lệ vốn góp: {share}%"
            for number, share in enumerate(shares, start=1)
        ]
        return "Danh sách thành viên góp vốn:", rows
    rows = []
    for number in range(1, count + 1):
        relation, sex, years = _relation(rng, case.applicant, number)
        year = case.applicant.date_of_birth.year + years
        latest = case.filed_on - dt.timedelta(days=30)
        born = (min(dt.date(year, 1, 1), latest), min(dt.date(year, 12, 31), latest))
        surname = case.applicant.full_name.split()[0]
        shares_surname = relation in ("Cha", "Anh", "Chị", "Em") or (
            relation == "Con" and case.applicant.sex == "Nam"
        )
        member = random_person(
            rng,
            today=case.filed_on,
            sex=sex,
            born=born,
            surname=surname if shares_surname else None,
        )
        rows.append(
            f"{number}. {member.full_name}, sinh ngày {date_numeric(member.date_of_birth)}, "
            f"quan hệ: {relation}"
        )
    return "Thành viên hộ gia đình:", rows


def _relation(rng: random.Random, applicant: Person, number: int) -> tuple[str, str, int]:
    """Relation to the applicant, the member's sex, and their birth year minus the applicant's."""
    if number == 1:
        return (
            ("Vợ", "Nữ", rng.randint(-1, 6))
            if applicant.sex == "Nam"
            else ("Chồng", "Nam", rng.randint(-6, 1))
        )
    sex = rng.choice(("Nam", "Nữ"))
    kind = rng.choice(("child", "child", "parent", "sibling"))
    if kind == "child":
        return "Con", sex, rng.randint(22, 35)
    if kind == "parent":
        return ("Cha" if sex == "Nam" else "Mẹ"), sex, -rng.randint(20, 35)
    years = rng.choice((-1, 1)) * rng.randint(1, 9)
    if years > 0:
        return "Em", sex, years
    return ("Anh" if sex == "Nam" else "Chị"), sex, years


def _capital_shares(rng: random.Random, count: int) -> list[int]:
    """Whole-percent shares that add up to 100, the largest first."""
    cuts = sorted(rng.sample(range(1, 100), count - 1))
    shares = [high - low for low, high in zip([0, *cuts], [*cuts, 100], strict=True)]
    return sorted(shares, reverse=True)


def _random_child(rng: random.Random, parent: Person, today: dt.date) -> Person:
    """A child born after the parent turned 20 (or last month, for very young parents)."""
    latest = today - dt.timedelta(days=30)
    earliest = min(dt.date(parent.date_of_birth.year + 20, 1, 1), latest)
    surname = parent.full_name.split()[0] if parent.sex == "Nam" else None
    return random_person(rng, today=today, surname=surname, born=(earliest, latest))


_TRADES = (
    "Bán lẻ thực phẩm",
    "Dịch vụ ăn uống",
    "Sửa chữa xe có động cơ",
    "Bán lẻ hàng may mặc",
    "Cắt tóc, làm đầu, gội đầu",
)
