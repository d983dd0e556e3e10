"""API schema of a status event (``GET /v1/events``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class StatusEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="the event's id: resume after it with Last-Event-ID")
    at: datetime
    subject: str = Field(description="dossier or document: what moved")
    dossier_id: str
    receipt_code: str
    document_id: str | None = Field(description="the document that moved; None for a dossier")
    status: str = Field(description="the status it moved to")
