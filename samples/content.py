"""Random but structurally valid Vietnamese people, addresses and identifiers.

Everything is drawn from a ``random.Random`` the caller seeds, so a sample is the same on every
run and machine. Identifiers obey the real rules (CCCD province/sex/century digits, tax-code check
digit) because field extraction validates them and must be tested on values that pass.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from samples.places import PROVINCES, District, Province, streets_of

SURNAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip
# Rough shares of the population; Nguyễn alone is about four in ten.
_SURNAME_WEIGHTS = (38, 11, 9, 7, 5, 4, 4, 4, 3, 2, 2, 2, 2, 1, 1, 1)
_MIDDLE = {
    "Nam": ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Gia", "Thanh", "Ngọc"),
    "Nữ": ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Phương", "Hoài", "Mai", "Bảo"),
}
_GIVEN = {
    "Nam": (
        "An", "Bình", "Cường", "Dũng", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong", "Quân",
        "Sơn", "Thắng", "Tuấn", "Việt", "Hoàng", "Đạt", "Trung", "Hiếu", "Nghĩa", "Lộc", "Tùng",
    ),
    "Nữ": (
        "Anh", "Chi", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung",
        "Phương", "Thảo", "Trang", "Vân", "Yến", "Hạnh", "Thủy", "Loan", "Duyên", "Huyền", "Quỳnh",
    ),
}  # fmt: skip
SEXES = ("Nam", "Nữ")
# Milestone ages at which a CCCD must be renewed; a card issued within two years before one
# stays valid to the next, and one issued from 58 on never expires.
_CARD_RENEWAL_AGES = (25, 40, 60)
NO_EXPIRY = "Không thời hạn"


@dataclass(frozen=True)
class Address:
    """An address and the units it lies in, so offices near it can be named."""

    text: str  # "Số 12, đường Lê Lợi, phường Bến Thành, Quận 1, TP. Hồ Chí Minh"
    ward: str
    district: District
    province: Province


@dataclass(frozen=True)
class Person:
    """A citizen as the documents describe them; names in normal case, printed upper where asked."""

    full_name: str
    sex: str  # "Nam" or "Nữ", as printed
    date_of_birth: dt.date
    cccd_number: str
    address: Address  # nơi thường trú
    origin: str  # quê quán
    phone: str
    card_expiry: str  # dd/mm/yyyy or "Không thời hạn"


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def random_name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    """Surname, middle name and given name, e.g. "Nguyễn Thị Thu Hà" (sometimes two middles)."""
    surname = surname or rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    middles = rng.sample(_MIDDLE[sex], 2 if rng.random() < 0.2 else 1)
    if sex == "Nữ" and len(middles) == 2 and "Thị" in middles:
        middles.remove("Thị")
        middles.insert(0, "Thị")
    return " ".join([surname, *middles, rng.choice(_GIVEN[sex])])


def random_address(rng: random.Random, province: Province) -> Address:
    """A permanent-residence address, most specific part first, as Vietnamese forms write it."""
    district = rng.choice(province.districts)
    ward = rng.choice(district.wards)
    if district.urban:
        number = str(rng.randint(1, 350))
        if rng.random() < 0.2:
            number += f"/{rng.randint(1, 40)}"
        street = f"đường {rng.choice(streets_of(province))}"
        if rng.random() < 0.3:
            street = f"ngõ {rng.randint(2, 180)}, {street}"
        head = f"Số {number}, {street}"
    else:
        head = f"Thôn {rng.randint(1, 12)}"
    text = f"{head}, {ward}, {district.name}, {province.printed}"
    return Address(text, ward, district, province)


def random_origin(rng: random.Random, province: Province) -> str:
    """A place of origin (quê quán): ward, district and province, no street."""
    district = rng.choice(province.districts)
    return f"{rng.choice(district.wards)}, {district.name}, {province.printed}"


def cccd_number(rng: random.Random, province: Province, sex: str, date_of_birth: dt.date) -> str:
    """12 digits: province of birth registration, sex-and-century digit, year of birth, serial.

    The fourth digit is 0/1 for men/women born in the 1900s and 2/3 for the 2000s.
    """
    century = (date_of_birth.year // 100) - 19
    if century not in (0, 1):
        raise ValueError(f"no CCCD rule for the year {date_of_birth.year}")
    sex_digit = 2 * century + (0 if sex == "Nam" else 1)
    serial = f"{rng.randint(0, 999_999):06d}"
    return f"0{province.code}{sex_digit}{date_of_birth.year % 100:02d}{serial}"


def card_expiry(date_of_birth: dt.date, issued_on: dt.date) -> dt.date | None:
    """The "Có giá trị đến" of a card issued on ``issued_on``; None when it never expires."""
    for age in _CARD_RENEWAL_AGES:
        if issued_on < add_years(date_of_birth, age - 2):
            return add_years(date_of_birth, age)
    return None


def _card_in_force(rng: random.Random, date_of_birth: dt.date, today: dt.date) -> str:
    """The expiry printed on the card the person holds on ``today``, renewed whenever it ran out."""
    first_issue = max(add_years(date_of_birth, 14), dt.date(2016, 1, 1))
    issued_on = random_date(rng, min(first_issue, today), today)
    expiry = card_expiry(date_of_birth, issued_on)
    while expiry is not None and expiry <= today:
        expiry = card_expiry(date_of_birth, expiry)
    return NO_EXPIRY if expiry is None else expiry.strftime("%d/%m/%Y")


def random_phone(rng: random.Random) -> str:
    """A 10-digit mobile number with a current carrier prefix."""
    prefix = rng.choice(("090", "091", "093", "094", "096", "097", "098", "032", "035", "086"))
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(7))


def random_person(
    rng: random.Random,
    *,
    today: dt.date,
    sex: str | None = None,
    surname: str | None = None,
    born: tuple[dt.date, dt.date] | None = None,
) -> Person:
    """A citizen living on ``today``: an adult unless ``born`` gives other birth dates."""
    sex = sex or rng.choice(SEXES)
    start, end = born or (dt.date(1955, 1, 1), add_years(today, -18))
    date_of_birth = random_date(rng, start, end)
    birth_province = rng.choice(PROVINCES)
    home = rng.choice(PROVINCES) if rng.random() < 0.4 else birth_province
    return Person(
        full_name=random_name(rng, sex, surname),
        sex=sex,
        date_of_birth=date_of_birth,
        cccd_number=cccd_number(rng, birth_province, sex, date_of_birth),
        address=random_address(rng, home),
        origin=random_origin(rng, birth_province),
        phone=random_phone(rng),
        card_expiry=_card_in_force(rng, date_of_birth, today),
    )


_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code, or None when the nine digits can have no valid code."""
    total = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def is_valid_tax_code(code: str) -> bool:
    """True for a 10-digit enterprise/tax code whose check digit is right."""
    if len(code) != 10 or not code.isdigit():
        return False
    return tax_check_digit(code[:9]) == int(code[9])


def random_tax_code(rng: random.Random, prefix: str) -> str:
    """A valid 10-digit enterprise code starting with a tax department's two-digit prefix."""
    while True:
        first_nine = prefix + "".join(str(rng.randint(0, 9)) for _ in range(7))
        check = tax_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
