"""Closing review tasks: an operator's value checked like extraction's, identifiers keyed twice,
every step in the field's history, the subject linked, the document and dossier verified.

A value an operator types goes through the normaliser and validators of its field's kind, as a
value read by OCR does (``ocr.fields.extract.check_value``); one they fault is saved only with
a reason for overriding them. A corrected CCCD number or enterprise code files papers under a
person or an enterprise, so it is saved only when two keyings agree: the same operator keys it
again without seeing the first (blind), or another operator does; the first keying is never
shown back. An operator's value, accepted or keyed, becomes the field's value with source
``operator``, and beats an auto-accepted one among the subject's known values.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from ingest.extraction import SUBJECT_KINDS
from models.errors import ConflictError, InputError, InvalidValueError
from models.status import DocumentStatus, FieldStatus, Resolution, TextSource
from models.tables import ReviewTask
from ocr.fields.checked import collapse_spaces
from ocr.fields.doctypes import SUBJECT_IDENTIFIERS, DocumentType, FieldSpec, ValueKind
from ocr.fields.extract import check_value
from storage import repository, review, search_index
from storage.review import Action


@dataclass(frozen=True)
class Decision:
    resolution: Resolution
    value: str | None = None
    """The value keyed, for ``corrected``."""
    override_reason: str | None = None
    """Why a keyed value is right although its validators fault it."""
    reason: str | None = None
    """A note for the history (why the field is absent, say)."""


class Outcome(StrEnum):
    CLOSED = "closed"
    AWAITING_SECOND_KEYING = "awaiting_second_keying"
    KEYINGS_DISAGREED = "keyings_disagreed"


def field_spec(
    types: Mapping[str, DocumentType], document_type: str, field_name: str
) -> FieldSpec | None:
    found = types.get(document_type)
    return next((spec for spec in found.fields if spec.name == field_name), None) if found else None


def field_kind(types: Mapping[str, DocumentType], document_type: str, field_name: str) -> ValueKind:
    spec = field_spec(types, document_type, field_name)
    return spec.kind if spec else ValueKind.TEXT


def identifier_fields(types: Mapping[str, DocumentType]) -> frozenset[tuple[str, str]]:
    """(document type, field) of every identifier: never confirmed in a group."""
    return frozenset(
        (document_type.name, spec.name)
        for document_type in types.values()
        for spec in document_type.fields
        if spec.kind in SUBJECT_IDENTIFIERS
    )


def normalised(kind: ValueKind, typed: str, override_reason: str | None) -> str:
    """The keyed value as stored: NFC whatever the input method composed (Telex, VNI, decomposed
    marks), through the kind's normaliser; ``InvalidValueError`` when its validators fault it
    and no reason overrides them."""
    text = collapse_spaces(unicodedata.normalize("NFC", typed))
    if not text:
        raise InvalidValueError("the value is empty: key it, or mark the field absent")
    checked = check_value(kind, text)
    if checked.value is not None and not checked.problems:
        return checked.value
    problems = list(checked.problems) or [f"not a valid {kind} value"]
    if not (override_reason and override_reason.strip()):
        raise InvalidValueError(
            "; ".join(problems) + ": correct the value, or give a reason to keep it as it is"
        )
    return checked.value if checked.value is not None else text


def resolve(
    session: Session,
    types: Mapping[str, DocumentType],
    task: ReviewTask,
    key_id: str,
    decision: Decision,
) -> Outcome:
    """Apply an operator's decision to a task they hold."""
    review.check_held(task, key_id)
    field = task.field
    kind = field_kind(types, task.document_type, task.field_name)
    if decision.resolution == Resolution.ABSENT:
        _close(session, task, key_id, kind, Step(Action.ABSENT, None, decision.reason))
        return Outcome.CLOSED
    if decision.resolution == Resolution.ACCEPTED:
        if task.first_keying is not None:
            raise ConflictError(
                "a keying of this identifier waits for its second: key the value",
                code="second_keying_needed",
            )
        if field.value is None:
            raise InputError(
                "nothing was read to accept: key the value, or mark the field absent",
                code="nothing_to_accept",
            )
        _close(session, task, key_id, kind, Step(Action.ACCEPTED, field.value, decision.reason))
        return Outcome.CLOSED
    if decision.value is None:
        raise InputError("a correction needs the value", code="value_missing")
    value = normalised(kind, decision.value, decision.override_reason)
    step = Step(Action.CORRECTED, value, decision.override_reason or decision.reason)
    if kind not in SUBJECT_IDENTIFIERS:
        _close(session, task, key_id, kind, step)
        return Outcome.CLOSED
    return _second_keying(session, task, key_id, kind, step)


def accept_group(
    session: Session, types: Mapping[str, DocumentType], tasks: Sequence[ReviewTask], key_id: str
) -> None:
    """Accept the read value of every task of a group confirmed at once (all held by
    ``key_id``; identifiers never come in groups)."""
    for task in tasks:
        review.check_held(task, key_id)
        kind = field_kind(types, task.document_type, task.field_name)
        if kind in SUBJECT_IDENTIFIERS or task.first_keying is not None or task.field.value is None:
            raise ConflictError(
                f"review task {task.id} cannot be confirmed in a group: open it on its own",
                code="not_groupable",
            )
        _close(session, task, key_id, kind, Step(Action.ACCEPTED, task.field.value, "group"))


@dataclass(frozen=True)
class Step:
    """What closing a task writes: the action, the field's new value, and why."""

    action: Action
    value: str | None
    reason: str | None = None

    @property
    def status(self) -> FieldStatus:
        return FieldStatus.ABSENT if self.action == Action.ABSENT else FieldStatus.VERIFIED


def _second_keying(
    session: Session, task: ReviewTask, key_id: str, kind: ValueKind, step: Step
) -> Outcome:
    value = step.value
    field = task.field
    if task.first_keying is None:
        review.record_change(session, field, task, key_id, Action.KEYED, (value, field.status))
        task.first_keying, task.first_keyed_by = value, key_id
        return Outcome.AWAITING_SECOND_KEYING
    if task.first_keying != value:
        review.record_change(
            session, field, task, key_id, Action.KEYINGS_DISAGREED, (value, field.status),
            f"first keying {task.first_keying}",
        )  # fmt: skip
        task.first_keying = task.first_keyed_by = None
        return Outcome.KEYINGS_DISAGREED
    review.record_change(session, field, task, key_id, Action.KEYED, (value, field.status))
    _close(session, task, key_id, kind, step)
    return Outcome.CLOSED


def _close(session: Session, task: ReviewTask, key_id: str, kind: ValueKind, step: Step) -> None:
    field = task.field
    new = (step.value, step.status)
    review.record_change(session, field, task, key_id, step.action, new, step.reason)
    review.close(session, task, key_id, Resolution(step.action))
    field.value, field.status, field.source = step.value, step.status, TextSource.OPERATOR
    search_index.index_field(session, field)
    subject_kind = SUBJECT_KINDS.get(kind)
    if subject_kind is not None and step.value is not None:
        repository.link_subject(session, task.document_id, subject_kind, step.value, field.name)
    session.flush()
    if repository.open_task_count(session, task.document_id) == 0:
        repository.move_document(session, task.document_id, DocumentStatus.VERIFIED)
        repository.settle_dossier(session, task.dossier_id)
