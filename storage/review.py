"""Review tasks in SQL: the queue, leases taken by compare-and-set, and the fields' history.

A task is *available* to an operator when it is open and nobody else holds a live lease on it.
Claiming is one ``UPDATE ... WHERE`` that only matches an available task, so of two operators
claiming the same task at the same moment exactly one gets it, on SQLite and PostgreSQL alike.
Closing is the same: only the lease holder's ``UPDATE`` matches, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from models.errors import ConflictError, NotFoundError
from models.status import FieldStatus, Resolution
from models.tables import Document, Dossier, ExtractedField, FieldChange, ReviewTask, utcnow
from storage.database import aware
from storage.repository import Agencies, within


class Action(StrEnum):
    """What a row of a field's history records."""

    KEYED = "keyed"  # one keying of an identifier, waiting for a second that agrees
    KEYINGS_DISAGREED = "keyings_disagreed"
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    ABSENT = "absent"


@dataclass(frozen=True)
class TaskFilter:
    agency: str | None = None
    document_type: str | None = None
    field_name: str | None = None


def available(key_id: str, now: datetime) -> ColumnElement[bool]:
    """Open, and free or already held by ``key_id`` (a lease past its time is free)."""
    return (~ReviewTask.closed) & or_(
        ReviewTask.claimed_by.is_(None),
        ReviewTask.lease_until < now,
        ReviewTask.claimed_by == key_id,
    )


def _matching(task_filter: TaskFilter, agencies: Agencies) -> list[ColumnElement[bool]]:
    conditions = within(agencies)
    if task_filter.agency is not None:
        conditions.append(Dossier.agency == task_filter.agency)
    if task_filter.document_type is not None:
        conditions.append(ReviewTask.document_type == task_filter.document_type)
    if task_filter.field_name is not None:
        conditions.append(ReviewTask.field_name == task_filter.field_name)
    return conditions


QUEUE_ORDER = (
    func.date(Dossier.received_at),
    Dossier.due_on.is_(None),
    Dossier.due_on,
    Dossier.received_at,
    ReviewTask.document_id,
    ReviewTask.field_id,
)
"""Oldest dossier first: by the day received, and among a day's dossiers the one due soonest
(those without a due date after), then by the time received; a document's fields together,
in reading order. The day is the database's (UTC on SQLite; the session's time zone on
PostgreSQL): UTC's day runs from 07:00 in Viet Nam, before the desks open."""


def list_tasks(
    session: Session,
    key_id: str,
    task_filter: TaskFilter,
    *,
    agencies: Agencies,
    limit: int,
    offset: int,
) -> tuple[list[ReviewTask], int]:
    """The tasks ``key_id`` may take, in queue order, a page at a time, and how many in all."""
    conditions = [available(key_id, utcnow()), *_matching(task_filter, agencies)]
    base = select(ReviewTask).join(Dossier, Dossier.id == ReviewTask.dossier_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base.order_by(*QUEUE_ORDER).limit(limit).offset(offset).options(*_TASK_VIEW)
    return list(session.scalars(query)), total


_TASK_VIEW = (
    joinedload(ReviewTask.field),
    joinedload(ReviewTask.document),
    joinedload(ReviewTask.dossier),
)


def get_task(session: Session, task_id: int, agencies: Agencies) -> ReviewTask:
    query = (
        select(ReviewTask)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .where(ReviewTask.id == task_id, *within(agencies))
        .options(*_TASK_VIEW)
    )
    task = session.scalars(query).one_or_none()
    if task is None:
        raise NotFoundError(f"no review task with id {task_id}", code="task_not_found")
    return task


def claim(session: Session, task_ids: Sequence[int], key_id: str, lease: timedelta) -> list[int]:
    """Take (or renew) a lease on those of ``task_ids`` still available; returns their ids."""
    now = utcnow()
    session.execute(
        update(ReviewTask)
        .where(ReviewTask.id.in_(task_ids), available(key_id, now))
        .values(claimed_by=key_id, lease_until=now + lease)
    )
    held = select(ReviewTask.id).where(
        ReviewTask.id.in_(task_ids), ReviewTask.claimed_by == key_id, ~ReviewTask.closed
    )
    return sorted(session.scalars(held))


def release(session: Session, task_id: int, key_id: str) -> bool:
    """Give the task back to the queue; False when ``key_id`` did not hold it."""
    result = session.execute(
        update(ReviewTask)
        .where(ReviewTask.id == task_id, ReviewTask.claimed_by == key_id, ~ReviewTask.closed)
        .values(claimed_by=None, lease_until=None)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def check_held(task: ReviewTask, key_id: str) -> None:
    """Raise unless ``key_id`` holds a live lease on the open ``task``."""
    if task.closed:
        raise ConflictError(
            f"review task {task.id} was closed already ({task.resolution})", code="task_closed"
        )
    lease_until = task.lease_until
    if task.claimed_by != key_id or lease_until is None or aware(lease_until) < utcnow():
        raise ConflictError(
            f"review task {task.id} is not claimed by this key, or its claim ran out; claim it "
            "again (POST /v1/review/tasks/{id}/claim)",
            code="task_not_claimed",
        )


def close(session: Session, task: ReviewTask, key_id: str, resolution: Resolution) -> None:
    """Close a task ``key_id`` holds; a second close (or another operator's) is refused."""
    result = session.execute(
        update(ReviewTask)
        .where(ReviewTask.id == task.id, ReviewTask.claimed_by == key_id, ~ReviewTask.closed)
        .values(
            closed=True,
            resolution=resolution,
            resolved_by=key_id,
            closed_at=utcnow(),
            claimed_by=None,
            lease_until=None,
            first_keying=None,
            first_keyed_by=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"review task {task.id} was closed already", code="task_closed")


def record_change(
    session: Session,
    field: ExtractedField,
    task: ReviewTask | None,
    key_id: str,
    action: Action,
    new: tuple[str | None, FieldStatus],
    reason: str | None = None,
) -> FieldChange:
    """Append a row to the field's history: ``new`` value and status, over the field row as it
    still is."""
    change = FieldChange(
        field_id=field.id,
        task_id=task.id if task else None,
        key_id=key_id,
        action=action,
        old_value=field.value,
        new_value=new[0],
        old_status=field.status,
        new_status=new[1],
        old_source=field.source,
        reason=reason,
    )
    session.add(change)
    return change


def field_history(session: Session, field_id: int, agencies: Agencies) -> list[FieldChange]:
    """A field's review history, oldest first; ``NotFoundError`` for a field out of reach."""
    found = session.scalar(
        select(ExtractedField.id)
        .join(Document, Document.id == ExtractedField.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(ExtractedField.id == field_id, *within(agencies))
    )
    if found is None:
        raise NotFoundError(f"no field with id {field_id}", code="field_not_found")
    query = select(FieldChange).where(FieldChange.field_id == field_id)
    return list(session.scalars(query.order_by(FieldChange.at, FieldChange.id)))


@dataclass(frozen=True)
class Group:
    document_type: str
    field_name: str
    tasks: int
    oldest: datetime

    @property
    def id(self) -> str:
        return f"{self.document_type}.{self.field_name}"


def _groupable(key_id: str, agencies: Agencies) -> list[ColumnElement[bool]]:
    """Available to ``key_id``, with a read value and no keying waiting (tasks joined to their
    dossier and field)."""
    return [
        available(key_id, utcnow()),
        ReviewTask.first_keying.is_(None),
        ExtractedField.value.is_not(None),
        *within(agencies),
    ]


def list_groups(
    session: Session,
    key_id: str,
    agencies: Agencies,
    excluded_fields: frozenset[tuple[str, str]],
) -> list[Group]:
    """Per (document type, field), the available tasks whose value can be confirmed at a
    glance: the read value exists and no keying waits. ``excluded_fields`` (identifiers) are
    left out: those are keyed, never confirmed in bulk."""
    query = (
        select(
            ReviewTask.document_type,
            ReviewTask.field_name,
            func.count(),
            func.min(Dossier.received_at),
        )
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .join(ExtractedField, ExtractedField.id == ReviewTask.field_id)
        .where(*_groupable(key_id, agencies))
        .group_by(ReviewTask.document_type, ReviewTask.field_name)
    )
    groups = [Group(*row) for row in session.execute(query)]
    groups = [g for g in groups if (g.document_type, g.field_name) not in excluded_fields]
    return sorted(groups, key=lambda g: (-g.tasks, g.id))


def group_candidates(
    session: Session, key_id: str, group_id: str, agencies: Agencies, size: int
) -> list[int]:
    """Up to ``size`` available task ids of a group, in queue order."""
    document_type, _, field_name = group_id.partition(".")
    query = (
        select(ReviewTask.id)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .join(ExtractedField, ExtractedField.id == ReviewTask.field_id)
        .where(
            *_groupable(key_id, agencies),
            ReviewTask.document_type == document_type,
            ReviewTask.field_name == field_name,
        )
        .order_by(*QUEUE_ORDER)
        .limit(size)
    )
    return list(session.scalars(query))
