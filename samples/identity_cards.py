"""Identity cards of other years than the default chip card, for leave-one-family-out tests.

Two fronts at the card's real size (``samples.card``): the 2024 "CĂN CƯỚC" card of the Law on
Identity 2023, with bilingual labels, a QR code, the number and name under their labels and sex
and nationality sharing one line; and the 2016 "CĂN CƯỚC CÔNG DÂN" (its barcode is on the back),
Vietnamese labels only, every value on its label's line, wrapped addresses continuing at the text
column's left edge. The 2024 card carries residence, place of birth and expiry on its back; they
are printed on the front here so that one image holds every field.

Both are laid out so that ``ocr.reading`` finds them upright: it judges up from the ink above
and below each text line, and a QR code as large as the real one (25 modules) beside the emblem,
or the photo's lower edge below the last of tightly spaced lines, made it read most of these
cards upside down. The 2016 card's expiry, printed under the photo on the real card, is the text
column's last line here: under the photo, tesseract read it before or beside the residence.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import TypeVar

from PIL import ImageDraw, ImageFont

from samples.card import BED_MARGIN, CARD_SIZE, TEXT_LEFT, card_address, card_canvas, draw_card
from samples.content import Person
from samples.layout import Built, PageCanvas, font
from samples.procedures import Case
from samples.words import date_numeric

# A printed item: its label, its value as printed, and the field it is.
Item = tuple[str, str, str]
Drawn = TypeVar("Drawn")
_NATIONALITY = "Việt Nam"  # every holder of a citizen's card is a Vietnamese citizen
_QR_MODULES = 21  # a version-1 QR code, about 9 mm wide
_QR_MODULE = 5  # pixels per module


def build_can_cuoc_2024(rng: random.Random, case: Case, pages: int) -> Built:
    """The 2024 "CĂN CƯỚC" card in Arial-like type: labels "Vietnamese / English"."""
    if pages != 1:
        raise ValueError(f"an identity card has 1 page (its front), not {pages}")
    photo_shade = (rng.randint(200, 220), rng.randint(115, 140))
    qr_bits = rng.getrandbits(_QR_MODULES**2)

    def draw(size: int) -> tuple[PageCanvas, dict[str, str]]:
        page = _card_2024(photo_shade, qr_bits)
        return page, _particulars_2024(page, case.applicant, size)

    page, fields = _largest_that_fits(draw, (23, 22, 21))
    return [page.finish()], fields


def build_barcode_card_2016(rng: random.Random, case: Case, pages: int) -> Built:
    """The 2016 "CĂN CƯỚC CÔNG DÂN" with a barcode on its back, in Times-like type."""
    if pages != 1:
        raise ValueError(f"an identity card has 1 page (its front), not {pages}")
    photo_shade = (rng.randint(222, 230), rng.randint(110, 135))

    def draw(size: int) -> tuple[PageCanvas, dict[str, str]]:
        page = card_canvas(photo_shade)
        page.spacing = 1.5  # the 2016 card spreads its lines down to the bottom edge
        _emblem(page.draw)
        return page, _particulars_2016(page, case.applicant, size)

    page, fields = _largest_that_fits(draw, (29, 27, 25))
    return [page.finish()], fields


def _largest_that_fits(draw: Callable[[int], Drawn], sizes: tuple[int, ...]) -> Drawn:
    """The card drawn in the first of ``sizes`` (pixels) its text fits at: long addresses need
    smaller type; ValueError if even the last does not fit."""
    for size in sizes[:-1]:
        try:
            return draw(size)
        except ValueError:
            continue
    return draw(sizes[-1])


def _card_2024(photo_shade: tuple[int, int], qr_bits: int) -> PageCanvas:
    """The blank 2024 card with its emblem, QR code and bilingual heading drawn."""
    size = (CARD_SIZE[0] + 2 * BED_MARGIN, CARD_SIZE[1] + 2 * BED_MARGIN)
    margins = (TEXT_LEFT, BED_MARGIN + 22, BED_MARGIN + 22, BED_MARGIN + 8)
    page = PageCanvas(size, margins=margins, spacing=1.28)
    draw_card(page.draw, photo_shade)
    _emblem(page.draw)
    qr_left = size[0] - BED_MARGIN - 30 - _QR_MODULES * _QR_MODULE
    _qr_code(page.draw, (qr_left, BED_MARGIN + 25), qr_bits)
    header = (BED_MARGIN + 175, qr_left - 15)
    page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font("arial-bold", 25), "center", column=header)
    page.line("SOCIALIST REPUBLIC OF VIET NAM", font("arial", 23), "center", column=header)
    page.line("CĂN CƯỚC", font("arial-bold", 46), "center", column=header, spacing=1.1)
    page.line("IDENTITY CARD", font("arial-bold", 25), "center", column=header, spacing=1.5)
    return page


def _particulars_2024(page: PageCanvas, person: Person, size: int) -> dict[str, str]:
    """Number and name under their labels, sex and nationality on one line, places under
    theirs; the fields as printed."""
    body = font("arial", size)
    fields = {"cccd_number": person.cccd_number, "full_name": person.full_name.upper()}
    page.line("Số định danh cá nhân / Personal identification number:", body)
    page.line(fields["cccd_number"], font("arial-bold", size + 5))
    page.line("Họ, chữ đệm và tên khai sinh / Surname, middle and given name:", body)
    page.line(fields["full_name"], font("arial-bold", size + 2))
    fields["date_of_birth"] = date_numeric(person.date_of_birth)
    page.line(f"Ngày, tháng, năm sinh / Date of birth: {fields['date_of_birth']}", body)
    fields |= {"sex": person.sex, "nationality": _NATIONALITY}
    sex, nationality = f"Giới tính / Sex: {person.sex}", f"Quốc tịch / Nationality: {_NATIONALITY}"
    _runs(page, [(sex, body, 0), (nationality, body, round(page.width * 0.4))])
    places = (
        ("Nơi đăng ký khai sinh / Place of birth", person.origin, "place_of_origin"),
        ("Nơi cư trú / Place of residence", person.address.text, "place_of_residence"),
    )
    for label, place, name in places:
        fields[name] = card_address(place)
        page.line(f"{label}:", body)
        page.paragraph(fields[name], body)
    fields["date_of_expiry"] = person.card_expiry
    page.line(f"Có giá trị đến / Date of expiry: {person.card_expiry}", body)
    return fields


def _particulars_2016(page: PageCanvas, person: Person, size: int) -> dict[str, str]:
    """Every value on its label's line, the number and name bold, the expiry italic; the
    fields as printed."""
    body = font("times", size)
    fields = {"cccd_number": person.cccd_number, "full_name": person.full_name.upper()}
    number, name = "Số: ", "Họ và tên: "
    _runs(page, [(number, body, 0), (fields["cccd_number"], font("times-bold", size + 3), 0)])
    full_name = (fields["full_name"], font("times-bold", size + 2), round(body.getlength(name)))
    _runs(page, [(name, body, 0), full_name])
    items: list[Item] = [
        ("Ngày, tháng, năm sinh", date_numeric(person.date_of_birth), "date_of_birth"),
        ("Giới tính", person.sex, "sex"),
        ("Quốc tịch", _NATIONALITY, "nationality"),
        ("Quê quán", card_address(person.origin), "place_of_origin"),
        ("Nơi thường trú", card_address(person.address.text), "place_of_residence"),
        ("Có giá trị đến", person.card_expiry, "date_of_expiry"),
    ]
    for label, value, field in items:
        face = font("times-italic", size) if field == "date_of_expiry" else body
        page.field(label, value, face, continuation="margin")
        fields[field] = value
    return fields


def _runs(page: PageCanvas, runs: list[tuple[str, ImageFont.FreeTypeFont, int]]) -> None:
    """Pieces of one line, each in its face from its indent (pixels), on a common baseline;
    recorded as the one line a reader takes them for. A zero indent after the first piece means
    "right after the previous piece"; ValueError when a piece runs into the next."""
    top, tallest = page.y, max(face.size for _, face, _ in runs)
    after, bottom = 0, page.y
    for text, face, indent in runs:
        start = indent or after
        if start < after:
            raise ValueError(f"{text!r} would overlap the text before it")
        page.y = top + tallest - face.size
        page.line(text, face, indent=start)
        after = start + round(face.getlength(text.rstrip() + " "))
        bottom = max(bottom, page.y)
    page.y = bottom
    page.lines[-len(runs) :] = [" ".join(page.lines[-len(runs) :])]


def _emblem(draw: ImageDraw.ImageDraw) -> None:
    """The national emblem at the card's top left, as a ringed disc with a five-pointed star."""
    cx, cy, radius = BED_MARGIN + 95, BED_MARGIN + 80, 56
    box = (cx - radius, cy - radius, cx + radius, cy + radius)
    draw.ellipse(box, fill=150, outline=110, width=5)
    star = []
    for point in range(10):
        reach = 34 if point % 2 == 0 else 14
        angle = math.pi * (point / 5 - 0.5)
        star.append((cx + reach * math.cos(angle), cy - 4 + reach * math.sin(angle)))
    draw.polygon(star, fill=225)


def _qr_code(draw: ImageDraw.ImageDraw, corner: tuple[int, int], bits: int) -> None:
    """A QR-code-like square: the three finder patterns and ``bits`` as the data modules."""
    x0, y0 = corner
    side = _QR_MODULES * _QR_MODULE
    draw.rectangle((x0 - 8, y0 - 8, x0 + side + 7, y0 + side + 7), fill=255)
    finders = ((0, 0), (_QR_MODULES - 7, 0), (0, _QR_MODULES - 7))

    def module(col: int, row: int) -> bool:
        for fx, fy in finders:
            if fx - 1 <= col <= fx + 7 and fy - 1 <= row <= fy + 7:
                ring = max(abs(col - fx - 3), abs(row - fy - 3))
                return ring in (0, 1, 3)
        return bool(bits >> (row * _QR_MODULES + col) & 1)

    for row in range(_QR_MODULES):
        for col in range(_QR_MODULES):
            if module(col, row):
                x, y = x0 + col * _QR_MODULE, y0 + row * _QR_MODULE
                draw.rectangle((x, y, x + _QR_MODULE - 1, y + _QR_MODULE - 1), fill=0)
