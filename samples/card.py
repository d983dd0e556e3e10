"""The front of a citizen identity card (Căn cước công dân) at its real size.

The card is 85.6 × 54 mm, so at 300 dpi its text is small (about 6.5 pt), as on a real scan; OCR
of cards is tested at that size. The card lies on a white scanner bed with a narrow border.
"""

from __future__ import annotations

import random

from PIL import ImageDraw

from samples.layout import Built, PageCanvas, font
from samples.procedures import Case
from samples.words import date_numeric

CARD_SIZE = (1011, 638)  # 85.6 × 54 mm at 300 dpi
BED_MARGIN = 40  # white scanner bed around the card
TEXT_LEFT = BED_MARGIN + 285  # text column starts right of the photo
_FIELD_SIZES = (27, 25, 23)  # the largest that fits is used: long addresses need smaller type


def build_identity_card(rng: random.Random, case: Case, pages: int) -> Built:
    """CCCD front: header, photo, and the holder's particulars in one column beside the photo."""
    if pages != 1:
        raise ValueError(f"an identity card has 1 page (its front), not {pages}")
    person = case.applicant
    fields = {
        "cccd_number": person.cccd_number,
        "full_name": person.full_name.upper(),
        "date_of_birth": date_numeric(person.date_of_birth),
        "sex": person.sex,
        "nationality": "Việt Nam",
        "place_of_origin": card_address(person.origin),
        "place_of_residence": card_address(person.address.text),
        "date_of_expiry": person.card_expiry,
    }
    photo_shade = (rng.randint(185, 205), rng.randint(110, 135))
    for size in _FIELD_SIZES:
        page = card_canvas(photo_shade)
        try:
            _particulars(page, fields, size)
        except ValueError:
            if size == _FIELD_SIZES[-1]:
                raise
            continue
        break
    return [page.finish()], fields


def card_address(address: str) -> str:
    """An address as the card prints it, with "TP." for cities and no "tỉnh" before provinces."""
    return address.replace("thành phố ", "TP. ").replace("tỉnh ", "")


def card_canvas(photo_shade: tuple[int, int]) -> PageCanvas:
    """The card on the scanner bed with its header drawn, ready for the particulars."""
    width, height = CARD_SIZE[0] + 2 * BED_MARGIN, CARD_SIZE[1] + 2 * BED_MARGIN
    margins = (TEXT_LEFT, BED_MARGIN + 18, BED_MARGIN + 22, BED_MARGIN + 6)
    page = PageCanvas((width, height), margins=margins, spacing=1.3)
    draw_card(page.draw, photo_shade)
    header = (BED_MARGIN + 30, width - BED_MARGIN - 30)
    page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font("sans-bold", 30), "center", column=header)
    page.line("Độc lập - Tự do - Hạnh phúc", font("sans-bold", 28), "center", column=header)
    page.line("CĂN CƯỚC CÔNG DÂN", font("sans-bold", 40), "center", column=header, spacing=1.4)
    return page


def _particulars(page: PageCanvas, fields: dict[str, str], size: int) -> None:
    """The labelled lines; long values go under their label as on the card."""
    body, bold = font("sans", size), font("sans-bold", size + 3)
    page.line(f"Số / No.: {fields['cccd_number']}", bold)
    page.line("Họ và tên / Full name:", body)
    page.line(fields["full_name"], font("sans-bold", size + 1))
    page.line(f"Ngày sinh / Date of birth: {fields['date_of_birth']}", body)
    page.line(f"Giới tính / Sex: {fields['sex']}", body)
    page.line(f"Quốc tịch / Nationality: {fields['nationality']}", body)
    page.line("Quê quán / Place of origin:", body)
    page.paragraph(fields["place_of_origin"], body)
    page.line("Nơi thường trú / Place of residence:", body)
    page.paragraph(fields["place_of_residence"], body)
    page.line(f"Có giá trị đến / Date of expiry: {fields['date_of_expiry']}", body)


def draw_card(draw: ImageDraw.ImageDraw, photo_shade: tuple[int, int]) -> None:
    """The tinted card with rounded corners and a grey photo with a head-and-shoulders shape."""
    left, top = BED_MARGIN, BED_MARGIN
    right, bottom = left + CARD_SIZE[0] - 1, top + CARD_SIZE[1] - 1
    draw.rounded_rectangle((left, top, right, bottom), radius=40, fill=238, outline=150, width=3)
    x0, y0 = left + 35, top + 200
    x1, y1 = x0 + 230, y0 + 300
    background, face = photo_shade
    draw.rectangle((x0, y0, x1, y1), fill=background)
    cx = (x0 + x1) // 2
    draw.ellipse((cx - 62, y0 + 50, cx + 62, y0 + 200), fill=face)
    draw.pieslice((x0 + 15, y0 + 190, x1 - 15, y1 + 100), 180, 360, fill=face)
