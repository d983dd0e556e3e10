"""Identifiers printed on dossiers: the CCCD number, the enterprise (tax) code, sex, phone numbers.

These link a document to a citizen or an enterprise, so a wrong one files papers under somebody
else: each check that the number's structure allows is made, and any disagreement with the other
fields of the document is reported rather than resolved.

The CCCD structure is the one of Circular 07/2016/TT-BCA (article 7 and its appendices), kept by
Circular 59/2021/TT-BCA: 3 digits for the province where the birth was registered, 1 for sex and
century, 2 for the year of birth, 6 random.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum import exceptions as stdnum_errors
from stdnum.vn import mst

from ocr.fields.checked import Checked, collapse_spaces, fold_diacritics, repair_digits

# Appendix I of Circular 07/2016/TT-BCA: the 63 provinces and cities (before the 2025 merger).
CCCD_PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

MALE, FEMALE = "Nam", "Nữ"
_SEX_WORDS = {"nam": MALE, "male": MALE, "nu": FEMALE, "female": FEMALE}
_SEPARATORS = re.compile(r"[\s.\-]+")
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")


def check_sex(raw: str) -> Checked:
    """Sex as Vietnamese papers print it ("Nam" or "Nữ"), from any case, with or without marks."""
    word = fold_diacritics(raw).lower().split("/")[0].strip()
    if word not in _SEX_WORDS:
        return Checked(None, (f"not a sex: {collapse_spaces(raw)!r}",))
    return Checked(_SEX_WORDS[word])


def decode_cccd(number: str) -> tuple[str, int]:
    """The sex and the year of birth a 12-digit CCCD number encodes (digits 4 to 6).

    The century digit counts from the 20th century: 0/1 male/female born 1900-1999, 2/3 in
    2000-2099, and so on up to 8/9 for 2300-2399.
    """
    digit = int(number[3])
    return (MALE if digit % 2 == 0 else FEMALE), 1900 + 100 * (digit // 2) + int(number[4:6])


def check_cccd(
    raw: str,
    *,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> Checked:
    """A CCCD (citizen identity) number, checked on its own and against the card's other fields.

    ``sex`` is the sex field as read ("Nam"/"Nữ", any spelling ``check_sex`` accepts); ``today``
    bounds the year of birth the number may encode and defaults to the clock's date.
    """
    number, repaired = repair_digits(_SEPARATORS.sub("", collapse_spaces(raw)))
    if not number.isdigit():
        return Checked(None, (f"not a number: {collapse_spaces(raw)!r}",), repaired)
    if len(number) != 12:
        return Checked(number, (f"{len(number)} digits instead of 12",), repaired)
    problems: list[str] = []
    if number[:3] not in CCCD_PROVINCES:
        problems.append(f"unknown province code {number[:3]}")
    encoded_sex, year = decode_cccd(number)
    if year > (today or dt.date.today()).year:
        problems.append(f"number says born in {year}, which is in the future")
    if date_of_birth is not None and date_of_birth.year != year:
        problems.append(f"number says born in {year}, date of birth says {date_of_birth.year}")
    stated_sex = check_sex(sex).value if sex is not None else None
    if stated_sex is not None and stated_sex != encoded_sex:
        problems.append(f"number says {encoded_sex}, sex field says {stated_sex}")
    return Checked(number, tuple(problems), repaired)


def check_tax_code(raw: str) -> Checked:
    """An enterprise code (= tax code): 10 digits whose last is a check digit, or a branch's
    13 as ``NNNNNNNNNN-NNN``. The value is in that printed form.

    The check digit is python-stdnum's ``stdnum.vn.mst`` (weights 31, 29, 23, 19, 17, 13, 7, 5,
    3; check = 10 - sum mod 11, and no valid code when that is 10).
    """
    compact, repaired = repair_digits(mst.compact(collapse_spaces(raw)))
    if not compact.isdigit():
        return Checked(None, (f"not a number: {collapse_spaces(raw)!r}",), repaired)
    try:
        mst.validate(compact)
    except stdnum_errors.InvalidLength:
        return Checked(compact, (f"{len(compact)} digits instead of 10 or 13",), repaired)
    except stdnum_errors.InvalidComponent:
        problem = "branch number 000 is not issued" if compact[10:] == "000" else "serial is zero"
        return Checked(mst.format(compact), (problem,), repaired)
    except stdnum_errors.InvalidChecksum:
        return Checked(mst.format(compact), ("check digit does not match",), repaired)
    return Checked(mst.format(compact), (), repaired)


def check_phone(raw: str) -> Checked:
    """A Vietnamese phone number in its domestic form ("0901234567"), from "+84 90 123 45 67",
    "(090) 123.4567" and the like: mobiles have 10 digits, landlines 11 starting with 02."""
    digits = re.sub(r"[\s.\-()]+", "", collapse_spaces(raw))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    digits, repaired = repair_digits(digits)
    if not digits.isdigit():
        return Checked(None, (f"not a phone number: {collapse_spaces(raw)!r}",), repaired)
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return Checked(digits, (), repaired)
    return Checked(digits, ("not a Vietnamese mobile or landline number",), repaired)
