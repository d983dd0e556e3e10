"""The fields endpoint serves stored field rows as a processing system reads them."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from ingest.services import Services
from models.status import FieldStatus, TextSource
from models.tables import Document, ExtractedField
from storage import repository
from storage.database import transaction


def test_fields_of_a_document(client: TestClient, services: Services) -> None:
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier("FIELDS-1", "1.001612", "PVHCC")
        )
        document, _ = repository.add_document(
            session,
            Document(dossier_id=dossier.id, sha256="c" * 64, filename="cccd.jpg",
                     media_type="image/jpeg", size_bytes=1, document_type="cccd",
                     type_score=100.0),
        )  # fmt: skip
        session.add(
            ExtractedField(
                document_id=document.id, document_type="cccd", name="cccd_number",
                raw_text="0O1203290578", value="001203290578", confidence=0.72, page=1,
                box_left=10, box_top=20, box_width=300, box_height=40, source=TextSource.OCR,
                status=FieldStatus.NEEDS_REVIEW, problems=json.dumps(["O read as 0"]),
            )
        )  # fmt: skip
        document_id = document.id
    body = client.get(f"/v1/documents/{document_id}/fields").json()
    assert (body["document_type"], body["type_score"]) == ("cccd", 100.0)
    (field,) = body["fields"]
    assert field["value"] == "001203290578" and field["status"] == "needs_review"
    assert field["problems"] == ["O read as 0"]
    assert client.get(f"/v1/documents/{document_id}").json()["document_type"] == "cccd"


def test_fields_of_a_missing_document_is_404(client: TestClient) -> None:
    assert client.get("/v1/documents/nope/fields").status_code == 404
