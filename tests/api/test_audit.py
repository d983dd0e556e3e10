"""Reads of personal data and writes are recorded with who, what, when, why and the answer;
nothing is answered when the record cannot be written; identifiers stay out of the logs."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from api.log_redaction import RedactIdentifiers
from ingest.services import Services
from models.access import Role
from models.status import SubjectKind
from storage import repository
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.api.test_subjects import link

FORM = {"receipt_code": "AUDIT-1", "procedure_code": "1.001612", "agency": "PVHCC"}
CCCD = "001203290578"


@pytest.fixture
def app_client(services: Services) -> TestClient:
    return TestClient(create_app(services))


def events(client: TestClient, admin: dict[str, str], **filters: str) -> list[dict]:
    answer = client.get("/v1/audit", params=filters, headers=admin)
    assert answer.status_code == 200, answer.text
    items: list[dict] = answer.json()["items"]
    return items


def test_reads_and_writes_are_recorded_and_status_polls_are_not(
    app_client: TestClient, key_for: KeyFor
) -> None:
    desk, reader = key_for(Role.SCANNER), key_for(Role.PROCESSOR)
    admin = bearer(key_for(Role.ADMIN))
    scan = {"files": ("a.png", b"\x89PNG\r\n\x1a\n")}
    accepted = app_client.post("/v1/dossiers", data=FORM, files=scan, headers=bearer(desk))
    dossier_id = accepted.json()["dossier_id"]
    document_id = accepted.json()["documents"][0]["id"]
    app_client.get(f"/v1/dossiers/{dossier_id}", headers=bearer(desk))  # status: not recorded
    purpose = {**bearer(reader), "X-Purpose": quote("thẩm định hồ sơ AUDIT-1")}
    app_client.get(f"/v1/documents/{document_id}/fields", headers=purpose)
    app_client.get(f"/v1/documents/{document_id}/original", headers=bearer(desk))  # refused

    trail = list(reversed(events(app_client, admin, dossier_id=dossier_id)))
    assert [(e["action"], e["kind"], e["status"]) for e in trail] == [
        ("upload_dossier", "write", 202)
    ]
    trail = list(reversed(events(app_client, admin, document_id=document_id)))
    assert [(e["action"], e["key_id"], e["status"]) for e in trail] == [
        ("get_document_fields", reader.split("_")[1], 200),
        ("get_document_original", desk.split("_")[1], 403),
    ]
    assert trail[0]["purpose"] == "thẩm định hồ sơ AUDIT-1"


def test_a_subject_look_up_needs_a_purpose_and_is_found_by_subject(
    app_client: TestClient, services: Services, key_for: KeyFor
) -> None:
    link(services, SubjectKind.CITIZEN, CCCD, "cccd_number")
    reader = bearer(key_for(Role.PROCESSOR))
    admin = bearer(key_for(Role.ADMIN))
    body = {"cccd_number": "001 203 290 578"}
    missing = app_client.post("/v1/citizens/lookup", json=body, headers=reader)
    assert missing.status_code == 422
    assert "X-Purpose" in missing.json()["error"]["message"]
    found = app_client.post(
        "/v1/citizens/lookup", json=body, headers={**reader, "X-Purpose": "cap doi CCCD"}
    )
    assert found.status_code == 200, found.text
    (event,) = events(app_client, admin, subject=CCCD)
    assert (event["action"], event["subject_kind"], event["subject_identifier"]) == (
        "look_up_citizen", "citizen", CCCD,
    )  # fmt: skip
    assert event["purpose"] == "cap doi CCCD"
    assert events(app_client, admin, subject="079203290578") == []


def test_nothing_is_answered_when_the_trail_cannot_be_written(
    app_client: TestClient, services: Services, key_for: KeyFor
) -> None:
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier("AUDIT-2", "1.001612", "PVHCC")
        )
        dossier_id = dossier.id
        session.execute(text("DROP TABLE audit_events"))
    reader = bearer(key_for(Role.PROCESSOR))
    answer = app_client.get(f"/v1/dossiers/{dossier_id}/fields", headers=reader)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert answer.json()["error"]["code"] == "audit_unavailable"
    assert "AUDIT-2" not in answer.text
    status = app_client.get(f"/v1/dossiers/{dossier_id}", headers=reader)
    assert status.status_code == 200  # not personal data, not recorded, still answered


def test_the_access_log_masks_identifiers() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/v1/audit?subject={CCCD}&key_id=ab12", "1.1", 200), None,
    )  # fmt: skip
    assert RedactIdentifiers().filter(record)
    line = record.getMessage()
    assert CCCD not in line
    assert "/v1/audit?subject=[redacted]&key_id=ab12" in line
    assert "127.0.0.1:5000" in line
