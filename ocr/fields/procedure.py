"""The procedure a form requests ("Nội dung đề nghị"), resolved to the national catalogue's entry.

The catalogue is data (``procedures.yaml`` beside this module: code, name, level, sector and the
other wordings forms use), loaded and validated once. A value is matched as a whole, without
diacritics and with rapidfuzz's ratio, after the words applicants wrap around a procedure's name
("Đề nghị ... cho tôi.") are set aside. As a whole: a value that ran on into the next sentence of
the form, or names a sibling procedure ("đăng ký tạm trú" against "đăng ký thường trú"), scores
well below ``MIN_SCORE`` instead of matching a name it merely contains.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz import fuzz

from ocr.fields.checked import Checked, collapse_spaces
from ocr.fields.classify import plain
from ocr.fields.doctypes import load_document_types

CATALOGUE = Path(__file__).with_name("procedures.yaml")

MIN_SCORE = 90.0
"""The ratio (0..100) from which a value is that procedure: a 20-letter name with one letter
misread scores 95; sibling procedures ("đăng ký lại khai sinh" for "đăng ký khai sinh") score
85-89, and a name followed by a sentence of body text scores under 60."""

AMBIGUOUS_WITHIN = 5.0
"""A runner-up this close to the best entry is as plausible a reading: the value goes to review.
A value missing the word that tells siblings apart ("đăng ký lại khai" for "... khai sinh" or
"... khai tử") scores 91 and 86; a clean match leads its nearest sibling by 10 or more."""

FOUND = "procedure found in the catalogue"
"""``details["reason"]`` of a value that matched one entry well enough."""

# Words around a procedure's name in a request, at its start and at its end, without diacritics.
_LEADING = re.compile(
    r"^(?:kinh |toi |chung toi )?(?:de nghi|xin|yeu cau)(?: duoc| cho)? "
    r"|^(?:duoc |lam |thuc hien |giai quyet )?thu tuc "
)
_TRAILING = re.compile(
    r" (?:cho|den|toi|tai) (?:toi|chung toi|gia dinh toi|ho gia dinh toi|con toi|con|chau|"
    r"ban than|cong ty|doanh nghiep|ho kinh doanh)$| theo quy dinh(?: cua phap luat)?$"
)
_MARKS = re.compile(r"[^\w\s]|_")


class Level(StrEnum):
    """Who decides the procedure since July 2025."""

    COMMUNE = "commune"  # Ủy ban nhân dân or Công an cấp xã
    PROVINCIAL = "provincial"  # a provincial department (Sở)


class Component(BaseModel):
    """A paper the procedure's dossier must hold, as a document type sohoa recognises."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document_type: str = Field(pattern=r"^[a-z][a-z_]*$")
    label: str = Field(min_length=3)
    """The paper as the procedure's list of papers names it."""
    copies: int = Field(default=1, ge=1)
    """How many such papers the dossier holds; more is reported (a paper scanned twice)."""


class Procedure(BaseModel):
    """One catalogue entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[1-3]\.\d{6}$")
    name: str = Field(min_length=3)
    level: Level
    sector: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    components: tuple[Component, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    procedures: tuple[Procedure, ...] = Field(min_length=1)

    @field_validator("procedures")
    @classmethod
    def _unique(cls, procedures: tuple[Procedure, ...]) -> tuple[Procedure, ...]:
        """A code or a wording twice would make a match depend on the file's order."""
        seen: dict[str, str] = {}
        for procedure in procedures:
            for key in (procedure.code, *(core(wording) for wording in procedure.wordings)):
                if key in seen and seen[key] != procedure.code:
                    raise ValueError(f"{key!r} belongs to both {seen[key]} and {procedure.code}")
                seen[key] = procedure.code
        return procedures

    def find(self, code: str) -> Procedure | None:
        return next((procedure for procedure in self.procedures if procedure.code == code), None)


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file and the entry."""


def check_procedure(raw: str) -> Checked:
    """The catalogue entry ``raw`` names; ``details`` holds its ``code``, ``name``, ``level``,
    ``sector``, the ``match`` score (0..100) and, when nothing is wrong, the ``reason``."""
    text = collapse_spaces(raw)
    wanted = core(text)
    if not wanted:
        return Checked(None, ("empty procedure",))
    ranked = sorted(
        ((_score(wanted, procedure), procedure) for procedure in load_catalogue().procedures),
        key=lambda item: -item[0],
    )
    score, best = ranked[0]
    if score < MIN_SCORE:
        closest = f" (closest: {best.name!r}, {score:.0f})" if score >= 60 else ""
        return Checked(text, (f"matches no procedure in the catalogue{closest}",))
    details = {
        "code": best.code,
        "name": best.name,
        "level": best.level.value,
        "sector": best.sector,
        "match": f"{score:.0f}",
    }
    rival_score, rival = ranked[1] if len(ranked) > 1 else (0.0, best)
    if rival_score >= score - AMBIGUOUS_WITHIN:
        problem = f"ambiguous between {best.name!r} and {rival.name!r}"
        return Checked(best.name, (problem,), details=details)
    return Checked(best.name, details={**details, "reason": FOUND})


def core(text: str) -> str:
    """The words that name the procedure: no diacritics, case or punctuation, and without the
    request's own words around them ("Đề nghị đăng ký thường trú cho tôi." → "dang ky thuong
    tru"), nor the "Thủ tục" the catalogue puts before some names."""
    words = " ".join(_MARKS.sub(" ", plain(text).lower()).split())
    previous = None
    while words != previous:
        previous = words
        words = _TRAILING.sub("", _LEADING.sub("", words)).strip()
    return words


def _score(wanted: str, procedure: Procedure) -> float:
    return max(float(fuzz.ratio(wanted, core(wording))) for wording in procedure.wordings)


@functools.cache
def load_catalogue(path: Path = CATALOGUE) -> Catalogue:
    """The catalogue in ``path``, read once per process: a malformed file stops the first check
    with an error naming the file and the entry rather than matching against half a list."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise CatalogueError(f"{path}: cannot be read as YAML: {e}") from e
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as e:
        raise CatalogueError(f"{path}: {_describe(e, data)}") from e
    known = load_document_types()
    for procedure in catalogue.procedures:
        for component in procedure.components:
            if component.document_type not in known:
                raise CatalogueError(
                    f"{path}: {procedure.code}: component {component.label!r} is of document "
                    f"type {component.document_type!r}, which is none of {sorted(known)}"
                )
    return catalogue


def _describe(error: ValidationError, data: object) -> str:
    """Each complaint with the entry it is about: "procedures[3] (1.004222).code: ..."."""
    entries = data.get("procedures") if isinstance(data, dict) else None
    problems = []
    for item in error.errors():
        location = list(item["loc"])
        where = ".".join(str(part) for part in location) or "(top)"
        if len(location) >= 2 and location[0] == "procedures" and isinstance(location[1], int):
            entry = entries[location[1]] if isinstance(entries, list) else None
            code = entry.get("code") if isinstance(entry, dict) else None
            field = ".".join(str(part) for part in location[2:])
            where = f"procedures[{location[1]}]" + (f" ({code})" if code else "")
            where += f".{field}" if field else ""
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)
