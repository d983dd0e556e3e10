"""The webhook dispatcher: one pass turns new status events into deliveries, sends those due
(signed, several at once) and records each outcome; ``sohoa webhooks --every N`` runs it.

Delivery is at least once: a dispatcher stopped between a send and its record sends again
after the lease, so receivers de-duplicate on ``Sohoa-Event-Id``. Redirects are not followed:
a receiver answers 2xx itself or the delivery is tried again.
"""

from __future__ import annotations

import json
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ingest.webhook_signature import HEADER, sign
from models.config import Settings
from models.events_schemas import StatusEventPublic
from models.status import DeliveryStatus
from models.tables import StatusEvent, utcnow
from storage import webhooks
from storage.database import transaction

EVENT_ID_HEADER = "Sohoa-Event-Id"
DELIVERY_ID_HEADER = "Sohoa-Delivery-Id"


@dataclass(frozen=True)
class Outgoing:
    delivery_id: str
    event_id: int
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True)
class DispatchPass:
    owed: int
    """Deliveries the new events added."""
    sent: int
    delivered: int


def body_of(event: StatusEvent) -> bytes:
    """What a webhook receives: the event's id and type, and the event as ``GET /v1/events``
    tells it."""
    data = StatusEventPublic.model_validate(event).model_dump(mode="json")
    document = {"event_id": event.id, "type": webhooks.event_type(event), "data": data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def dispatch(
    sessions: sessionmaker[Session],
    settings: Settings,
    client: httpx.Client,
    now: datetime | None = None,
) -> DispatchPass:
    """One pass of the dispatcher."""
    now = now or utcnow()
    retry_for = timedelta(hours=settings.webhook_retry_hours)
    rounds = math.ceil(settings.webhook_batch / settings.webhook_concurrency)
    lease = timedelta(seconds=settings.webhook_timeout_seconds * (rounds + 1))
    with transaction(sessions) as session:
        owed = webhooks.fan_out(session, now, retry_for)
    with transaction(sessions) as session:
        outgoing = [
            Outgoing(item.delivery_id, item.event.id, item.url, item.secret, body_of(item.event))
            for item in webhooks.claim_due(session, now, lease, settings.webhook_batch)
        ]
    with ThreadPoolExecutor(settings.webhook_concurrency) as pool:
        outcomes = list(pool.map(lambda item: send(client, item), outgoing))
    delivered = 0
    with transaction(sessions) as session:
        for item, (code, error) in zip(outgoing, outcomes, strict=True):
            outcome = webhooks.record_attempt(session, item.delivery_id, utcnow(), code, error)
            delivered += outcome == DeliveryStatus.DELIVERED
    return DispatchPass(owed, len(outgoing), delivered)


def send(client: httpx.Client, item: Outgoing) -> tuple[int | None, str | None]:
    """POST one delivery; the answer's code, and what went wrong unless it was a 2xx."""
    headers = {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: str(item.event_id),
        DELIVERY_ID_HEADER: item.delivery_id,
        HEADER: sign(item.secret, item.body, int(time.time())),
    }
    try:
        response = client.post(item.url, content=item.body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if response.is_success:
        return response.status_code, None
    return response.status_code, f"answered {response.status_code} {response.reason_phrase}"


def client_for(settings: Settings) -> httpx.Client:
    return httpx.Client(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        headers={"User-Agent": "sohoa-webhooks"},
    )
