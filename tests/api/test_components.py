"""The papers a procedure asks for, checked against the dossier's typed documents: missing ones
and ones found twice are listed, and nothing is called missing while a document is still read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import print_components
from ingest.desk_check import await_components
from ocr.fields.components import TypedDocument, check_components
from ocr.fields.procedure import CATALOGUE, CatalogueError, load_catalogue
from samples import render_document, save_jpeg, save_pdf, scan

pytestmark = pytest.mark.slow

HOUSEHOLD_BUSINESS = "1.001612"  # the form and the owner's CCCD
FORM = {"receipt_code": "000.00.12.H56-261204-0042", "procedure_code": HOUSEHOLD_BUSINESS,
        "agency": "PVHCC"}  # fmt: skip
CARD_LABEL = "Bản sao Căn cước công dân của chủ hộ kinh doanh"


def scanned(tmp_path: Path, kind: str, seed: int) -> Path:
    document = render_document(kind, seed=seed, pages=2 if kind == "don_de_nghi" else 1)
    images = [scan(page.image, seed=seed + n) for n, page in enumerate(document.pages)]
    if kind == "cccd":
        save_jpeg(images, path := tmp_path / f"cccd-{seed}.jpg")
    else:
        save_pdf(images, path := tmp_path / f"{kind}-{seed}.pdf")
    return path


def upload(client: TestClient, path: Path, form: dict[str, str] = FORM) -> dict:
    response = client.post(
        "/v1/dossiers", data=form, files=[("files", (path.name, path.read_bytes()))]
    )
    assert response.status_code == 202, response.text
    return response.json()


def test_a_missing_card_is_listed_then_found_then_found_twice(
    client: TestClient,
    work: Callable[[], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    accepted = upload(client, scanned(tmp_path, "don_de_nghi", 11))
    at_desk = {FORM["receipt_code"]: accepted["dossier_id"]}
    waiting = await_components(client, at_desk, wait_seconds=0)[FORM["receipt_code"]]
    assert waiting is not None
    assert waiting["pending_documents"] == 1 and not waiting["complete"]

    work()
    checked = await_components(client, at_desk, wait_seconds=60)[FORM["receipt_code"]]
    assert checked == client.get(accepted["status_url"]).json()["components"]
    print_components({FORM["receipt_code"]: checked})
    assert f"missing: {CARD_LABEL}" in " ".join(capsys.readouterr().out.split())  # wrapped
    assert checked["procedure_code"] == HOUSEHOLD_BUSINESS
    assert (checked["pending_documents"], checked["missing"]) == (0, [CARD_LABEL])
    form, card = checked["components"]
    assert form["document_type"] == "don_de_nghi"
    assert form["document_ids"] == [accepted["documents"][0]["id"]]
    assert card["missing"] and not checked["complete"]

    card_id = upload(client, scanned(tmp_path, "cccd", 12))["documents"][0]["id"]
    work()
    checked = client.get(accepted["status_url"]).json()["components"]
    assert checked["complete"] and checked["missing"] == [] and checked["repeated"] == []
    assert checked["components"][1]["document_ids"] == [card_id]

    upload(client, scanned(tmp_path, "cccd", 13))
    work()
    checked = client.get(accepted["status_url"]).json()["components"]
    assert checked["repeated"] == [CARD_LABEL] and checked["components"][1]["repeated"]
    listed = client.get("/v1/dossiers").json()["items"]
    assert listed[0]["components"] == checked


def test_a_procedure_without_components_lists_none(client: TestClient, tmp_path: Path) -> None:
    form = {**FORM, "receipt_code": "000.00.12.H56-261204-0043", "procedure_code": "1.003677"}
    accepted = upload(client, scanned(tmp_path, "cccd", 14), form)
    assert client.get(accepted["status_url"]).json()["components"] is None


def test_a_failed_document_answers_for_no_paper() -> None:
    check = check_components(
        HOUSEHOLD_BUSINESS,
        [TypedDocument("form", "don_de_nghi", pending=False),
         TypedDocument("unreadable", None, pending=False)],
    )  # fmt: skip
    assert check is not None
    assert [c.document_type for c in check.missing] == ["cccd"] and check.pending == 0


def test_a_component_of_an_unknown_type_stops_the_catalogue(tmp_path: Path) -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    broken = text.replace("document_type: cccd", "document_type: can_cuoc", 1)
    (path := tmp_path / "procedures.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogueError, match="can_cuoc"):
        load_catalogue(path)


def test_a_result_is_read_marked_with_its_number_and_date_and_answers_for_no_paper(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    form = {**FORM, "receipt_code": "000.00.12.H56-261204-0044", "procedure_code": "2.000635"}
    extract = render_document("khai_sinh", seed=21)
    path = tmp_path / "trich-luc.pdf"
    save_pdf([scan(extract.pages[0].image, seed=21)], path)
    answer = client.post("/v1/dossiers", data={**form, "results": "true"},
                         files=[("files", (path.name, path.read_bytes()))])  # fmt: skip
    assert answer.status_code == 202, answer.text
    work()
    view = client.get(answer.json()["status_url"]).json()
    (document,) = view["documents"]
    assert document["result"] and document["document_type"] == "khai_sinh"
    assert document["issued_number"] == extract.fields["registration_number"]
    day, month, year = extract.fields["registration_date"].split("/")
    assert document["issued_on"] == f"{year}-{month}-{day}"
    components = view["components"]  # the extract issued is not the copy the applicant brings
    assert components["components"][2]["document_ids"] == [] and not components["complete"]
