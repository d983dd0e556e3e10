"""Reuse: a processing system records that a new dossier used a document digitized earlier,
and anyone counting asks for the reuse rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import CallerDep
from api.deps import SessionDep
from models.errors import InputError
from models.reuse_schemas import ReuseCreate, ReusePublic, ReuseRatePublic
from storage import reuse
from storage.database import aware

router = APIRouter(prefix="/v1", tags=["reuse"])


@router.post(
    "/dossiers/{dossier_id}/reuse",
    status_code=status.HTTP_201_CREATED,
    response_model=list[ReusePublic],
)
def record_reuse(
    dossier_id: str, body: ReuseCreate, caller: CallerDep, session: SessionDep
) -> list[ReusePublic]:
    """Record that this dossier reused a document of an earlier one (or some of its fields)
    instead of asking for the paper again; the same reuse recorded twice is kept once."""
    kept = reuse.record(
        session, dossier_id, body.document_id, body.field_names, body.purpose, caller.key_id,
        caller.agencies,
    )  # fmt: skip
    return [ReusePublic.model_validate(row) for row in kept]


@router.get("/reuse/rate", response_model=ReuseRatePublic)
def get_reuse_rate(
    session: SessionDep,
    since: Annotated[datetime | None, Query(description="default: 30 days ago")] = None,
    until: Annotated[datetime | None, Query(description="default: now")] = None,
) -> ReuseRatePublic:
    """The share of the documents digitized in the period that a later dossier reused."""
    until = aware(until) if until else datetime.now(UTC)
    since = aware(since) if since else until - timedelta(days=30)
    if since >= until:
        raise InputError("since must come before until", code="period_empty")
    counted = reuse.reuse_rate(session, since, until)
    return ReuseRatePublic(
        since=since, until=until, documents_digitized=counted.documents_digitized,
        documents_reused=counted.documents_reused, reuse_rate=counted.rate,
        records=counted.records, dossiers_served=counted.dossiers_served,
    )  # fmt: skip
