"""The review queue at a glance: open tasks counted by document type, field and age, and what
one operator closed since a given time.

Counts cover every open task the caller's agencies reach, held by another operator or not: the
queue as it stands, not only what the caller may take next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.status import Resolution
from models.tables import Dossier, ReviewTask, utcnow
from storage.database import aware
from storage.repository import Agencies, within

AGE_BOUNDS = (timedelta(days=1), timedelta(days=3), timedelta(days=7))
"""Ages of the queue's bands, from the dossier's receipt: under a day, 1-3 days, 3-7, older."""


@dataclass(frozen=True)
class OpenTasks:
    by_field: dict[tuple[str, str], int]
    """(document type, field) -> open tasks."""
    by_age: list[int]
    """Open tasks per band of ``AGE_BOUNDS``, youngest first (one more band than bounds)."""
    held_by_others: int
    oldest: datetime | None

    @property
    def total(self) -> int:
        return sum(self.by_field.values())

    def by_document_type(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for (document_type, _), count in self.by_field.items():
            counts[document_type] += count
        return dict(counts)


def open_tasks(session: Session, key_id: str, agencies: Agencies) -> OpenTasks:
    """Every open task within ``agencies``, counted."""
    query = (
        select(ReviewTask.document_type, ReviewTask.field_name, Dossier.received_at)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .where(~ReviewTask.closed, *within(agencies))
    )
    now = utcnow()
    by_field: Counter[tuple[str, str]] = Counter()
    by_age = [0] * (len(AGE_BOUNDS) + 1)
    oldest: datetime | None = None
    for document_type, field_name, received_at in session.execute(query):
        received = aware(received_at)
        by_field[(document_type, field_name)] += 1
        by_age[sum(now - received >= bound for bound in AGE_BOUNDS)] += 1
        oldest = received if oldest is None else min(oldest, received)
    held = select(func.count()).select_from(
        select(ReviewTask.id)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .where(
            ~ReviewTask.closed,
            ReviewTask.claimed_by.is_not(None),
            ReviewTask.claimed_by != key_id,
            ReviewTask.lease_until >= now,
            *within(agencies),
        )
        .subquery()
    )
    return OpenTasks(dict(by_field), by_age, session.scalar(held) or 0, oldest)


@dataclass(frozen=True)
class Throughput:
    by_resolution: dict[Resolution, int]
    first_at: datetime | None
    last_at: datetime | None

    @property
    def closed(self) -> int:
        return sum(self.by_resolution.values())

    @property
    def per_hour(self) -> float | None:
        """Tasks closed per hour between the first and the last; None before an hour's worth
        of minutes can say it (under ten tasks or under five minutes)."""
        if self.first_at is None or self.last_at is None or self.closed < 10:
            return None
        hours = (self.last_at - self.first_at).total_seconds() / 3600
        return round(self.closed / hours, 1) if hours >= 5 / 60 else None


def closed_by(session: Session, key_id: str, since: datetime) -> Throughput:
    """The tasks ``key_id`` closed from ``since`` on.

    ``since`` is compared in UTC: SQLite compares the stored UTC text, so a local midnight
    passed as it stands would be read as that hour in UTC.
    """
    since = since.astimezone(UTC)
    query = (
        select(
            ReviewTask.resolution,
            func.count(),
            func.min(ReviewTask.closed_at),
            func.max(ReviewTask.closed_at),
        )
        .where(ReviewTask.resolved_by == key_id, ReviewTask.closed_at >= since)
        .group_by(ReviewTask.resolution)
    )
    rows = list(session.execute(query))
    by_resolution = {Resolution(str(resolution)): count for resolution, count, _, _ in rows}
    firsts = [aware(first) for _, _, first, _ in rows if first is not None]
    lasts = [aware(last) for _, _, _, last in rows if last is not None]
    return Throughput(by_resolution, min(firsts, default=None), max(lasts, default=None))
