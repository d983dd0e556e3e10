"""Reuse records and the reuse rate, on SQLite and PostgreSQL: a new dossier reuses a document
digitized earlier, or some of its fields; the same reuse is kept once; what cannot be reused
is refused with the reason; the rate counts documents digitized that were reused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.status import DocumentStatus
from models.tables import Document
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.api.test_review import add_dossier

PURPOSE = "hồ sơ 1.001612-0002: cấp đổi CCCD, dùng lại thẻ đã số hóa"


def dossier_of(system: TestClient, document_id: str) -> str:
    return system.get(f"/v1/documents/{document_id}").json()["dossier_id"]


def test_a_new_dossier_reuses_a_document_and_the_rate_counts_it(
    services: Services, key_for: KeyFor
) -> None:
    earlier = add_dossier(services, "R-REUSE-1", {"full_name": "NGUYỄN VĂN AN"})
    later = add_dossier(services, "R-REUSE-2", {"full_name": "NGUYỄN VĂN AN"})
    with TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR))) as system:
        new_dossier = dossier_of(system, later)
        url = f"/v1/dossiers/{new_dossier}/reuse"
        field = system.post(url, json={"document_id": earlier, "field_names": ["full_name"],
                                       "purpose": PURPOSE})  # fmt: skip
        assert field.status_code == 201, field.text
        [kept] = field.json()
        assert (kept["document_id"], kept["field_name"], kept["purpose"]) == (
            earlier, "full_name", PURPOSE,
        )  # fmt: skip
        again = system.post(url, json={"document_id": earlier, "field_names": ["full_name"],
                                       "purpose": "again"})  # fmt: skip
        assert again.json()[0]["id"] == kept["id"]  # kept once
        whole = system.post(url, json={"document_id": earlier, "purpose": PURPOSE}).json()
        assert whole[0]["field_name"] is None

        rate = system.get("/v1/reuse/rate").json()
        assert (rate["documents_digitized"], rate["documents_reused"]) == (2, 1)
        assert (rate["reuse_rate"], rate["records"], rate["dossiers_served"]) == (0.5, 2, 1)
        empty = system.get("/v1/reuse/rate", params={"until": "2020-01-01T00:00:00Z"}).json()
        assert (empty["documents_digitized"], empty["reuse_rate"]) == (0, None)


def test_what_cannot_be_reused_is_refused_with_the_reason(
    services: Services, key_for: KeyFor
) -> None:
    earlier = add_dossier(services, "R-REUSE-3", {"full_name": "TRẦN THỊ BÌNH"})
    later = add_dossier(services, "R-REUSE-4", {"sex": "Nữ"})
    app = create_app(services)
    with TestClient(app, headers=bearer(key_for(Role.PROCESSOR))) as system:
        url = f"/v1/dossiers/{dossier_of(system, later)}/reuse"

        def refused(body: dict) -> tuple[int, str]:
            answer = system.post(url, json={"purpose": PURPOSE, **body})
            return answer.status_code, answer.json()["error"]["code"]

        assert refused({"document_id": later}) == (400, "reuse_of_own_document")
        assert refused({"document_id": earlier, "field_names": ["tax_code"]}) == (
            400, "field_not_found",
        )  # fmt: skip
        assert refused({"document_id": "no-such-document"}) == (404, "document_not_found")
        with transaction(services.sessions) as session:
            session.execute(
                update(Document)
                .where(Document.id == earlier)
                .values(status=DocumentStatus.RECOGNIZING)
            )
        assert refused({"document_id": earlier}) == (400, "document_not_digitized")
        elsewhere = bearer(key_for(Role.PROCESSOR, agencies=["SO-TU-PHAP"]))
        answer = system.post(
            url, json={"document_id": earlier, "purpose": PURPOSE}, headers=elsewhere
        )
        assert answer.status_code == 404
        scanner = bearer(key_for(Role.SCANNER))
        assert system.post(url, json={"document_id": earlier, "purpose": PURPOSE},
                           headers=scanner).status_code == 403  # fmt: skip
