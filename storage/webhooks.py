"""Webhooks in SQL: registrations, the deliveries each status event owes them, and the state of
every delivery, so that none is dropped when a dispatcher stops.

A webhook weighs the status events in id order from the newest at its registration on
(``Webhook.after_event_id``, with ``storage.events``' wait at a hole in the ids), within its
owner key's agencies; each event whose type (``dossier.verified``, ``document.failed``) matches
one of its patterns becomes a pending delivery. A dispatcher claims the due ones by moving
their next attempt past a lease in one compare-and-set, so that two dispatchers never send the
same delivery at once, and records each attempt: received (2xx), or tried again with backoff
until its day runs out.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.errors import InputError, NotFoundError
from models.status import DeliveryStatus
from models.tables import ApiKey, StatusEvent, Webhook, WebhookDelivery, utcnow
from storage import events
from storage.database import aware

FIRST_RETRY_SECONDS = 30.0
LAST_RETRY_SECONDS = 3600.0
"""Retries wait 30 s, then twice as long each time, at most an hour apart."""
FAN_OUT_ROUNDS = 20
"""Batches of events weighed per webhook in one pass (``events.events_after``' limit each)."""


def event_type(event: StatusEvent) -> str:
    return f"{event.subject}.{event.status}"


def matches(patterns: Sequence[str], type_: str) -> bool:
    """Whether an event type is among ``patterns`` (``*`` stands for any subject or status)."""
    return any(fnmatchcase(type_, pattern) for pattern in patterns)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return timedelta(
        seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LAST_RETRY_SECONDS)
    )


def check_host(url: str, allowed: str) -> None:
    """Refuse a URL whose host is not among ``allowed`` (``SOHOA_WEBHOOK_HOSTS``; empty: any),
    so that a key cannot point the dispatcher at the service's own network."""
    hosts = [host.strip().lower() for host in allowed.split(",") if host.strip()]
    host = (urlsplit(url).hostname or "").lower()
    if hosts and not any(
        host == wanted or (wanted.startswith(".") and host.endswith(wanted)) for wanted in hosts
    ):
        raise InputError(
            f"webhooks may point at {', '.join(hosts)} only (SOHOA_WEBHOOK_HOSTS), not {host}",
            code="webhook_host_refused",
        )


def register(
    session: Session, owner_key_id: str, url: str, patterns: Sequence[str], description: str
) -> Webhook:
    """A new webhook, told of what happens from now on; its secret is read from it once."""
    webhook = Webhook(
        url=url,
        events=json.dumps(sorted(set(patterns))),
        description=description,
        secret="whsec_" + secrets.token_urlsafe(32),
        owner_key_id=owner_key_id,
        after_event_id=events.newest_id(session),
    )
    session.add(webhook)
    session.flush()
    return webhook


def owned(session: Session, owner_key_id: str) -> list[Webhook]:
    query = select(Webhook).where(
        Webhook.owner_key_id == owner_key_id, Webhook.removed_at.is_(None)
    )
    return list(session.scalars(query.order_by(Webhook.created_at, Webhook.id)))


def get_owned(session: Session, webhook_id: str, owner_key_id: str) -> Webhook:
    """The caller's webhook; another key's is as unknown as one never registered."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.owner_key_id != owner_key_id or webhook.removed_at:
        raise NotFoundError(
            f"no webhook {webhook_id} registered by this key", code="webhook_not_found"
        )
    return webhook


def remove(session: Session, webhook_id: str, owner_key_id: str) -> Webhook:
    """Stop a webhook: nothing more is weighed for it, and what it was still owed is failed."""
    webhook = get_owned(session, webhook_id, owner_key_id)
    now = utcnow()
    webhook.removed_at = now
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.webhook_id == webhook.id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.FAILED, next_attempt_at=None, last_error="webhook removed")
    )
    return webhook


def fan_out(session: Session, now: datetime, retry_for: timedelta) -> int:
    """Turn the status events that followed each live webhook's cursor into its deliveries;
    how many were owed.

    The pass begins by writing the webhooks' rows (a no-op), which locks them: a second
    dispatcher's pass waits for this one and then reads the cursors it moved, on PostgreSQL as
    on SQLite (where a transaction that read first could not write after another's commit).
    """
    session.execute(
        update(Webhook)
        .where(Webhook.removed_at.is_(None))
        .values(after_event_id=Webhook.after_event_id)
        .execution_options(synchronize_session=False)
    )
    live = session.execute(
        select(Webhook, ApiKey)
        .join(ApiKey, ApiKey.id == Webhook.owner_key_id)
        .where(Webhook.removed_at.is_(None), ApiKey.revoked_at.is_(None))
    ).all()
    owed = 0
    for webhook, key in live:
        patterns = webhook.event_patterns
        for _ in range(FAN_OUT_ROUNDS):
            cursor, batch = events.events_after(session, webhook.after_event_id, key.agency_set)
            for event in batch:
                if matches(patterns, event_type(event)):
                    session.add(
                        WebhookDelivery(
                            webhook_id=webhook.id,
                            event_id=event.id,
                            status=DeliveryStatus.PENDING,
                            next_attempt_at=now,
                            retry_until=now + retry_for,
                        )
                    )
                    owed += 1
            if cursor == webhook.after_event_id:
                break
            webhook.after_event_id = cursor
    session.flush()
    return owed


@dataclass(frozen=True)
class Claimed:
    """A delivery a dispatcher holds until its lease ends, with what to send and where."""

    delivery_id: str
    event: StatusEvent
    url: str
    secret: str


def claim_due(session: Session, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Pending deliveries whose time has come, held for ``lease`` by this caller alone: one
    UPDATE moves their next attempt past the lease (PostgreSQL skips the rows another
    dispatcher is claiming; SQLite has one writer at a time)."""
    due = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.event_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = session.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + lease)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    ).all()
    rows = session.execute(
        select(WebhookDelivery.id, Webhook.url, Webhook.secret, StatusEvent)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .join(StatusEvent, StatusEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.id.in_(taken))
        .order_by(WebhookDelivery.event_id)
    ).all()
    return [Claimed(row.id, row.StatusEvent, row.url, row.secret) for row in rows]


def record_attempt(
    session: Session,
    delivery_id: str,
    at: datetime,
    response_code: int | None,
    error: str | None,
) -> DeliveryStatus:
    """One attempt's outcome: received on a 2xx answer; otherwise tried again after a wait
    that doubles, or failed once its day is over."""
    received = response_code is not None and 200 <= response_code < 300
    attempts, retry_until = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(
            attempts=WebhookDelivery.attempts + 1,
            last_attempt_at=at,
            last_response_code=response_code,
            last_error=None if received else error,
        )
        .returning(WebhookDelivery.attempts, WebhookDelivery.retry_until)
        .execution_options(synchronize_session=False)
    ).one()
    wait = retry_delay(attempts)
    values: dict[str, datetime | None]
    if received:
        status, values = DeliveryStatus.DELIVERED, {"delivered_at": at, "next_attempt_at": None}
    elif at + wait > aware(retry_until):
        status, values = DeliveryStatus.FAILED, {"next_attempt_at": None}
    else:
        status, values = DeliveryStatus.PENDING, {"next_attempt_at": at + wait}
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    return status


def deliveries_of(
    session: Session, webhook: Webhook, status: DeliveryStatus | None, limit: int, offset: int
) -> list[WebhookDelivery]:
    """A webhook's deliveries, newest event first."""
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    query = query.order_by(WebhookDelivery.event_id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def redeliver(
    session: Session, webhook: Webhook, delivery_id: str, retry_for: timedelta
) -> WebhookDelivery:
    """Send a delivery again now, failed or received, with a fresh day of retries."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != webhook.id:
        raise NotFoundError(
            f"no delivery {delivery_id} for webhook {webhook.id}", code="delivery_not_found"
        )
    now = utcnow()
    delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, now
    delivery.retry_until = now + retry_for
    return delivery
