"""Webhooks on SQLite and PostgreSQL, delivered over real HTTP to a receiver on 127.0.0.1:
signed, de-duplicable by event id, tried again with backoff from the state kept in SQL (a
dispatcher started afresh carries on), failed after their day, and sent again on request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from ingest.reconciler import prune_old_events
from ingest.services import Services
from ingest.webhook_signature import SignatureError, sign, verify
from ingest.webhooks import client_for, dispatch
from models.access import Role
from models.status import DeliveryStatus, DocumentStatus
from models.tables import StatusEvent, WebhookDelivery, utcnow
from storage import repository
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.api.test_review import add_dossier


class Receiver(ThreadingHTTPServer):
    """A processing system's endpoint: records what it is sent, answers the codes queued."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/sohoa"

    def bodies(self) -> list[dict]:
        """What was received, in event order (deliveries are sent several at once)."""
        return sorted((json.loads(body) for _, body in self.received), key=lambda b: b["event_id"])


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers.items()), body))
        self.send_response(self.server.answers.pop(0) if self.server.answers else 204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def system(services: Services, key_for: KeyFor) -> Iterator[TestClient]:
    with TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR))) as client:
        yield client


def register(system: TestClient, url: str, *events: str) -> dict:
    answer = system.post("/v1/webhooks", json={"url": url, "events": list(events)})
    assert answer.status_code == 201, answer.text
    return answer.json()


def run_pass(services: Services, later: float = 0) -> tuple[int, int, int]:
    with client_for(services.settings) as client:
        done = dispatch(
            services.sessions, services.settings, client, utcnow() + timedelta(seconds=later)
        )
    return done.owed, done.sent, done.delivered


def deliveries(system: TestClient, webhook: dict, **params: str) -> list[dict]:
    answer = system.get(f"/v1/webhooks/{webhook['id']}/deliveries", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_move_is_delivered_signed_with_its_event_id(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    webhook = register(system, receiver.url, "*.*")
    assert webhook["secret"].startswith("whsec_") and webhook["events"] == ["*.*"]
    assert "secret" not in system.get("/v1/webhooks").json()[0]
    add_dossier(services, "R-HOOK-1", {"full_name": "NGUYỄN VĂN AN"})

    assert run_pass(services) == (2, 2, 2)
    assert [(b["type"], b["data"]["receipt_code"]) for b in receiver.bodies()] == [
        ("document.needs_review", "R-HOOK-1"),
        ("dossier.needs_review", "R-HOOK-1"),
    ]
    for headers, body in receiver.received:
        assert headers["Content-Type"] == "application/json"
        assert headers["Sohoa-Event-Id"] == str(json.loads(body)["event_id"])
        verify(webhook["secret"], headers["Sohoa-Signature"], body, time.time())
    assert run_pass(services) == (0, 0, 0)  # none twice
    listed = deliveries(system, webhook)
    assert [(d["status"], d["attempts"], d["last_response_code"]) for d in listed] == [
        ("delivered", 1, 204)
    ] * 2


def test_only_the_event_types_asked_for_are_sent(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    register(system, receiver.url, "dossier.verified")
    document_id = add_dossier(services, "R-HOOK-2", {"full_name": "TRẦN THỊ BÌNH"})
    assert run_pass(services) == (0, 0, 0)
    with transaction(services.sessions) as session:
        repository.move_document(session, document_id, DocumentStatus.VERIFIED)
        dossier_id = repository.get_document(session, document_id).dossier_id
        repository.settle_dossier(session, dossier_id)
    assert run_pass(services) == (1, 1, 1)
    assert [body["type"] for body in receiver.bodies()] == ["dossier.verified"]


def test_a_refused_delivery_is_tried_again_by_a_dispatcher_started_afresh(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    webhook = register(system, receiver.url, "document.*")
    add_dossier(services, "R-HOOK-3", {"full_name": "LÊ VĂN CƯỜNG"})
    receiver.answers = [503, 500]
    assert run_pass(services) == (1, 1, 0)
    [owed] = deliveries(system, webhook, status="pending")
    assert (owed["attempts"], owed["last_response_code"]) == (1, 503)
    assert owed["last_error"] == "answered 503 Service Unavailable"
    assert run_pass(services) == (0, 0, 0)  # not yet due: the first retry waits 30 s

    restarted = Services.from_settings(services.settings)  # the state is all in SQL
    try:
        assert run_pass(restarted, later=31) == (0, 1, 0)  # 500: the next waits 60 s
        assert run_pass(restarted, later=45) == (0, 0, 0)
        assert run_pass(restarted, later=61) == (0, 1, 1)
    finally:
        restarted.engine.dispose()
    [received] = deliveries(system, webhook)
    assert (received["status"], received["attempts"]) == ("delivered", 3)
    event_ids = {headers["Sohoa-Event-Id"] for headers, _ in receiver.received}
    assert len(receiver.received) == 3 and len(event_ids) == 1  # one event, sent three times


def test_a_delivery_fails_after_its_day_and_is_sent_again_on_request(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    services.settings.webhook_retry_hours = 0.005  # 18 s: less than the first retry's wait
    webhook = register(system, receiver.url, "dossier.*")
    add_dossier(services, "R-HOOK-4", {"full_name": "PHẠM THỊ DUNG"})
    receiver.answers = [500]
    assert run_pass(services) == (1, 1, 0)
    [failed] = deliveries(system, webhook, status="failed")
    assert failed["next_attempt_at"] is None

    answer = system.post(f"/v1/webhooks/{webhook['id']}/deliveries/{failed['id']}/redeliver")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "pending"
    assert run_pass(services) == (0, 1, 1)
    assert deliveries(system, webhook)[0]["status"] == "delivered"
    missing = system.post(f"/v1/webhooks/{webhook['id']}/deliveries/nope/redeliver")
    assert missing.status_code == 404


def test_an_unreachable_receiver_is_recorded_and_tried_again(
    services: Services, system: TestClient
) -> None:
    webhook = register(system, "http://127.0.0.1:9/nobody-listens", "*.*")
    add_dossier(services, "R-HOOK-5", {"full_name": "HOÀNG VĂN EM"})
    assert run_pass(services) == (2, 2, 0)
    owed = deliveries(system, webhook, status="pending")
    assert len(owed) == 2 and all(d["last_error"].startswith("ConnectError") for d in owed)


def test_deliveries_stay_within_the_keys_agencies_and_end_with_the_webhook_or_the_key(
    services: Services, key_for: KeyFor, receiver: Receiver
) -> None:
    app = create_app(services)
    admin, our_token = bearer(key_for(Role.ADMIN)), key_for(Role.PROCESSOR)
    with (
        TestClient(app, headers=bearer(key_for(Role.PROCESSOR, agencies=["SO-TU-PHAP"]))) as other,
        TestClient(app, headers=bearer(our_token)) as ours,
    ):
        register(other, receiver.url, "*.*")
        removed = register(ours, receiver.url, "*.*")
        revoked = register(ours, receiver.url + "/revoked", "*.*")
        assert ours.delete(f"/v1/webhooks/{removed['id']}").json()["removed_at"]
        assert [w["id"] for w in ours.get("/v1/webhooks").json()] == [revoked["id"]]
        assert other.get(f"/v1/webhooks/{revoked['id']}/deliveries").status_code == 404
        key_id = our_token.split("_")[1]  # sohoa_<id>_<secret>
        assert ours.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 200

    add_dossier(services, "R-HOOK-6", {"full_name": "VÕ THỊ GIANG"})  # agency PVHCC
    assert run_pass(services) == (0, 0, 0)
    assert receiver.received == []


def test_a_registration_names_a_web_url_and_known_event_types(
    services: Services, system: TestClient
) -> None:
    for body in (
        {"url": "ftp://127.0.0.1/x", "events": ["*.*"]},
        {"url": "http://127.0.0.1/x", "events": []},
        {"url": "http://127.0.0.1/x", "events": ["citizen.created"]},
    ):
        assert system.post("/v1/webhooks", json=body).status_code == 422, body
    services.settings.webhook_hosts = "hethong.tinh.gov.vn, .mot-cua.gov.vn"
    for url, code in (
        ("https://hethong.tinh.gov.vn/hooks", 201),
        ("https://xa-1.mot-cua.gov.vn/hooks", 201),
        ("http://127.0.0.1:6379/", 400),
        ("https://evil-mot-cua.gov.vn/", 400),
    ):
        answer = system.post("/v1/webhooks", json={"url": url, "events": ["*.*"]})
        assert answer.status_code == code, (url, answer.text)


def test_a_receiver_refuses_a_changed_body_an_old_stamp_and_a_foreign_secret() -> None:
    body, now = b'{"event_id":7}', int(time.time())
    header = sign("whsec_a", body, now)
    assert verify("whsec_a", header, body, now + 299) == now
    assert verify("whsec_a", f"{header},v1=00", body, now) == now  # one matching v1 is enough
    for secret, signed, received, at in (
        ("whsec_a", header, b'{"event_id":8}', now),
        ("whsec_a", header, body, now + 301),
        ("whsec_b", header, body, now),
        ("whsec_a", "v1=abc", body, now),
    ):
        with pytest.raises(SignatureError):
            verify(secret, signed, received, at)


def test_two_dispatchers_never_send_one_delivery_at_once(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    register(system, receiver.url, "*.*")
    add_dossier(services, "R-HOOK-7", {"full_name": "ĐỖ VĂN HẢI"})
    slow = httpx.Client(timeout=5)
    with slow:
        passes = [
            threading.Thread(target=dispatch, args=(services.sessions, services.settings, slow))
            for _ in range(2)
        ]
        for thread in passes:
            thread.start()
        for thread in passes:
            thread.join()
    assert sorted(b["type"] for b in receiver.bodies()) == [
        "document.needs_review",
        "dossier.needs_review",
    ]


def test_old_events_are_pruned_with_their_settled_deliveries_but_not_those_still_owed(
    services: Services, system: TestClient, receiver: Receiver
) -> None:
    webhook = register(system, receiver.url, "*.*")
    add_dossier(services, "R-HOOK-PRUNE", {"full_name": "NGUYỄN VĂN AN"})
    assert run_pass(services) == (2, 2, 2)
    with transaction(services.sessions) as session:
        owed = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).first()
        assert owed is not None
        owed.status, kept_event = DeliveryStatus.PENDING, owed.event_id
    assert prune_old_events(services) == 0  # nothing is a month old yet
    month_later = utcnow() + timedelta(days=services.settings.events_retention_days, hours=1)
    assert prune_old_events(services, month_later) == 1
    with transaction(services.sessions) as session:
        assert list(session.scalars(select(StatusEvent.id))) == [kept_event]
        assert [d.event_id for d in session.scalars(select(WebhookDelivery))] == [kept_event]
    assert [d["event_id"] for d in deliveries(system, webhook)] == [kept_event]
