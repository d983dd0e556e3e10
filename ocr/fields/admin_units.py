"""Vietnam's administrative units, old and new, from the tables ``vietnamadminunits`` ships.

Two schemes: the 63 provinces with their districts and wards as they were until 30 June 2025,
and the 34 provinces with their wards and communes since 1 July 2025 (no districts). Each unit
keeps the keys the library finds it by (old names and abbreviations included). The library is
imported on the first address: importing it loads its parser's data and geopy (about 0.7 s and
50 MB), which processes that check no address need not pay.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from ocr.fields.checked import fold_diacritics


@dataclass(frozen=True)
class Unit:
    """A province, district or ward, as the library names and finds it."""

    key: str  # the library's key: "phuongbenthanh"
    name: str  # "Phường Bến Thành"
    short: str  # "Bến Thành"
    keywords: frozenset[str]  # the keys it is found by, old names and abbreviations included

    @property
    def type_key(self) -> str:
        return unit_key(self.name).removesuffix(unit_key(self.short))


@dataclass(frozen=True)
class Scheme:
    """One scheme's units; the new one has no districts (its wards are under "")."""

    provinces: dict[str, Unit]
    districts: dict[str, dict[str, Unit]] = field(default_factory=dict)
    wards: dict[str, dict[str, dict[str, Unit]]] = field(default_factory=dict)
    """By province key, district key ("" in the new scheme) and ward key."""


def unit_key(text: str) -> str:
    """The library's spelling of a name in its keys: no diacritics, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold_diacritics(text).lower())


@functools.cache
def library() -> SimpleNamespace:
    """vietnamadminunits, imported on the first address: importing it loads its parser's data
    and geopy (about 0.7 s and 50 MB), which processes that check no address need not pay."""
    from vietnamadminunits.converter import converter_2025
    from vietnamadminunits.database import get_data
    from vietnamadminunits.parser import parser_legacy

    return SimpleNamespace(
        converter_2025=converter_2025, get_data=get_data, parser_legacy=parser_legacy
    )


def load_units() -> None:
    """Build both schemes now (a worker, as it starts): the first address a process checks
    would otherwise cost its document about 1.2 s."""
    old_units()
    new_units()


@functools.cache
def old_units() -> Scheme:
    """The 63 provinces with their districts and wards, as they were until 30 June 2025."""
    return _scheme("admin_units_legacy", ("province", "district", "ward"))


@functools.cache
def new_units() -> Scheme:
    """The 34 provinces and their wards and communes since 1 July 2025."""
    return _scheme("admin_units", ("province", "ward"))


def _scheme(table: str, levels: tuple[str, ...]) -> Scheme:
    """One of the library's tables (a read-only file it ships), a row per ward."""
    columns = [
        f"{level}{suffix}" for level in levels for suffix in ("", "Short", "Key", "Keywords")
    ]
    rows: list[dict[str, str | None]] = library().get_data(fields=columns, table=table)
    scheme = Scheme({})
    for row in rows:
        units = {
            level: Unit(
                key,
                row[level] or "",
                row[f"{level}Short"] or "",
                frozenset(json.loads(row[f"{level}Keywords"] or "[]"))
                | {unit_key(row[f"{level}Short"] or "")},
            )
            for level in levels
            if (key := row[f"{level}Key"]) is not None  # island districts have no wards
        }
        province, district = units["province"], units.get("district")
        scheme.provinces.setdefault(province.key, province)
        if district is not None:
            scheme.districts.setdefault(province.key, {})[district.key] = district
        if "ward" in units:
            group = scheme.wards.setdefault(province.key, {}).setdefault(
                district.key if district else "", {}
            )
            group[units["ward"].key] = units["ward"]
    return scheme
