"""``GET /v1/events``: dossiers' and documents' status changes as server-sent events.

Each event's ``id`` is its row's; a client that reconnects with ``Last-Event-ID`` (browsers'
``EventSource`` does it by itself), or ``?after=``, gets what followed, none twice. A stream
lasts ``SOHOA_EVENTS_STREAM_SECONDS`` and ends: the client reconnects and its key is checked
again, so that a revoked key stops hearing. ``?follow=false`` answers what is there and ends,
for systems that poll.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.sse import EventSourceResponse, ServerSentEvent

from api.auth import CallerDep
from api.deps import ServicesDep
from models.events_schemas import StatusEventPublic
from storage import events

router = APIRouter(prefix="/v1/events", tags=["events"])

POLL_SECONDS = 0.5
KEEP_ALIVE_SECONDS = 15.0
RECONNECT_MS = 2000


@router.get("", response_class=EventSourceResponse, responses={200: {"model": StatusEventPublic}})
def stream_events(
    caller: CallerDep,
    services: ServicesDep,
    last_event_id: Annotated[int | None, Header(ge=0, le=2**63 - 1)] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="resume after this event id")
    ] = None,
    follow: Annotated[bool, Query(description="keep the stream open for new events")] = True,
) -> Iterator[ServerSentEvent]:
    """Status changes, oldest first: ``event`` is ``dossier`` or ``document``, ``data`` the
    change (ids, receipt code, new status, when). Without an id to resume from, the stream
    starts at the newest event: what happens from now on."""
    last = last_event_id if last_event_id is not None else after
    with services.sessions() as session:
        if last is None:
            last = events.newest_id(session)
    ends_at = time.monotonic() + services.settings.events_stream_seconds
    quiet_since = time.monotonic()
    yield ServerSentEvent(comment="sohoa status events", retry=RECONNECT_MS)
    while True:
        with services.sessions() as session:
            moved_to, batch = events.events_after(session, last, caller.agencies)
        for row in batch:
            public = StatusEventPublic.model_validate(row)
            yield ServerSentEvent(id=str(row.id), event=row.subject, data=public)
        if batch:
            quiet_since = time.monotonic()
        last = moved_to
        if not follow and not batch:
            return
        if time.monotonic() >= ends_at:
            return
        if time.monotonic() - quiet_since >= KEEP_ALIVE_SECONDS:
            yield ServerSentEvent(comment="keep-alive")
            quiet_since = time.monotonic()
        time.sleep(POLL_SECONDS)
