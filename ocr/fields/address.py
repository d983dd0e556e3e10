"""Addresses as Vietnamese papers print them, checked against the administrative units.

On 1 July 2025 Vietnam went from 63 provinces with districts and wards to 34 provinces with
wards and communes only. Papers issued before carry the old units, which no longer exist, so an
address is read in either scheme: ``..., ward, district, province`` (old) or ``..., ward,
province`` (new), with or without the unit words ("phường", "P.", "Quận", "Q.", "huyện",
"tỉnh", "TP."). The units come from ``vietnamadminunits``: its tables of both schemes and its
mapping from old wards to new ones, looked up by the keys of the units found.
``convert_address`` itself is not called: for a ward split in 2025 and an address with a street,
it geocodes the address over the network.

The library's own parser is not used either: it finds a unit's name anywhere in the text and
falls back on whatever matches ("Hà Nộl" is read as a district of Tuyên Quang), where a wrong
address accepted here becomes a citizen's known data. Here each comma-separated part is one
unit, matched as a whole, and every doubt is a problem: a name matched only without its
diacritics or with a letter wrong, a unit that does not exist, or units that do not nest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from ocr.fields.admin_units import Unit, library, new_units, old_units, unit_key
from ocr.fields.checked import Checked, collapse_spaces, fold_diacritics, stray_marks

NESTED = "ward and province found and nested"
"""``details["reason"]`` of an address in the new units that passed every check."""

NESTED_OLD = "ward, district and province found and nested (units before July 2025)"
"""``details["reason"]`` of an address in the old units that passed every check."""

NESTED_OLD_NO_DISTRICT = "ward and province found and nested (units before July 2025)"
"""The same for an old address that gives no district: the ward's name is unique in its
province, and ``details["district"]`` is the district it was in."""

FUZZY_MIN = 80.0
"""rapidfuzz ratio (0..100) from which a misread name is offered as the closest unit: one
letter wrong in a six-letter name scores 83; unrelated names of that length score under 60."""

_RENAMED = {"thuathienhue": "thanhphohue"}  # Thừa Thiên Huế became Thành phố Huế on 2025-01-01
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Unit words as printed, lower case, each with its level and the type it spells in the
# library's keys ("phuong" + "9" is the keyword "phuong9").
_UNIT_WORDS: tuple[tuple[str, str, str], ...] = (
    (r"phường|p\.|p(?=\d)|f\.|f(?=\d)", "ward", "phuong"),
    (r"xã|x\.", "ward", "xa"),
    (r"thị trấn|tt\.", "ward", "thitran"),
    (r"đặc khu", "ward", "dackhu"),
    (r"quận|q\.|q(?=\d)", "district", "quan"),
    (r"huyện|h\.", "district", "huyen"),
    (r"thị xã|tx\.", "district", "thixa"),
    (r"thành phố|tp\.?", "city", "thanhpho"),
    (r"tỉnh|t\.", "province", "tinh"),
    (r"thủ đô", "province", "thudo"),
)
_HEAD = re.compile(
    r"(?:\d|số\b|đường\b|ngõ\b|ngách\b|hẻm\b|kiệt\b|thôn\b|xóm\b|ấp\b|bản\b|tổ\b|khu\b|khối\b)"
)
_COUNTRY = {"vietnam", "vn"}
_K = TypeVar("_K")


@dataclass(frozen=True)
class _Part:
    """One comma-separated part of an address: a unit, or the street and house before them."""

    text: str
    level: str | None  # "ward", "district", "city" (district or province), "province", "head"
    type_key: str  # the unit word as the library's keys spell it ("phuong"), or ""
    name: str  # the text after the unit word

    @property
    def keys(self) -> set[str]:
        return {unit_key(self.name), unit_key(self.type_key + self.name)} - {""}


@dataclass
class _Reading:
    """The address read in one scheme: what it resolved to and what is wrong with it."""

    details: dict[str, str]
    problems: list[str]
    matched: int = 0  # units found, to choose between readings that both fail
    reason: str = NESTED  # what was found, said when nothing is wrong


_OFFICE = re.compile(r"^(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+", re.IGNORECASE)
"""A committee before the place it governs: "Ủy ban nhân dân phường X, quận Y, ..." is read as
the place, as birth records name where a birth was registered."""


def check_address(raw: str, *, repairing: bool = False) -> Checked:
    """An address in the old or the new units; ``details`` names the units it resolved to:
    ``province``, ``ward``, ``district`` (old units only), ``units`` ("old" or "new"), for old
    units ``province_now`` and ``ward_now`` (``ward_now_split`` lists the new wards when the old
    one was split: ``ward_now`` is then the library's usual choice, not a certainty), and
    ``reason`` when every check passed. A unit name whose only slip is in its marks is spelt as
    the unit it names when the address then checks, and the value says it was repaired."""
    text = collapse_spaces(raw)
    if not text:
        return Checked(None, ("empty address",))
    place = _OFFICE.sub("", text)
    parts = [_part(piece) for piece in place.split(",") if piece.strip(" .;")]
    if parts and unit_key(parts[-1].text) in _COUNTRY:
        parts.pop()
    if not parts or parts[-1].level in ("ward", "district", "head"):
        return Checked(text, ("no province found",))
    province, problem = _find_province(parts[-1])
    if province is None:
        return Checked(text, (problem or "no province found",))
    reading = _best_reading(province, parts[:-1])
    problems = (
        ([problem] if problem else [])
        + reading.problems
        + [stray for stray in (stray_marks(text),) if stray]
    )
    if not problems:
        reading.details["reason"] = reading.reason
    elif not repairing and not any(" or " in problem for problem in problems):  # unambiguous
        repaired = _with_marks_restored(text, reading.details)
        if repaired is not None:
            again = check_address(repaired, repairing=True)
            if again.ok:
                return Checked(repaired, (), True, details=again.details)
    return Checked(text, tuple(dict.fromkeys(problems)), details=reading.details)


def _with_marks_restored(text: str, details: Mapping[str, str]) -> str | None:
    """``text`` with the one unit name whose only slip is in its marks spelt as the unit it was
    taken for ("huyện Nghỉ Lộc" for "huyện Nghi Lộc": OCR slips on marks); None if no name or
    more than one differs (an address read without any marks is doubted, not rewritten).
    Whether the repaired address then checks is for the caller to see."""
    names = [_part(details[level]).name for level in ("ward", "district", "province")
             if level in details]  # fmt: skip
    pieces = text.split(",")
    slips = []
    for index, piece in enumerate(pieces):
        part = _part(piece)
        for name in names:
            if part.name != name and unit_key(part.name) == unit_key(name):
                slips.append(index)
                pieces[index] = piece.replace(part.name, name)
    return ",".join(pieces) if len(slips) == 1 else None


def _best_reading(province: Unit, rest: list[_Part]) -> _Reading:
    """The reading the unit words point to, or else the first one without problems."""
    if not rest or rest[-1].level == "head":
        return _Reading({"province": province.name}, ["no ward or commune found"])
    last = rest[-1]
    readings: list[_Reading] = []
    old_ok, new_ok = province.key in old_units().provinces, province.key in new_units().provinces
    if old_ok and last.level in (None, "district", "city"):
        readings.append(_read_old(province, last, rest[-2] if len(rest) > 1 else None))
    if new_ok and last.level in (None, "ward"):
        readings.append(_read_new(province, last))
    if old_ok and last.level in (None, "ward"):
        readings.append(_read_old(province, None, last))
    if not readings:
        return _Reading({"province": province.name}, [f"{last.text!r} is no ward or district"])
    clean = next((reading for reading in readings if not reading.problems), None)
    return clean or max(readings, key=lambda reading: reading.matched)


def _read_old(province: Unit, district_part: _Part | None, ward_part: _Part | None) -> _Reading:
    """The old scheme; without a district part the ward is looked for in the whole province."""
    old = old_units()
    reason = NESTED_OLD if district_part is not None else NESTED_OLD_NO_DISTRICT
    reading = _Reading({"units": "old", "province": province.name}, [], reason=reason)
    districts = old.districts[province.key]
    scope = list(districts)
    if district_part is not None:
        found, problems = _locate(
            district_part,
            districts,
            "district",
            also=lambda: _divided_name(province.key, district_part),
            elsewhere=lambda: _district_elsewhere(district_part, province),
            missing=f"no district {district_part.text!r} in {province.name}",
        )
        reading.problems += problems
        if not found:
            return reading
        reading.matched += 1
        if len(found) == 1 and found[0] in districts:
            reading.details["district"] = districts[found[0]].name
        scope = _divided(province.key, found)
    if ward_part is None or ward_part.level not in (None, "ward"):
        reading.problems.append("no ward or commune found")
        return reading
    district = reading.details.get("district")
    wards = old.wards[province.key]
    candidates = {(d, key): unit for d in scope for key, unit in wards.get(d, {}).items()}
    within = f"{district}, {province.name}" if district else province.name
    keys, problems = _locate(
        ward_part,
        candidates,
        "ward",
        elsewhere=lambda: _ward_elsewhere(ward_part, province, district),
        missing=f"no ward {ward_part.text!r} in {within}",
    )
    reading.problems += problems
    if not keys:
        return reading
    reading.matched += 1
    if len(keys) > 1 and not problems:
        names = " or ".join(f"{candidates[k].name} ({districts[k[0]].name})" for k in keys)
        reading.problems.append(f"ward {ward_part.text!r} is ambiguous: {names}")
    district_key, ward_key = keys[0]
    reading.details.setdefault("district", districts[district_key].name)
    reading.details["ward"] = candidates[keys[0]].name
    reading.details.update(_now(province.key, district_key, ward_key))
    return reading


def _read_new(province: Unit, ward_part: _Part) -> _Reading:
    reading = _Reading({"units": "new", "province": province.name}, [])
    wards = new_units().wards[province.key][""]
    missing = f"no ward {ward_part.text!r} in {province.name}"

    def elsewhere() -> str:
        where = _elsewhere(ward_part, new_units().wards)
        return missing + where if where else ""

    keys, reading.problems = _locate(ward_part, wards, "ward", elsewhere=elsewhere, missing=missing)
    if keys:
        reading.matched += 1
        reading.details["ward"] = wards[keys[0]].name
    return reading


def _locate(
    part: _Part,
    here: Mapping[_K, Unit],
    what: str,
    *,
    elsewhere: Callable[[], str],
    missing: str,
    also: Callable[[], list[_K]] = list,
) -> tuple[list[_K], list[str]]:
    """The keys of the units ``part`` names ``here`` and the problems: spelt exactly (or found
    by ``also``); else, when a unit of that exact name is elsewhere, none and ``elsewhere()``
    saying where (a slip would rarely make another real name); else the closest name, doubted;
    else none and ``missing``."""
    keys, problem = _find(part, here, what, fuzzy=False)
    keys = keys or also()
    if keys:
        return keys, [problem] if problem else []
    where = elsewhere()
    if where:
        return [], [where]
    keys, problem = _find(part, here, what)
    return (keys, [problem]) if keys and problem else ([], [missing])


def _district_elsewhere(part: _Part, province: Unit) -> str:
    where = _elsewhere(part, {key: {"": units} for key, units in old_units().districts.items()})
    return f"no district {part.text!r} in {province.name}{where}" if where else ""


def _ward_elsewhere(ward_part: _Part, province: Unit, district: str | None) -> str:
    """Where a ward not found where the address puts it is: another district of the province,
    or a new ward of another province; "" when no unit has that name."""
    old = old_units()
    if district is not None:
        for district_key, wards in old.wards[province.key].items():
            if _find(ward_part, wards, "ward", fuzzy=False)[0]:
                other = old.districts[province.key][district_key].name
                return f"ward {ward_part.text!r} is not in {district} (it is in {other})"
    now = _elsewhere(ward_part, new_units().wards, since=True)
    within = f"{district}, {province.name}" if district else province.name
    return f"no ward {ward_part.text!r} in {within}{now}" if now else ""


def _elsewhere(
    part: _Part, units: Mapping[str, Mapping[str, Mapping[str, Unit]]], *, since: bool = False
) -> str:
    """The provinces holding a unit spelt exactly as ``part`` (two at most), to say where it
    is; ``units`` by province, then by any grouping (districts, or "")."""
    provinces = {**old_units().provinces, **new_units().provinces}
    places = [
        provinces[province].name
        for province, groups in units.items()
        if any(_find(part, group, "", fuzzy=False)[0] for group in groups.values())
    ]
    if not places:
        return ""
    named = " and ".join(places[:2]) + (" and others" if len(places) > 2 else "")
    return f" (a unit of {named} since July 2025)" if since else f" (it is in {named})"


def _divided_name(province_key: str, part: _Part) -> list[str]:
    """The districts a name given to no district since early 2025 now stands for: "thành phố
    Huế" is the districts Phú Xuân and Thuận Hóa."""
    divided = library().parser_legacy.DICT_PROVINCE_DISTRICT_DIVIDED.get(province_key, {})
    for entry in divided.values():
        if part.keys & set(entry["dividedDistrictKeywords"]):
            return list(entry["districts"])
    return []


def _divided(province_key: str, district_keys: list[str]) -> list[str]:
    """The districts whose wards an address naming ``district_keys`` may give: a few wards
    moved to a neighbouring district just before 2025 (the library's divided districts), and
    papers issued before still name the district they were in."""
    divided = library().parser_legacy.DICT_PROVINCE_DISTRICT_DIVIDED.get(province_key, {})
    scope = list(district_keys)
    for key in district_keys:
        scope += list(divided.get(key, {}).get("districts", {}))
    return list(dict.fromkeys(scope))


def _now(province_key: str, district_key: str, ward_key: str) -> dict[str, str]:
    """The new units an old ward is part of since July 2025, from the library's mapping."""
    converter_2025 = library().converter_2025
    province_now = next(
        (new for new, olds in converter_2025.DICT_PROVINCE.items() if province_key in olds), None
    )
    if province_now is None:
        return {}
    old_key = f"{province_key}_{district_key}_{ward_key}"
    details = {"province_now": new_units().provinces[province_now].name}
    wards_now = new_units().wards[province_now][""]
    for new_key, olds in converter_2025.DICT_PROVINCE_WARD_NO_DIVIDED[province_now].items():
        if old_key in olds and new_key in wards_now:
            return {**details, "ward_now": wards_now[new_key].name}
    split = converter_2025.DICT_PROVINCE_WARD_DIVIDED.get(province_now, {}).get(old_key, [])
    parts = [part for part in split if part["newWardKey"] in wards_now]
    if parts:
        default = next((part for part in parts if part["isDefaultNewWard"]), parts[0])
        details["ward_now"] = wards_now[default["newWardKey"]].name
        details["ward_now_split"] = ", ".join(wards_now[p["newWardKey"]].name for p in parts)
    return details


def _find_province(part: _Part) -> tuple[Unit | None, str | None]:
    provinces = {**old_units().provinces, **new_units().provinces}
    if part.level is None and unit_key(part.name).startswith("tp"):  # "TPHCM", "TP.HCM" unspaced
        part = _Part(part.text, "city", "thanhpho", part.name[2:].lstrip(". "))
    key = _RENAMED.get(unit_key(part.name))
    if key is not None:
        return provinces[key], None
    keys, problem = _find(part, provinces, "province")
    if not keys:
        return None, f"no province found: {part.text!r} is no province"
    return provinces[keys[0]], problem


def _find(
    part: _Part, units: Mapping[_K, Unit], what: str, *, fuzzy: bool = True
) -> tuple[list[_K], str | None]:
    """The keys of the units ``part`` names, and the doubt about it: exactly by the library's
    keywords (diacritics aside, then compared), else the closest name by ``FUZZY_MIN``."""
    keys = part.keys
    exact = [key for key, unit in units.items() if keys & unit.keywords]
    typed = [key for key in exact if part.type_key and units[key].type_key == part.type_key]
    exact = typed or exact
    spelt = [key for key in exact if _spelt_as(part, units[key])]
    exact = spelt or exact  # "Hoằng Quỳ" is not "Hoằng Quý", a commune of the same district
    if len(exact) > 1 and not spelt:
        names = " or ".join(repr(units[key].short) for key in exact)
        return exact, f"{what} read as {part.name!r}? closest {names}"
    if exact:
        doubt = f"{what} read as {part.name!r}? closest {units[exact[0]].short!r}"
        return exact, doubt if _spelt_as(part, units[exact[0]]) is False else None
    if not fuzzy or not part.name:
        return [], None
    written = fold_diacritics(part.name).lower()
    scored = sorted(
        (
            (fuzz.ratio(written, fold_diacritics(unit.short).lower()), unit.name, key)
            for key, unit in units.items()
        ),
        key=lambda item: (-item[0], item[1]),
    )
    if not scored or scored[0][0] < FUZZY_MIN:
        return [], None
    best = scored[0][2]
    close = [units[key].short for score, _, key in scored[1:3] if score >= scored[0][0] - 3]
    closest = " or ".join(repr(name) for name in [units[best].short, *close])
    return [best], f"{what} read as {part.name!r}? closest {closest}"


def _spelt_as(part: _Part, unit: Unit) -> bool | None:
    """Whether ``part`` spells the unit's name with its diacritics; None when it was found by
    an old name or an abbreviation ("HCM"), which have no spelling to compare."""
    for canonical in (unit.short, unit.name):
        if unit_key(part.name) == unit_key(canonical):
            return _syllables(part.name) == _syllables(canonical)
    return None


def _syllables(text: str) -> list[tuple[str, str]]:
    """Each syllable's letters and tone mark, so that "Hoà" and "Hòa" (where the tone mark
    sits is a matter of style) are the same spelling and "Hoa" and "Hóa" are not."""
    syllables = []
    for word in re.split(r"[\s\-–'’.]+", unicodedata.normalize("NFD", text.lower())):
        tone = "".join(c for c in word if c in _TONES)
        letters = unicodedata.normalize("NFC", "".join(c for c in word if c not in _TONES))
        if letters:
            syllables.append((letters, tone))
    return syllables


def _part(piece: str) -> _Part:
    text = piece.strip(" .;")
    lower = text.lower()
    for pattern, level, type_key in _UNIT_WORDS:
        match = re.match(rf"(?:{pattern})(?:\s+|(?<=\.)|(?=\d))", lower)
        if match is not None and match.end() < len(text):
            return _Part(text, level, type_key, text[match.end() :].strip(" ."))
    return _Part(text, "head" if _HEAD.match(lower) else None, "", text)
