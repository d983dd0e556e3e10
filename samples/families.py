"""Layout families: the same kind of paper as different agencies and years lay it out.

Field extraction is tuned on some families and measured on the others, so each family differs
the way real papers do: label wordings, numbering, where values sit (after the label, under it,
in a ruled table), how wrapped values continue, boilerplate between the fields, type face and
size. The first family of each kind is its default, the layout ``render_document`` draws when no
family is named.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from samples.application_forms import build_district_table, build_numbered_notes
from samples.birth_records import build_certificate_table, build_numbered_extract
from samples.business_certificates import build_margin_notes, build_ruled_table
from samples.card import build_identity_card
from samples.forms import build_application, build_birth_record, build_business_certificate
from samples.identity_cards import build_barcode_card_2016, build_can_cuoc_2024
from samples.land import build_land_use_certificate
from samples.land_certificates import build_form_2004, build_form_2024
from samples.layout import Built
from samples.procedures import Case

Builder = Callable[[random.Random, Case, int], Built]

FAMILIES: dict[str, dict[str, Builder]] = {
    "don_de_nghi": {
        "ward_form": build_application,
        "district_table": build_district_table,
        "numbered_notes": build_numbered_notes,
    },
    "cccd": {
        "chip_card": build_identity_card,
        "can_cuoc_2024": build_can_cuoc_2024,
        "barcode_2016": build_barcode_card_2016,
    },
    "dang_ky_doanh_nghiep": {
        "registration_office": build_business_certificate,
        "ruled_table": build_ruled_table,
        "margin_notes": build_margin_notes,
    },
    "khai_sinh": {
        "civil_status": build_birth_record,
        "certificate_table": build_certificate_table,
        "numbered_extract": build_numbered_extract,
    },
    "quyen_su_dung_dat": {
        "red_book_2009": build_land_use_certificate,
        "form_2024": build_form_2024,
        "form_2004": build_form_2004,
    },
}
"""By document kind, its families by name, the default first."""


def family_names(kind: str) -> tuple[str, ...]:
    """The families of ``kind``, the default first; ValueError for an unknown kind."""
    if kind not in FAMILIES:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {tuple(FAMILIES)}")
    return tuple(FAMILIES[kind])


def builder(kind: str, family: str | None = None) -> tuple[str, Builder]:
    """The family's name and builder; the kind's default when ``family`` is None."""
    names = family_names(kind)
    name = family or names[0]
    if name not in FAMILIES[kind]:
        raise ValueError(f"unknown {kind} family {name!r}; expected one of {names}")
    return name, FAMILIES[kind][name]
