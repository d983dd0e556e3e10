"""The fields endpoint serves stored field rows as a processing system reads them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ingest.samples import render_document, save_jpeg, scan
from ingest.services import Services
from models.status import FieldStatus, TextSource
from models.tables import Document, DocumentSubject, ExtractedField, Subject
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


@pytest.mark.slow
def test_a_scanned_card_is_classified_and_its_fields_stored(
    client: TestClient, work: Callable[[], None], services: Services, tmp_path: Path
) -> None:
    card = render_document("cccd", seed=12)
    path = tmp_path / "cccd.jpg"
    save_jpeg([scan(card.pages[0].image, seed=5)], path)
    form = {"receipt_code": "FIELDS-2", "procedure_code": "1.001612", "agency": "PVHCC"}
    accepted = client.post(
        "/v1/dossiers", data=form, files=[("files", (path.name, path.read_bytes()))]
    ).json()
    work()
    document_id = accepted["documents"][0]["id"]
    body = client.get(f"/v1/documents/{document_id}/fields").json()
    assert body["document_type"] == "cccd"
    fields = {field["name"]: field for field in body["fields"]}
    number = fields["cccd_number"]
    assert number["value"] == card.fields["cccd_number"]
    assert number["source"] == "ocr" and number["page"] == 1 and number["box_width"] > 0
    assert fields["date_of_birth"]["value"] is not None
    with transaction(services.sessions) as session:
        subject = session.scalars(select(Subject)).one()
        link = session.scalars(select(DocumentSubject)).one()
    assert (subject.kind, subject.identifier) == ("citizen", card.fields["cccd_number"])
    assert (link.document_id, link.field_name) == (document_id, "cccd_number")
