"""The fields endpoint serves stored field rows as a processing system reads them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import DateTime, column, event, func, insert, select, table
from sqlalchemy.orm import Session

from ingest import extraction
from ingest.services import Services
from models.status import FieldStatus, TextSource
from models.tables import Document, DocumentSubject, ExtractedField, Subject
from ocr.fields.checked import Checked
from ocr.fields.evidence import against, supporting
from ocr.fields.extract import Extraction, FieldReading
from samples import render_document, save_jpeg, scan
from storage import repository
from storage.database import transaction

AUTO, REVIEW = FieldStatus.AUTO_ACCEPTED, FieldStatus.NEEDS_REVIEW


def stored_document(
    session: Session, receipt_code: str, document_type: str | None, statuses: list[FieldStatus]
) -> str:
    """A document of ``document_type`` in the dossier ``receipt_code``, with one field per status
    (named field_1, field_2, ...), received a minute after the dossier's previous one."""
    dossier = repository.get_or_create_dossier(
        session, repository.NewDossier(receipt_code, "1.001612", "PVHCC")
    )
    received = session.scalar(select(func.count()).where(Document.dossier_id == dossier.id)) or 0
    document, _ = repository.add_document(
        session,
        Document(dossier_id=dossier.id, sha256=f"{receipt_code}-{received}".ljust(64, "0"),
                 filename=f"{document_type}.jpg", size_bytes=1, document_type=document_type,
                 type_score=None if document_type is None else 80.0,
                 created_at=datetime(2025, 3, 1, tzinfo=UTC) + timedelta(minutes=received)),
    )  # fmt: skip
    for number, status in enumerate(statuses, start=1):
        session.add(
            ExtractedField(
                document_id=document.id, document_type=document_type or "unknown",
                name=f"field_{number}", raw_text="x", value="x", confidence=0.5,
                source=TextSource.OCR, status=status,
            )
        )  # fmt: skip
    session.flush()
    return document.id


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


ADDRESS_DETAILS = {
    "province": "Hà Nội", "district": "Hoàn Kiếm", "ward": "Hàng Trống",
    "province_now": "Hà Nội", "ward_now": "Hoàn Kiếm",
}  # fmt: skip


def test_reasons_and_resolved_details_are_stored_and_served(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = FieldReading(
        name="address", raw="12 Hàng Trống, Hoàn Kiếm, Hà Nội",
        checked=Checked("12 Hàng Trống, Hoàn Kiếm, Hà Nội", details=ADDRESS_DETAILS),
        confidence=0.86, accepted=False, located=None,
        reasons=(supporting("label 97"), supporting("ward and province found and nested"),
                 against("ran past a sentence end")),
    )  # fmt: skip
    # what extraction gives today: no reasons, nothing resolved
    name = FieldReading(
        name="full_name", raw="Lê Công Đạt", checked=Checked("Lê Công Đạt"), confidence=0.95,
        accepted=True, located=None,
    )  # fmt: skip
    read = Extraction("don_de_nghi", 90.0, (address, name))
    monkeypatch.setattr(extraction, "extract_fields", lambda pages, types: read)
    with transaction(services.sessions) as session:
        document_id = stored_document(session, "FIELDS-7", "don_de_nghi", [])
    extraction.store_fields(services, document_id, [], [])
    with transaction(services.sessions) as session:
        stored = {row.name: row for row in repository.document_fields(session, document_id)}
    assert "Hàng Trống" in stored["address"].details  # stored as written, not \u-escaped
    assert (stored["full_name"].reasons, stored["full_name"].details) == ("[]", "{}")

    fields = {
        f["name"]: f for f in client.get(f"/v1/documents/{document_id}/fields").json()["fields"]
    }
    assert fields["address"]["reasons"] == [
        {"text": "label 97", "supports": True},
        {"text": "ward and province found and nested", "supports": True},
        {"text": "ran past a sentence end", "supports": False},
    ]
    assert fields["address"]["details"] == ADDRESS_DETAILS
    assert (fields["full_name"]["reasons"], fields["full_name"]["details"]) == ([], {})
    dossier_id = client.get(f"/v1/documents/{document_id}").json()["dossier_id"]
    (in_dossier,) = client.get(f"/v1/dossiers/{dossier_id}/fields").json()["documents"]
    assert {f["name"]: f for f in in_dossier["fields"]} == fields


# The fields table as the previous release writes it: a worker still running it during an
# upgrade names neither reasons nor details.
FIELDS_BEFORE_REASONS = table(
    "fields",
    *(column(name) for name in ("document_id", "document_type", "name", "raw_text", "value")),
    *(column(name) for name in ("confidence", "source", "status", "problems")),
    column("updated_at", DateTime(timezone=True)),
)


def test_a_field_stored_without_reasons_or_details_is_served_with_none(
    client: TestClient, services: Services
) -> None:
    with transaction(services.sessions) as session:
        document_id = stored_document(session, "FIELDS-8", "cccd", [])
        session.execute(
            insert(FIELDS_BEFORE_REASONS).values(
                document_id=document_id, document_type="cccd", name="cccd_number",
                raw_text="001203290578", value="001203290578", confidence=0.97, source="ocr",
                status="auto_accepted", problems="[]", updated_at=datetime.now(UTC),
            )
        )  # fmt: skip
    (field,) = client.get(f"/v1/documents/{document_id}/fields").json()["fields"]
    assert (field["value"], field["reasons"], field["details"]) == ("001203290578", [], {})


def test_fields_of_a_missing_document_is_404(client: TestClient) -> None:
    assert client.get("/v1/documents/nope/fields").status_code == 404
    assert client.get("/v1/dossiers/nope/fields").status_code == 404


def field_counts(dossier: dict[str, Any]) -> list[tuple[str | None, int, int]]:
    return [
        (d["document_type"], d["fields_auto_accepted"], d["fields_needing_review"])
        for d in dossier["documents"]
    ]


def test_the_dossier_view_counts_each_documents_fields(
    client: TestClient, services: Services
) -> None:
    with transaction(services.sessions) as session:
        card = stored_document(session, "FIELDS-3", "cccd", [AUTO, AUTO, REVIEW])
        stored_document(session, "FIELDS-3", "don_de_nghi", [REVIEW])
        stored_document(session, "FIELDS-3", None, [])
        dossier_id = repository.get_document(session, card).dossier_id
    expected = [("cccd", 2, 1), ("don_de_nghi", 0, 1), (None, 0, 0)]
    assert field_counts(client.get(f"/v1/dossiers/{dossier_id}").json()) == expected
    (listed,) = client.get("/v1/dossiers").json()["items"]
    assert field_counts(listed) == expected
    document = client.get(f"/v1/documents/{card}").json()
    assert (document["fields_auto_accepted"], document["fields_needing_review"]) == (2, 1)
    assert "field_states" not in document


def test_listing_dossiers_reads_all_their_fields_in_one_query(
    client: TestClient, services: Services
) -> None:
    with transaction(services.sessions) as session:
        for receipt_code in ("FIELDS-4", "FIELDS-5"):
            for document_type in ("cccd", "don_de_nghi"):
                stored_document(session, receipt_code, document_type, [AUTO, REVIEW])
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        items = client.get("/v1/dossiers").json()["items"]
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    assert [field_counts(item) for item in items] == [[("cccd", 1, 1), ("don_de_nghi", 1, 1)]] * 2
    assert sum("FROM fields" in statement for statement in statements) == 1


def test_the_fields_of_every_document_of_a_dossier(client: TestClient, services: Services) -> None:
    with transaction(services.sessions) as session:
        card = stored_document(session, "FIELDS-6", "cccd", [AUTO, REVIEW])
        form = stored_document(session, "FIELDS-6", "don_de_nghi", [REVIEW])
        unread = stored_document(session, "FIELDS-6", None, [])
        dossier_id = repository.get_document(session, card).dossier_id
    body = client.get(f"/v1/dossiers/{dossier_id}/fields").json()
    assert (body["dossier_id"], body["receipt_code"]) == (dossier_id, "FIELDS-6")
    documents = [
        (d["document_id"], d["document_type"], d["type_score"], [f["name"] for f in d["fields"]])
        for d in body["documents"]
    ]
    assert documents == [
        (card, "cccd", 80.0, ["field_1", "field_2"]),
        (form, "don_de_nghi", 80.0, ["field_1"]),
        (unread, None, None, []),
    ]
    assert body["documents"][0]["fields"][1]["status"] == "needs_review"


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
    (summary,) = client.get(f"/v1/dossiers/{accepted['dossier_id']}").json()["documents"]
    statuses = [field["status"] for field in body["fields"]]
    assert summary["document_type"] == "cccd"
    assert summary["fields_auto_accepted"] == statuses.count("auto_accepted") > 0
    assert summary["fields_needing_review"] == statuses.count("needs_review")
    in_dossier = client.get(f"/v1/dossiers/{accepted['dossier_id']}/fields").json()
    assert in_dossier["documents"] == [body]
