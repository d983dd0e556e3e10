"""API schemas of webhooks (``/v1/webhooks``) and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AliasChoices, AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from models.status import DeliveryStatus

EventPattern = Annotated[
    str,
    StringConstraints(pattern=r"^(\*|dossier|document)\.(\*|[a-z_]{1,32})$"),
]


class WebhookCreate(BaseModel):
    url: AnyHttpUrl = Field(description="where deliveries are POSTed (http or https)")
    events: list[EventPattern] = Field(
        min_length=1,
        max_length=32,
        description="event types to be told of: `dossier.verified`, `document.failed`, "
        "`dossier.*`, `*.*`",
    )
    description: str = Field(default="", max_length=255)


class WebhookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    events: list[str] = Field(validation_alias=AliasChoices("event_patterns", "events"))
    description: str
    created_at: datetime
    removed_at: datetime | None


class WebhookRegistered(WebhookPublic):
    secret: str = Field(
        description="signs every delivery (Sohoa-Signature: t=…,v1=HMAC-SHA256 of "
        '"t.body"): shown this once'
    )


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: int
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = Field(description="None once received or failed")
    retry_until: datetime
    last_attempt_at: datetime | None
    last_response_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
