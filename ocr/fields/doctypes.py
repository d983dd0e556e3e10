"""Document types as data: one YAML file per type, loaded and checked when a process starts.

A type names the phrases that identify it (for classification) and its fields: the label
spellings to anchor on (with and without diacritics), where the value sits relative to the
label, the pattern the value must match, what kind of value it is (which decides its normaliser
and validators), and the confidence above which it is accepted without review. Adding a type
is adding a file to ``ocr/fields/types/``; a malformed file stops the start with an error that
names the file and the key, rather than surfacing as wrong fields weeks later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

TYPES_FOLDER = Path(__file__).with_name("types")


class Position(StrEnum):
    """Where a value sits relative to its label."""

    SAME_LINE = "same_line"  # after the label, on its line ("Họ và tên: NGUYỄN VĂN AN")
    NEXT_LINE = "next_line"  # on the line under the label (long values on a CCCD card)
    BELOW = "below"  # the lines under the label up to the next label (addresses)
    ANYWHERE = "anywhere"  # no label: the first text matching the pattern (a signing date)


class ValueKind(StrEnum):
    """What a value is: decides its normaliser and validators."""

    TEXT = "text"
    NAME = "name"
    FOREIGN_NAME = "foreign_name"
    DATE = "date"
    CARD_EXPIRY = "card_expiry"
    SEX = "sex"
    CCCD = "cccd"
    TAX_CODE = "tax_code"
    AMOUNT = "amount"
    AREA = "area"
    PHONE = "phone"
    ADDRESS = "address"
    PROCEDURE = "procedure"


ACCEPT_AT: dict[ValueKind, float] = {
    ValueKind.NAME: 0.85,
    ValueKind.FOREIGN_NAME: 0.81,
    ValueKind.ADDRESS: 0.82,
    ValueKind.AREA: 0.81,
    ValueKind.SEX: 0.83,
    ValueKind.CARD_EXPIRY: 0.87,
    ValueKind.DATE: 0.88,
    ValueKind.PHONE: 0.89,
    ValueKind.TEXT: 0.91,
    ValueKind.AMOUNT: 0.92,
    ValueKind.PROCEDURE: 0.93,
    ValueKind.CCCD: 0.95,
    ValueKind.TAX_CODE: 0.95,
}
"""The confidence from which a value of a kind is accepted unseen, when its type does not say
(``DEFAULT_ACCEPT_AT`` for the other kinds).

Set from ``bench.fields``: per kind, the lowest confidence at which 99.8% of the values of all
15 layout families were right (rounded up; it tunes none under 0.8), which the benchmark's
held-out figures check on families left out of the tuning. Names are the exception: that rule
asks 0.92 of them, for two specks read as marks ("Vấn" for "Vân") at 0.90-0.92, and 0.92 sends
a tenth of all fields to review to catch those two; at 0.85 the values accepted are still
99.87% right (4,482 fields; 99.86% on two sets of other documents), while names at 0.80-0.85
were up to one in thirteen wrong. Addresses, areas and foreign names need the least, since
their checks (units that exist and nest, a unit of area, a legal form in Latin letters) catch
most misreads. Identifiers file papers under a person or an enterprise, so they are held to
0.95 whatever the tuning says."""

DEFAULT_ACCEPT_AT = 0.9

SUBJECT_IDENTIFIERS = frozenset({ValueKind.CCCD, ValueKind.TAX_CODE})
"""Kinds whose value names a subject: a citizen by CCCD number, an enterprise by its code."""


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    labels: tuple[str, ...] = ()
    kind: ValueKind = ValueKind.TEXT
    position: Position = Position.SAME_LINE
    pattern: str | None = None
    required: bool = True
    accept_at: float = Field(default=DEFAULT_ACCEPT_AT, ge=0.0, le=1.0)
    describes: tuple[str, ...] = ()
    """On the identifier of the document's own subject (the card holder's CCCD number, the
    certificate's enterprise code): the fields that are facts about that subject, which become
    its known values. An identifier without it (a legal representative's number) only links."""

    @model_validator(mode="before")
    @classmethod
    def _kind_threshold(cls, data: object) -> object:
        if isinstance(data, dict) and "accept_at" not in data and "kind" in data:
            kind = data["kind"]
            if kind in ACCEPT_AT:
                return {**data, "accept_at": ACCEPT_AT[ValueKind(kind)]}
        return data

    @model_validator(mode="after")
    def _findable(self) -> FieldSpec:
        if self.position == Position.ANYWHERE and self.pattern is None:
            raise ValueError("a field found anywhere needs a pattern")
        if self.position != Position.ANYWHERE and not self.labels:
            raise ValueError("labels: a field found by its label needs at least one")
        if self.describes and self.kind not in SUBJECT_IDENTIFIERS:
            raise ValueError("describes: only a CCCD number or an enterprise code names a subject")
        return self

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"not a regular expression: {e}") from e
        return pattern


class Issued(BaseModel):
    """The fields that say which paper an agency issued, where the type is a procedure's result
    (a licence, a certificate, a civil-status extract): its number and its date of issue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    date: str | None = None


class DocumentType(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    phrases: tuple[str, ...] = Field(min_length=1)
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    issued: Issued | None = None

    @field_validator("fields")
    @classmethod
    def _unique_names(cls, fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
        names = [spec.name for spec in fields]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"field names appear twice: {', '.join(repeated)}")
        for spec in fields:
            unknown = sorted(set(spec.describes) - set(names))
            if unknown:
                raise ValueError(f"{spec.name}.describes: no such fields: {', '.join(unknown)}")
        return fields

    @model_validator(mode="after")
    def _issued_fields_exist(self) -> DocumentType:
        names = {spec.name for spec in self.fields}
        wanted = [] if self.issued is None else [self.issued.number, self.issued.date]
        if unknown := sorted(name for name in wanted if name is not None and name not in names):
            raise ValueError(f"issued: no such fields: {', '.join(unknown)}")
        return self

    def subject_fields(self) -> dict[str, frozenset[str]]:
        """Per identifier field that names the document's own subject, the fields about it."""
        return {spec.name: frozenset(spec.describes) for spec in self.fields if spec.describes}


def subject_fields(types: Mapping[str, DocumentType]) -> dict[tuple[str, str], frozenset[str]]:
    """By (document type, identifier field), the fields that describe the subject it names."""
    return {
        (document_type.name, identifier): names
        for document_type in types.values()
        for identifier, names in document_type.subject_fields().items()
    }


class DocumentTypeError(ValueError):
    """A type file that cannot be used; the message names the file and the key."""


def load_document_types(folder: Path = TYPES_FOLDER) -> dict[str, DocumentType]:
    """Every ``*.yaml`` in ``folder``, by type name; the file's stem must be its name."""
    types: dict[str, DocumentType] = {}
    for path in sorted(folder.glob("*.yaml")):
        document_type = load_document_type(path)
        if document_type.name != path.stem:
            raise DocumentTypeError(
                f"{path}: name: {document_type.name!r} differs from the file name {path.stem!r}"
            )
        types[document_type.name] = document_type
    if not types:
        raise DocumentTypeError(f"{folder}: no document type files (*.yaml)")
    return types


def load_document_type(path: Path) -> DocumentType:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise DocumentTypeError(f"{path}: not valid YAML: {e}") from e
    try:
        return DocumentType.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(top)'}: {error['msg']}"
            for error in e.errors()
        )
        raise DocumentTypeError(f"{path}: {problems}") from e
