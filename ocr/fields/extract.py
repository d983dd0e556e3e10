"""From a document's words to its fields: classify, locate, check, and score each value.

A field's confidence (0..1) is the product of how sure OCR was of its least sure word, how well
its label matched, and ``EXTENT_DOUBT`` for each doubt about where the value starts and ends
(``ocr.fields.extent``); a value with a validator's complaint is capped at ``DOUBTFUL`` and one
whose digits were repaired from look-alike letters loses ``REPAIR_PENALTY``. A value is accepted
without review only when it is clean and its confidence reaches its type's ``accept_at``: a
failed check digit is never accepted, whatever OCR thought of the letters. Every reading keeps
its reasons, the evidence for and against it, so that whoever sees the value sees why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ocr.fields.address import check_address
from ocr.fields.checked import Checked, check_text
from ocr.fields.classify import UNKNOWN, classify
from ocr.fields.doctypes import DocumentType, FieldSpec, ValueKind
from ocr.fields.enterprise import check_foreign_name
from ocr.fields.evidence import Reason, against, supporting
from ocr.fields.expiry import check_card_expiry
from ocr.fields.extent import EXTENT_DOUBT
from ocr.fields.identity import check_cccd, check_phone, check_sex, check_tax_code
from ocr.fields.locate import Located, locate_fields
from ocr.fields.procedure import check_procedure
from ocr.fields.values import check_amount, check_area, check_date, check_person_name
from ocr.words import PageText

DOUBTFUL = 0.5
"""The most a value a validator complains about can score: always below any ``accept_at``."""

REPAIR_PENALTY = 0.9
"""Confidence kept when digits were repaired from look-alike letters (O→0, l→1)."""

_CHECKS: dict[ValueKind, Callable[[str], Checked]] = {
    ValueKind.TEXT: check_text,
    ValueKind.NAME: check_person_name,
    ValueKind.FOREIGN_NAME: check_foreign_name,
    ValueKind.DATE: lambda raw: check_date(raw, not_after=dt.date.today()),
    ValueKind.SEX: check_sex,
    ValueKind.TAX_CODE: check_tax_code,
    ValueKind.AMOUNT: check_amount,
    ValueKind.AREA: check_area,
    ValueKind.PHONE: check_phone,
    ValueKind.ADDRESS: check_address,
    ValueKind.PROCEDURE: check_procedure,
}


@dataclass(frozen=True)
class FieldReading:
    name: str
    raw: str
    checked: Checked
    confidence: float
    accepted: bool
    located: Located | None
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Extraction:
    document_type: str
    type_score: float
    fields: tuple[FieldReading, ...]


_WITH_CONTEXT: dict[ValueKind, Callable[[str, Mapping[str, FieldReading]], Checked]] = {
    ValueKind.CCCD: lambda raw, known: check_cccd(
        raw, date_of_birth=_date(known.get("date_of_birth")), sex=_sex(known.get("sex"))
    ),
    ValueKind.CARD_EXPIRY: lambda raw, known: check_card_expiry(
        raw, date_of_birth=_date(known.get("date_of_birth"))
    ),
}
"""Kinds checked against the document's other fields (its date of birth and sex), once those
are read."""


def check_value(kind: ValueKind, raw: str) -> Checked:
    """The normaliser and validators of a value of ``kind``, without the document's context."""
    return _WITH_CONTEXT[kind](raw, {}) if kind in _WITH_CONTEXT else _CHECKS[kind](raw)


def extract_fields(pages: Sequence[PageText], types: Mapping[str, DocumentType]) -> Extraction:
    """The document's type (from its first page) and every field its type declares."""
    kind = classify(pages[0].text if pages else "", types)
    if kind.name == UNKNOWN:
        return Extraction(UNKNOWN, kind.score, ())
    document_type = types[kind.name]
    located = locate_fields(pages, document_type)
    readings: dict[str, FieldReading] = {}
    for spec in sorted(document_type.fields, key=lambda spec: spec.kind in _WITH_CONTEXT):
        reading = _read(spec, located.get(spec.name), readings)
        if reading is not None:
            readings[spec.name] = reading
    ordered = tuple(readings[spec.name] for spec in document_type.fields if spec.name in readings)
    return Extraction(document_type.name, kind.score, ordered)


def _read(
    spec: FieldSpec, located: Located | None, known: Mapping[str, FieldReading]
) -> FieldReading | None:
    if located is None:
        if not spec.required:
            return None
        missing = Checked(None, ("not found on the document",))
        absent = (against("not found on the document"),)
        return FieldReading(spec.name, "", missing, 0.0, False, None, absent)
    if spec.kind in _WITH_CONTEXT:
        checked = _WITH_CONTEXT[spec.kind](located.raw, known)
    else:
        checked = _CHECKS[spec.kind](located.raw)
    confidence = _confidence(located, checked)
    accepted = checked.ok and confidence >= spec.accept_at
    reasons = _reasons(located, checked)
    if checked.ok and not accepted:
        reasons.append(against(f"confidence {confidence:.2f} under {spec.accept_at:.2f}"))
    return FieldReading(
        spec.name, located.raw, checked, confidence, accepted, located, tuple(reasons)
    )


def _confidence(located: Located, checked: Checked) -> float:
    if checked.value is None:
        return 0.0
    ocr = min(located.word_confidences, default=0.0) / 100
    confidence = ocr * located.label_score / 100
    for reason in located.evidence:
        if not reason.supports:
            confidence *= EXTENT_DOUBT
    if checked.repaired:
        confidence *= REPAIR_PENALTY
    if checked.problems:
        confidence = min(confidence, DOUBTFUL)
    return round(confidence, 4)


def _reasons(located: Located, checked: Checked) -> list[Reason]:
    """The label's match, the least sure word, the extent's evidence, then the checks'."""
    least = min(located.word_confidences, default=0.0)
    reasons = [
        Reason(f"label {located.label_score:.0f}", located.label_score >= 95),
        Reason(f"least sure word {least:.0f}", least >= 90),
        *located.evidence,
    ]
    if checked.repaired:
        reasons.append(against("characters repaired by rule (look-alike letters, slipped marks)"))
    reasons.extend(against(problem) for problem in checked.problems)
    if checked.ok and checked.details.get("reason"):
        reasons.append(supporting(checked.details["reason"]))
    return reasons


def _date(reading: FieldReading | None) -> dt.date | None:
    if reading is None or not reading.checked.ok or reading.checked.value is None:
        return None
    return dt.date.fromisoformat(reading.checked.value)


def _sex(reading: FieldReading | None) -> str | None:
    return reading.checked.value if reading is not None and reading.checked.ok else None
