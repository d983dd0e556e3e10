"""Webhooks: a processing system registers a URL and the status events it wants, sees each
delivery's state, and has a failed one sent again. A key manages its own webhooks only."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import CallerDep
from api.deps import ServicesDep, SessionDep
from models.status import DeliveryStatus
from models.webhook_schemas import (
    DeliveryPublic,
    WebhookCreate,
    WebhookPublic,
    WebhookRegistered,
)
from storage import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["events"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookRegistered)
def register_webhook(
    body: WebhookCreate, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> WebhookRegistered:
    """Register a URL for the status events that happen from now on, within the key's
    agencies; the secret that signs them is in this answer only."""
    webhooks.check_host(str(body.url), services.settings.webhook_hosts)
    webhook = webhooks.register(
        session, caller.key_id, str(body.url), body.events, body.description
    )
    public = WebhookPublic.model_validate(webhook)
    return WebhookRegistered(**public.model_dump(), secret=webhook.secret)


@router.get("", response_model=list[WebhookPublic])
def list_webhooks(caller: CallerDep, session: SessionDep) -> list[WebhookPublic]:
    """The key's webhooks, oldest first."""
    return [WebhookPublic.model_validate(w) for w in webhooks.owned(session, caller.key_id)]


@router.delete("/{webhook_id}", response_model=WebhookPublic)
def remove_webhook(webhook_id: str, caller: CallerDep, session: SessionDep) -> WebhookPublic:
    """Stop a webhook; what it was still owed is failed, not sent."""
    return WebhookPublic.model_validate(webhooks.remove(session, webhook_id, caller.key_id))


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryPublic])
def list_deliveries(
    webhook_id: str,
    caller: CallerDep,
    session: SessionDep,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[DeliveryPublic]:
    """A webhook's deliveries, newest event first: received, owed (with the next attempt) or
    failed (with the last answer or error)."""
    webhook = webhooks.get_owned(session, webhook_id, caller.key_id)
    rows = webhooks.deliveries_of(session, webhook, delivery_status, limit, offset)
    return [DeliveryPublic.model_validate(row) for row in rows]


@router.post("/{webhook_id}/deliveries/{delivery_id}/redeliver", response_model=DeliveryPublic)
def redeliver(
    webhook_id: str,
    delivery_id: str,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
) -> DeliveryPublic:
    """Send a delivery again at the dispatcher's next pass, with a fresh day of retries."""
    webhook = webhooks.get_owned(session, webhook_id, caller.key_id)
    retry_for = timedelta(hours=services.settings.webhook_retry_hours)
    return DeliveryPublic.model_validate(
        webhooks.redeliver(session, webhook, delivery_id, retry_for)
    )
