"""Status events in SQL: one row per move of a dossier or a document, in the mover's
transaction, read back in id order.

Ids come from the database in the order rows are inserted, which on PostgreSQL is not quite the
order transactions commit: a move inserted as event 10 may commit just after event 11. A reader
that has seen 11 and asks for what follows would never see 10. So a reader stops at a gap in the
ids until it fills or grows older than ``GAP_SECONDS`` (the transaction rolled back, or a
sequence skipped): a move's transaction is short, and one slower than that loses its event to
readers already past it.

Events are kept ``SOHOA_EVENTS_RETENTION_DAYS`` (30), then pruned by ``sohoa reconcile``: a
reader resuming from an id older than that resumes at the oldest event kept.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.status import DeliveryStatus
from models.tables import Document, Dossier, StatusEvent, WebhookDelivery, utcnow
from storage.database import aware

GAP_SECONDS = 10.0
"""How long a reader waits at a hole in the ids for the event of a transaction still open."""


def record_dossier_move(session: Session, dossier_id: str, status: str) -> None:
    row = session.execute(
        select(Dossier.agency, Dossier.receipt_code).where(Dossier.id == dossier_id)
    ).one()
    session.add(
        StatusEvent(
            subject="dossier",
            dossier_id=dossier_id,
            agency=row.agency,
            receipt_code=row.receipt_code,
            status=status,
        )
    )


def record_document_move(session: Session, document_id: str, status: str) -> None:
    row = session.execute(
        select(Dossier.id, Dossier.agency, Dossier.receipt_code)
        .join(Document, Document.dossier_id == Dossier.id)
        .where(Document.id == document_id)
    ).one()
    session.add(
        StatusEvent(
            subject="document",
            dossier_id=row.id,
            document_id=document_id,
            agency=row.agency,
            receipt_code=row.receipt_code,
            status=status,
        )
    )


def events_after(
    session: Session, last_id: int, agencies: Collection[str] | None, limit: int = 500
) -> tuple[int, list[StatusEvent]]:
    """Where a reader past ``last_id`` may move to now, and the events on the way within
    ``agencies`` (None: all), in id order; stops at a recent gap (see the module's text)."""
    query = select(StatusEvent).where(StatusEvent.id > last_id)
    rows = list(session.scalars(query.order_by(StatusEvent.id).limit(limit)))
    cursor, settled_before = last_id, utcnow() - timedelta(seconds=GAP_SECONDS)
    ready: list[StatusEvent] = []
    for row in rows:
        if row.id != cursor + 1 and aware(row.at) > settled_before:
            break  # an earlier id may still commit
        ready.append(row)
        cursor = row.id
    return cursor, [row for row in ready if agencies is None or row.agency in agencies]


def newest_id(session: Session) -> int:
    return session.scalar(select(StatusEvent.id).order_by(StatusEvent.id.desc()).limit(1)) or 0


PRUNED_PER_PASS = 5_000


def prune_events(session: Session, before: datetime) -> int:
    """Delete the events from before ``before`` among the ``PRUNED_PER_PASS`` oldest ids, with
    their webhook deliveries, delivered or failed; an event still owed to a webhook is kept.
    Ids follow time, so the old events are the oldest ids: a pass reads a range of the primary
    key, never the whole table."""
    first = session.scalar(select(func.min(StatusEvent.id)))
    if first is None:
        return 0
    window = select(StatusEvent.id, StatusEvent.at).where(StatusEvent.id < first + PRUNED_PER_PASS)
    old = [row.id for row in session.execute(window) if aware(row.at) < before]
    if not old:
        return 0
    owed = set(session.scalars(
        select(WebhookDelivery.event_id).where(
            WebhookDelivery.event_id.in_(old), WebhookDelivery.status == DeliveryStatus.PENDING
        )
    ))  # fmt: skip
    gone = [event_id for event_id in old if event_id not in owed]
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.event_id.in_(gone)))
    session.execute(delete(StatusEvent).where(StatusEvent.id.in_(gone)))
    return len(gone)
