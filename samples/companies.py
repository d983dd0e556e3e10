"""Random limited companies, as a business registration certificate describes them."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from samples.content import Address, random_address, random_date, random_tax_code
from samples.places import Province

# (Vietnamese line of business, its English name in the foreign-language company name)
_SECTORS = (
    ("THƯƠNG MẠI VÀ DỊCH VỤ", "TRADING AND SERVICES"),
    ("XÂY DỰNG", "CONSTRUCTION"),
    ("CÔNG NGHỆ", "TECHNOLOGY"),
    ("SẢN XUẤT VÀ THƯƠNG MẠI", "PRODUCTION AND TRADING"),
    ("VẬN TẢI", "TRANSPORT"),
    ("DU LỊCH", "TRAVEL"),
    ("THỰC PHẨM", "FOOD"),
)
_BRANDS = (
    "AN PHÁT", "HÒA BÌNH", "MINH KHANG", "THÀNH ĐẠT", "PHÚC LỘC", "HƯNG THỊNH", "ĐẠI VIỆT",
    "TÂN PHÚ", "SAO MAI", "HOÀNG LONG", "NAM VIỆT", "TRƯỜNG AN", "BẢO NGỌC", "QUANG MINH",
)  # fmt: skip
_TYPES = {
    1: "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN",
    2: "CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN",
}


@dataclass(frozen=True)
class Enterprise:
    code: str  # mã số doanh nghiệp, also the tax code
    kind: str  # company type as the certificate's heading prints it
    name: str  # "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ AN PHÁT"
    foreign_name: str  # "AN PHAT TRADING AND SERVICES COMPANY LIMITED"
    short_name: str  # "AN PHAT CO., LTD"
    head_office: Address
    capital: int  # charter capital in đồng
    first_registered: dt.date
    changes: tuple[int, dt.date] | None  # (number of the latest change, its date)


def strip_accents(text: str) -> str:
    """ASCII spelling of Vietnamese, as foreign-language names and e-mail addresses use it."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def random_enterprise(
    rng: random.Random, province: Province, after: dt.date, before: dt.date
) -> Enterprise:
    """A company registered in ``province`` between ``after`` (2010 at the earliest) and a year
    before ``before``, with perhaps a change since."""
    sector, sector_en = rng.choice(_SECTORS)
    brand = rng.choice(_BRANDS)
    ascii_brand = strip_accents(brand)
    latest = before - dt.timedelta(days=400)
    first_registered = random_date(rng, min(max(after, dt.date(2010, 1, 4)), latest), latest)
    changes = None
    if rng.random() < 0.6:
        changed_on = random_date(rng, first_registered + dt.timedelta(days=200), before)
        changes = (rng.randint(1, 6), changed_on)
    return Enterprise(
        code=random_tax_code(rng, province.tax_prefix),
        kind=_TYPES[rng.choice((1, 2))],
        name=f"CÔNG TY TNHH {sector} {brand}",
        foreign_name=f"{ascii_brand} {sector_en} COMPANY LIMITED",
        short_name=f"{ascii_brand} CO., LTD",
        head_office=random_address(rng, province),
        capital=rng.choice((5, 10, 15, 20, 30, 50, 80, 100, 200)) * 100_000_000,
        first_registered=first_registered,
        changes=changes,
    )
