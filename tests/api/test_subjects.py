"""Citizens and enterprises are found by their identifier with everything digitized about them."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from ingest.services import Services
from models.status import FieldStatus, SubjectKind, TextSource
from models.tables import Document, ExtractedField
from samples import save_jpeg, scan
from samples.procedures import Case, procedure_for, random_case
from samples.render import compose_document
from storage import repository
from storage.database import transaction

CERTIFICATE = "dang_ky_doanh_nghiep"


PURPOSE = {"X-Purpose": quote("hồ sơ 000.00.12.H56-261202-0001: cấp đổi CCCD")}


def look_up_citizen(client: TestClient, cccd_number: str) -> httpx.Response:
    return client.post("/v1/citizens/lookup", json={"cccd_number": cccd_number}, headers=PURPOSE)


def look_up_enterprise(client: TestClient, code: str) -> httpx.Response:
    return client.post("/v1/enterprises/lookup", json={"enterprise_code": code}, headers=PURPOSE)


def upload(client: TestClient, receipt_code: str, paths: list[Path]) -> list[str]:
    """Upload ``paths`` as one dossier; the ids of its documents, in order."""
    form = {"receipt_code": receipt_code, "procedure_code": "1.001612", "agency": "PVHCC"}
    files = [("files", (path.name, path.read_bytes())) for path in paths]
    accepted = client.post("/v1/dossiers", data=form, files=files)
    assert accepted.status_code == 202, accepted.text
    return [document["id"] for document in accepted.json()["documents"]]


def scanned(kind: str, rng: random.Random, case: Case, folder: Path) -> Path:
    """A one-page document of ``kind`` about ``case``, scanned to a JPEG."""
    document = compose_document(kind, rng, case, pages=1)
    path = folder / f"{kind}.jpg"
    save_jpeg([scan(document.pages[0].image, seed=3)], path)
    return path


def link(services: Services, kind: SubjectKind, identifier: str, field_name: str) -> str:
    """A document naming ``identifier`` through ``field_name``, as extraction records it."""
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier("SUBJ-0", "1.001612", "PVHCC")
        )
        document, _ = repository.add_document(
            session, Document(dossier_id=dossier.id, sha256="d" * 64, filename="x.jpg",
                              size_bytes=1, document_type="cccd")
        )  # fmt: skip
        repository.link_subject(session, document.id, kind, identifier, field_name)
        return document.id


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("12345", "5 digits instead of 12"),
        ("0O1203290578", "letters where digits belong"),
        ("999203290578", "unknown province code 999"),
        ("00120329057x", "not a number"),
    ],
)
def test_an_invalid_cccd_number_is_refused_with_the_reason(
    client: TestClient, raw: str, reason: str
) -> None:
    answer = look_up_citizen(client, raw)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_request"
    assert f"body.cccd_number: '{raw}' is not a valid CCCD number" in error["message"]
    assert reason in error["message"]


def test_an_invalid_enterprise_code_is_refused_with_the_reason(client: TestClient) -> None:
    answer = look_up_enterprise(client, "0100109107")
    assert answer.status_code == 422
    assert "check digit does not match" in answer.json()["error"]["message"]


def test_a_valid_identifier_nobody_has_read_is_not_found(client: TestClient) -> None:
    nobody = look_up_citizen(client, "001203290578")
    assert nobody.status_code == 404
    assert nobody.json()["error"]["code"] == "citizen_not_found"
    nothing = look_up_enterprise(client, "0100109106")
    assert nothing.status_code == 404
    assert nothing.json()["error"]["code"] == "enterprise_not_found"


def test_identifiers_are_found_however_they_are_written(
    client: TestClient, services: Services
) -> None:
    document_id = link(services, SubjectKind.CITIZEN, "001203290578", "cccd_number")
    link(services, SubjectKind.ENTERPRISE, "0100109106-001", "enterprise_code")
    for written in ("001203290578", "001.203.290.578", "001-203-290 578"):
        body = look_up_citizen(client, written).json()
        assert (body["kind"], body["identifier"]) == ("citizen", "001203290578")
        assert [d["document_id"] for d in body["documents"]] == [document_id]
        assert body["known_values"] == {}
    for written in ("0100109106001", "0100109106-001", "0100109106.001"):
        body = look_up_enterprise(client, written).json()
        assert (body["kind"], body["identifier"]) == ("enterprise", "0100109106-001")


def test_a_known_value_comes_with_what_it_was_resolved_to(
    client: TestClient, services: Services
) -> None:
    card_id = link(services, SubjectKind.CITIZEN, "001203290578", "cccd_number")
    units = {"province": "Hà Nội", "ward": "Hàng Trống", "district": "Hoàn Kiếm"}
    with transaction(services.sessions) as session:
        for name, value, details in [
            ("place_of_residence", "12 Hàng Trống, Hoàn Kiếm, Hà Nội", units),
            ("full_name", "Lê Công Đạt", {}),
        ]:
            session.add(
                ExtractedField(
                    document_id=card_id, document_type="cccd", name=name, raw_text=value,
                    value=value, confidence=0.9, source=TextSource.OCR,
                    status=FieldStatus.AUTO_ACCEPTED, details=json.dumps(details),
                )
            )  # fmt: skip
    values = look_up_citizen(client, "001203290578").json()["known_values"]
    assert values["place_of_residence"]["details"] == units
    assert values["full_name"]["details"] == {}


@pytest.mark.slow
def test_a_citizen_is_found_with_their_card_and_their_later_application(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    rng = random.Random("subjects/citizen")
    case = random_case(rng)
    (card_id,) = upload(client, "SUBJ-1", [scanned("cccd", rng, case, tmp_path)])
    work()
    (form_id,) = upload(client, "SUBJ-2", [scanned("don_de_nghi", rng, case, tmp_path)])
    work()
    number = case.applicant.cccd_number
    answer = look_up_citizen(client, f"{number[:3]} {number[3:6]} {number[6:]}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["kind"], body["identifier"]) == ("citizen", number)
    documents = [
        (d["document_id"], d["receipt_code"], d["document_type"], d["named_by"])
        for d in body["documents"]
    ]
    assert documents == [
        (card_id, "SUBJ-1", "cccd", "cccd_number"),
        (form_id, "SUBJ-2", "don_de_nghi", "cccd_number"),
    ]
    values: dict[str, Any] = body["known_values"]
    assert values["cccd_number"]["value"] == number
    assert values["cccd_number"]["status"] == "auto_accepted"
    assert {"full_name", "date_of_birth", "place_of_residence", "address"} <= set(values)
    assert values["place_of_residence"]["document_id"] == card_id  # only the card has it
    assert values["address"]["document_id"] == form_id  # only the form has it
    # the form's fields about the application are not facts about the applicant
    assert not {"procedure", "recipient", "date_signed"} & set(values)


@pytest.mark.slow
def test_a_business_certificate_belongs_to_its_enterprise_and_names_its_representative(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    rng = random.Random("subjects/1")
    case = random_case(rng, procedure_for(CERTIFICATE))
    assert case.enterprise is not None
    paths = [scanned(CERTIFICATE, rng, case, tmp_path), scanned("cccd", rng, case, tmp_path)]
    certificate_id, card_id = upload(client, "SUBJ-3", paths)
    work()

    answer = look_up_enterprise(client, case.enterprise.code)
    assert answer.status_code == 200, answer.text
    enterprise = answer.json()
    assert enterprise["identifier"] == case.enterprise.code
    (document,) = enterprise["documents"]
    assert (document["document_id"], document["named_by"]) == (certificate_id, "enterprise_code")
    assert document["filename"] == f"{CERTIFICATE}.jpg"
    values = enterprise["known_values"]
    assert values["enterprise_code"]["value"] == case.enterprise.code
    assert {"enterprise_name", "head_office", "legal_representative"} <= set(values)

    answer = look_up_citizen(client, case.applicant.cccd_number)
    assert answer.status_code == 200, answer.text
    citizen = answer.json()
    named = {d["document_id"]: d["named_by"] for d in citizen["documents"]}
    assert named == {certificate_id: "legal_representative_cccd", card_id: "cccd_number"}
    values = citizen["known_values"]
    assert {"cccd_number", "full_name"} <= set(values)
    # the certificate is listed, but the company's fields are not the person's
    assert {value["document_id"] for value in values.values()} == {card_id}
    assert not {"enterprise_name", "head_office", "charter_capital"} & set(values)


def card(services: Services, sha: str, received: dt.datetime, values: dict[str, str],
         status: FieldStatus) -> str:  # fmt: skip
    """A CCCD card about 001203290578 received at ``received``, with ``values`` read."""
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier(f"SUBJ-{sha}", "1.001612", "PVHCC")
        )
        document, _ = repository.add_document(
            session, Document(dossier_id=dossier.id, sha256=sha * 64, filename=f"{sha}.jpg",
                              size_bytes=1, document_type="cccd", created_at=received)
        )  # fmt: skip
        repository.link_subject(
            session, document.id, SubjectKind.CITIZEN, "001203290578", "cccd_number"
        )
        for name, value in values.items():
            session.add(
                ExtractedField(
                    document_id=document.id, document_type="cccd", name=name, raw_text=value,
                    value=value, confidence=0.9, source=TextSource.OCR, status=status,
                )
            )  # fmt: skip
        return document.id


def test_a_value_from_an_expired_or_superseded_card_is_flagged_not_hidden(
    client: TestClient, services: Services
) -> None:
    renewed_on = dt.datetime(2025, 7, 1, 3, tzinfo=dt.UTC)
    old = card(services, "a", dt.datetime(2019, 5, 2, tzinfo=dt.UTC),
               {"full_name": "Lê Văn An", "date_of_expiry": "2024-05-02"},
               FieldStatus.VERIFIED)  # fmt: skip
    new = card(
        services, "b", renewed_on, {"date_of_expiry": "2040-05-02"}, FieldStatus.AUTO_ACCEPTED
    )
    found = look_up_citizen(client, "001203290578").json()
    documents = {d["document_id"]: d for d in found["documents"]}
    assert (documents[old]["current"], documents[old]["not_current_because"]) == (
        False,
        "superseded",
    )
    assert documents[old]["not_current_since"] == "2025-07-01"
    assert documents[new]["current"] is True and documents[new]["not_current_since"] is None
    name = found["known_values"]["full_name"]
    assert (name["value"], name["verified"], name["current"]) == ("Lê Văn An", True, False)
    assert name["not_current_because"] == "superseded"
    expiry = found["known_values"]["date_of_expiry"]
    assert (expiry["value"], expiry["verified"], expiry["current"]) == ("2040-05-02", False, True)


def test_a_card_past_its_expiry_date_is_not_current_from_that_day(
    client: TestClient, services: Services
) -> None:
    only = card(services, "c", dt.datetime(2010, 1, 4, tzinfo=dt.UTC),
                {"full_name": "Trần Thị Bình", "date_of_expiry": "2022-01-04"},
                FieldStatus.AUTO_ACCEPTED)  # fmt: skip
    found = look_up_citizen(client, "001203290578").json()
    [document] = found["documents"]
    assert document["document_id"] == only
    assert (document["current"], document["not_current_because"]) == (False, "expired")
    assert document["not_current_since"] == "2022-01-04"
    assert found["known_values"]["full_name"]["not_current_because"] == "expired"
