"""The dashboard's figures from SQL, over a period of the desks' local days: documents received
and digitized per day, the digitization and straight-through rates, the results the agency
issued that were digitized, and per procedure how many dossiers were done by the due date their
receipt gave.

Digitization rate: documents read to the end over those whose work ended (read, or failed).
Straight-through rate: documents digitized with every field accepted unseen (``digitized``; a
document with a review task ends ``verified``) over those read to the end. A dossier is done on
the local day it last reached ``digitized`` or ``verified``; it is on time when that day is not
after its due date, late when it is, and overdue while it is not done past its due date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.status import DOCUMENT_READ, DocumentStatus, DossierStatus
from models.tables import Document, Dossier
from storage.database import aware

DOSSIER_DONE = frozenset({DossierStatus.DIGITIZED, DossierStatus.VERIFIED})
"""Digitized to the end, nothing waiting for an operator."""


@dataclass(frozen=True)
class Day:
    day: date
    received: int
    digitized: int


@dataclass(frozen=True)
class OnTime:
    procedure_code: str
    due: int
    """Dossiers received in the period with a due date."""
    on_time: int
    late: int
    overdue: int

    @property
    def rate(self) -> float | None:
        judged = self.on_time + self.late + self.overdue
        return round(self.on_time / judged, 4) if judged else None


@dataclass(frozen=True)
class Figures:
    days: list[Day]
    read: int
    failed: int
    straight_through: int
    on_time: list[OnTime]
    results_received: int
    """Results the agency issued, uploaded to their dossiers in the period."""
    results_read: int

    @property
    def digitization_rate(self) -> float | None:
        ended = self.read + self.failed
        return round(self.read / ended, 4) if ended else None

    @property
    def straight_through_rate(self) -> float | None:
        return round(self.straight_through / self.read, 4) if self.read else None

    @property
    def results_rate(self) -> float | None:
        received = self.results_received
        return round(self.results_read / received, 4) if received else None


def figures(session: Session, first_day: date, last_day: date, zone: ZoneInfo) -> Figures:
    """The figures of the documents and dossiers received from ``first_day`` to ``last_day``
    (local days, both included)."""
    since = datetime.combine(first_day, datetime.min.time(), zone).astimezone(UTC)
    until = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), zone)
    until = until.astimezone(UTC)
    documents = session.execute(
        select(Document.created_at, Document.status, Document.is_result).where(
            Document.created_at >= since, Document.created_at < until
        )
    ).all()
    received: Counter[date] = Counter()
    digitized: Counter[date] = Counter()
    statuses: Counter[DocumentStatus] = Counter()
    results: Counter[bool] = Counter()
    for created_at, status, is_result in documents:
        day = aware(created_at).astimezone(zone).date()
        received[day] += 1
        digitized[day] += status in DOCUMENT_READ
        statuses[status] += 1
        if is_result:
            results[status in DOCUMENT_READ] += 1
    span = (last_day - first_day).days + 1
    days = [first_day + timedelta(days=offset) for offset in range(span)]
    read = sum(statuses[status] for status in DOCUMENT_READ)
    return Figures(
        days=[Day(day, received[day], digitized[day]) for day in days],
        read=read,
        failed=statuses[DocumentStatus.FAILED],
        straight_through=statuses[DocumentStatus.DIGITIZED],
        on_time=_on_time(session, since, until, zone),
        results_received=results.total(),
        results_read=results[True],
    )


def _on_time(session: Session, since: datetime, until: datetime, zone: ZoneInfo) -> list[OnTime]:
    dossiers = session.execute(
        select(Dossier.procedure_code, Dossier.due_on, Dossier.status, Dossier.updated_at).where(
            Dossier.received_at >= since,
            Dossier.received_at < until,
            Dossier.due_on.is_not(None),
        )
    ).all()
    today = datetime.now(zone).date()
    counts: dict[str, Counter[str]] = {}
    for procedure_code, due_on, status, updated_at in dossiers:
        if due_on is None:
            continue
        tally = counts.setdefault(procedure_code, Counter())
        tally["due"] += 1
        if status in DOSSIER_DONE:
            done_on = aware(updated_at).astimezone(zone).date()
            tally["on_time" if done_on <= due_on else "late"] += 1
        elif today > due_on:
            tally["overdue"] += 1
    return [
        OnTime(code, tally["due"], tally["on_time"], tally["late"], tally["overdue"])
        for code, tally in sorted(counts.items())
    ]
