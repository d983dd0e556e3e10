"""Signed copies through the API, on SQLite and PostgreSQL: a scan uploaded and read is signed by
a worker; a correction in review is signed as a new version and both stay served; ``POST
/v1/verify`` judges signed, altered, unsigned and garbage files; without a signing
certificate the copy is refused with a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.demo_agency import AgencyCredentials
from ingest.services import Services
from ingest.signed_copies import enqueue_signing
from models.access import Role
from models.config import Settings
from models.tables import AuditEvent
from samples import render_document, save_pdf, scan
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.ingest.signed_documents import RIGHT, add_read_card
from tests.signing import signing, validated

FORM = {"receipt_code": "000.00.12.H56-261204-0007", "procedure_code": "1.001612", "agency": "X"}


def verify(client: TestClient, data: bytes, name: str = "copy.pdf") -> dict:
    response = client.post("/v1/verify", files={"file": (name, data, "application/pdf")})
    assert response.status_code == 200, response.text
    return response.json()


def upload_scan(client: TestClient, tmp_path: Path) -> tuple[str, bytes]:
    form = render_document("don_de_nghi", seed=5, pages=1)
    path = tmp_path / "don.pdf"
    save_pdf([scan(form.pages[0].image, seed=1)], path)
    files = [("files", (path.name, path.read_bytes()))]
    response = client.post("/v1/dossiers", data=FORM, files=files)
    assert response.status_code == 202, response.text
    return response.json()["documents"][0]["id"], path.read_bytes()


class TestSigned:
    @pytest.fixture
    def settings(self, settings: Settings, agency: AgencyCredentials) -> Settings:
        return signing(settings, agency)

    @pytest.mark.slow
    def test_a_read_scan_is_signed_served_and_verified(
        self,
        services: Services,
        client: TestClient,
        work: Callable[[], None],
        agency: AgencyCredentials,
        tmp_path: Path,
    ) -> None:
        document_id, original = upload_scan(client, tmp_path)
        work()
        view = client.get(f"/v1/documents/{document_id}").json()
        (version,) = view["signed_versions"]
        assert version["version"] == 1 and version["pdfa"] == "2B"
        assert version["url"] == f"/v1/documents/{document_id}/signed.pdf?version=1"
        response = client.get(f"/v1/documents/{document_id}/signed.pdf")
        assert response.status_code == 200 and response.headers["content-type"] == (
            "application/pdf"
        )
        assert "don.signed-v1.pdf" in response.headers["content-disposition"]
        signed = response.content
        assert validated(signed, agency.ca_certificate).bottom_line
        verdict = verify(client, signed)
        assert verdict["valid"] and verdict["known_version"] and verdict["trusted"]
        assert (verdict["document_id"], verdict["receipt_code"]) == (
            document_id,
            FORM["receipt_code"],
        )
        assert verdict["dossier_id"] == view["dossier_id"] and verdict["version"] == 1
        assert verdict["certificate"]["sha256"] == version["certificate_sha256"]
        assert verdict["reason"] == "Số hóa hồ sơ" and verdict["location"] == "Hà Nội"
        with transaction(services.sessions) as session:  # the verdict named a document of ours
            audited = session.query(AuditEvent).filter_by(action="verify_signed_copy").one()
        assert (audited.document_id, audited.status) == (document_id, 200)

        tampered = bytearray(signed)
        tampered[tampered.index(b"\xff\xd8\xff") + 2000] ^= 0x01
        altered = verify(client, bytes(tampered))
        assert altered["signed"] and not altered["intact"] and not altered["valid"]
        assert not altered["known_version"] and altered["problems"]

        unsigned = verify(client, original)
        assert not unsigned["signed"] and not unsigned["valid"]
        assert "no signature" in unsigned["problems"][0]

        garbage = client.post("/v1/verify", files={"file": ("x.pdf", b"\x00\x01garbage")})
        assert garbage.status_code == 422
        assert garbage.json()["error"]["code"] == "not_a_pdf"
        assert "not a PDF" in garbage.json()["error"]["message"]

    def test_a_correction_is_signed_as_a_new_version_and_both_are_served(
        self,
        services: Services,
        client: TestClient,
        key_for: KeyFor,
        work: Callable[[], None],
        agency: AgencyCredentials,
        tmp_path: Path,
    ) -> None:
        card = add_read_card(services, tmp_path)
        enqueue_signing(services, card.document_id, "read")  # as finalize does
        work()
        operator = TestClient(create_app(services), headers=bearer(key_for(Role.OPERATOR)))
        with operator:
            (task,) = operator.get("/v1/review/tasks").json()["items"]
            assert operator.post(f"/v1/review/tasks/{task['id']}/claim").status_code == 200
            resolved = operator.post(
                f"/v1/review/tasks/{task['id']}/resolve",
                json={"resolution": "corrected", "value": RIGHT},
            )
            assert resolved.status_code == 200, resolved.text
        work()  # the signing job the closed review queued
        view = client.get(f"/v1/documents/{card.document_id}").json()
        assert view["status"] == "verified"
        assert [v["version"] for v in view["signed_versions"]] == [1, 2]
        copies = {}
        for number in (1, 2):
            response = client.get(
                f"/v1/documents/{card.document_id}/signed.pdf", params={"version": number}
            )
            assert response.status_code == 200
            copies[number] = response.content
            assert validated(response.content, agency.ca_certificate).bottom_line
            verdict = verify(client, response.content)
            assert verdict["valid"] and (verdict["version"], verdict["latest_version"]) == (
                number,
                2,
            )
        assert client.get(f"/v1/documents/{card.document_id}/signed.pdf").content == copies[2]
        missing = client.get(f"/v1/documents/{card.document_id}/signed.pdf?version=3")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "signed_version_not_found"


def test_without_a_signing_certificate_no_copy_is_signed_and_the_reason_is_given(
    services: Services, client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    card = add_read_card(services, tmp_path)
    enqueue_signing(services, card.document_id, "read")
    work()
    assert client.get(f"/v1/documents/{card.document_id}").json()["signed_versions"] == []
    refused = client.get(f"/v1/documents/{card.document_id}/signed.pdf")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "signing_not_configured"
    assert "SOHOA_SIGNING_PKCS12" in refused.json()["error"]["message"]
