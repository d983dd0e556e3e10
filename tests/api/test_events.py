"""``GET /v1/events`` on SQLite and PostgreSQL: every status move as a server-sent event, in
order, resumed after Last-Event-ID with none twice, within the key's agencies, and a stream that
follows new moves until it ends."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

from fastapi.testclient import TestClient

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.status import DocumentStatus
from models.tables import StatusEvent, utcnow
from storage import events, repository
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.api.test_review import add_dossier


def parsed(stream: str) -> list[dict]:
    """The events of a text/event-stream body, comments left out."""
    found = []
    for block in stream.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        fields = dict(line.split(": ", 1) for line in lines if ": " in line)
        if "data" in fields:
            found.append({**fields, "data": json.loads(fields["data"])})
    return found


def test_the_backlog_comes_in_order_and_resumes_after_the_last_id(
    services: Services, key_for: KeyFor
) -> None:
    document_id = add_dossier(services, "R-EVENTS-1", {"full_name": "NGUYỄN VĂN AN"})
    with TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR))) as system:
        answer = system.get("/v1/events", params={"after": 0, "follow": "false"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/event-stream")
        backlog = parsed(answer.text)
        assert [(event["event"], event["data"]["status"]) for event in backlog] == [
            ("document", "needs_review"),
            ("dossier", "needs_review"),
        ]
        assert backlog[0]["data"]["document_id"] == document_id
        assert backlog[1]["data"]["document_id"] is None
        assert {event["data"]["receipt_code"] for event in backlog} == {"R-EVENTS-1"}
        assert [int(event["id"]) for event in backlog] == [event["data"]["id"] for event in backlog]

        with transaction(services.sessions) as session:
            repository.move_document(session, document_id, DocumentStatus.VERIFIED)
            repository.settle_dossier(
                session, repository.get_document(session, document_id).dossier_id
            )
        resumed = system.get(
            "/v1/events", params={"follow": "false"}, headers={"Last-Event-ID": backlog[-1]["id"]}
        )
        assert [(e["event"], e["data"]["status"]) for e in parsed(resumed.text)] == [
            ("document", "verified"),
            ("dossier", "verified"),
        ]
        from_now = system.get("/v1/events", params={"follow": "false"})
        assert parsed(from_now.text) == []  # without an id, the stream starts at the newest


def test_a_key_hears_only_its_agencies(services: Services, key_for: KeyFor) -> None:
    add_dossier(services, "R-EVENTS-2", {"full_name": "TRẦN THỊ BÌNH"})  # agency PVHCC
    app = create_app(services)
    ours = bearer(key_for(Role.PROCESSOR, agencies=["PVHCC"]))
    theirs = bearer(key_for(Role.PROCESSOR, agencies=["SO-TU-PHAP"]))
    params = {"after": 0, "follow": "false"}
    with TestClient(app) as system:
        assert len(parsed(system.get("/v1/events", params=params, headers=ours).text)) == 2
        assert parsed(system.get("/v1/events", params=params, headers=theirs).text) == []
        operator = bearer(key_for(Role.OPERATOR))
        assert system.get("/v1/events", params=params, headers=operator).status_code == 403
        assert system.get("/v1/events", params=params).status_code == 401


def test_a_followed_stream_tells_moves_as_they_happen_then_ends(
    services: Services, key_for: KeyFor
) -> None:
    services.settings.events_stream_seconds = 3
    with TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR))) as system:
        later = threading.Timer(1.0, add_dossier, (services, "R-EVENTS-3", {"full_name": "LÊ C"}))
        later.start()
        began = time.monotonic()
        answer = system.get("/v1/events")  # follows; ends after events_stream_seconds
        later.join()
    assert time.monotonic() - began >= 3
    assert answer.text.startswith(": sohoa status events")
    assert "retry: 2000" in answer.text
    assert [event["data"]["receipt_code"] for event in parsed(answer.text)] == ["R-EVENTS-3"] * 2


def test_a_reader_waits_at_a_recent_hole_in_the_ids_and_passes_an_old_one(
    services: Services,
) -> None:
    add_dossier(services, "R-EVENTS-4", {"full_name": "PHẠM D"})
    with transaction(services.sessions) as session:
        first, second = session.query(StatusEvent).order_by(StatusEvent.id).all()
        session.delete(first)  # as if its transaction were still open
    with services.sessions() as session:
        assert events.events_after(session, first.id - 1, None) == (first.id - 1, [])
    with transaction(services.sessions) as session:
        session.get(StatusEvent, second.id).at = utcnow() - timedelta(seconds=60)
    with services.sessions() as session:
        cursor, ready = events.events_after(session, first.id - 1, None)
        assert (cursor, [row.id for row in ready]) == (second.id, [second.id])
