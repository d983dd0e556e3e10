"""The review desk's API on SQLite and PostgreSQL: leases, decisions, double keying, groups,
history, and documents and dossiers moving to verified."""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import update

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.status import DocumentStatus, DossierStatus, FieldStatus
from models.tables import Document, ExtractedField, Page, ReviewTask, utcnow
from storage import repository, review
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer

CCCD = "001203290578"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def add_dossier(services: Services, receipt: str, fields: dict[str, str | None]) -> str:
    """A card read with ``fields`` all sent to review, its page image stored; its id."""
    image = Image.new("L", (1200, 800), 255)
    printed = " · ".join(value for value in fields.values() if value)
    ImageDraw.Draw(image).text((310, 205), printed, fill=0, font=ImageFont.truetype(FONT, 26))
    out = io.BytesIO()
    image.save(out, format="PNG")
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier(receipt, "1.001612", "PVHCC")
        )
        dossier.status = DossierStatus.PROCESSING
        document, _ = repository.add_document(
            session,
            Document(
                dossier_id=dossier.id, sha256=receipt.ljust(64, "0"), filename="card.png",
                size_bytes=1, document_type="cccd", status=DocumentStatus.RECOGNIZING,
            ),
        )  # fmt: skip
        key = f"documents/{document.id}/pages/1.png"
        services.store.put_bytes(key, out.getvalue(), "image/png")
        session.add(Page(document_id=document.id, index=1, width=1200, height=800, image_key=key))
        rows = [
            ExtractedField(
                document_id=document.id, document_type="cccd", name=name, raw_text=value or "",
                value=value, confidence=0.6, page=1, box_left=300, box_top=200, box_width=400,
                box_height=40, source="ocr", status=FieldStatus.NEEDS_REVIEW,
            )
            for name, value in fields.items()
        ]  # fmt: skip
        repository.replace_fields(session, document.id, rows)
        target = DocumentStatus.NEEDS_REVIEW
        repository.move_document(session, document.id, target)
        repository.settle_dossier(session, dossier.id)
        return document.id


@pytest.fixture
def operators(services: Services, key_for: KeyFor) -> Iterator[tuple[TestClient, TestClient]]:
    app = create_app(services)
    with (
        TestClient(app, headers=bearer(key_for(Role.OPERATOR))) as first,
        TestClient(app, headers=bearer(key_for(Role.OPERATOR))) as second,
    ):
        yield first, second


def tasks_of(client: TestClient, **params: str) -> dict[str, dict]:
    items = client.get("/v1/review/tasks", params=params).json()["items"]
    return {item["field_name"]: item for item in items}


def claim(client: TestClient, task: dict) -> dict:
    response = client.post(f"/v1/review/tasks/{task['id']}/claim")
    assert response.status_code == 200, response.text
    return response.json()


def resolve(client: TestClient, task: dict, **body: str | None) -> dict:
    response = client.post(f"/v1/review/tasks/{task['id']}/resolve", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_claimed_task_is_nobody_elses_until_released_or_expired(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, second = operators
    add_dossier(services, "R-1", {"full_name": "NGUYỄN VĂN AN"})
    task = tasks_of(first)["full_name"]
    assert task["field_label"] == "Họ và tên" and task["document_title"] == "Căn cước công dân"
    assert claim(first, task)["claimed_by_me"]
    assert tasks_of(second) == {}  # held by another: not offered
    refused = second.post(f"/v1/review/tasks/{task['id']}/claim")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "task_claimed"
    assert second.post(f"/v1/review/tasks/{task['id']}/resolve",
                       json={"resolution": "accepted"}).status_code == 409  # fmt: skip
    assert first.post(f"/v1/review/tasks/{task['id']}/release").status_code == 204
    claim(second, task)
    with transaction(services.sessions) as session:  # the lease runs out
        past = utcnow() - timedelta(seconds=1)
        session.execute(update(ReviewTask).values(lease_until=past))
    claim(first, task)


def test_exactly_one_of_two_simultaneous_claims_wins(services: Services) -> None:
    add_dossier(services, "R-1", {"full_name": "NGUYỄN VĂN AN"})
    with transaction(services.sessions) as session:
        (task_id,) = [t.id for t in session.query(ReviewTask)]
    start, won = threading.Barrier(8), []

    def contend(key_id: str) -> None:
        start.wait()
        with transaction(services.sessions) as session:
            if review.claim(session, [task_id], key_id, timedelta(minutes=5)):
                won.append(key_id)

    threads = [threading.Thread(target=contend, args=(f"k{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1


def test_closing_the_last_task_verifies_the_document_and_its_dossier(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    document_id = add_dossier(
        services, "R-1", {"full_name": "NGUYỄN VĂN AN", "date_of_birth": "05/03/1990",
                          "nationality": None},
    )  # fmt: skip
    assert first.get(f"/v1/documents/{document_id}").json()["status"] == "needs_review"
    tasks = tasks_of(first)
    claim(first, tasks["full_name"])
    assert resolve(first, tasks["full_name"], resolution="accepted")["field_status"] == "verified"
    claim(first, tasks["date_of_birth"])
    decomposed = unicodedata.normalize("NFD", "ngày 6 tháng 3 năm 1990")
    done = resolve(first, tasks["date_of_birth"], resolution="corrected", value=decomposed)
    assert done["value"] == "1990-03-06"
    claim(first, tasks["nationality"])
    resolve(first, tasks["nationality"], resolution="absent", reason="torn")
    document = first.get(f"/v1/documents/{document_id}").json()
    assert document["status"] == "verified"
    assert first.get(f"/v1/dossiers/{document['dossier_id']}").json()["status"] == "verified"
    history = first.get(f"/v1/fields/{tasks['date_of_birth']['field_id']}/history").json()
    assert [(h["action"], h["old_value"], h["new_value"]) for h in history] == [
        ("corrected", "05/03/1990", "1990-03-06")
    ]
    with transaction(services.sessions) as session:
        rows = {f.name: f for f in repository.document_fields(session, document_id)}
    assert rows["nationality"].status == FieldStatus.ABSENT and rows["nationality"].value is None
    assert {row.source for row in rows.values()} == {"operator"}


def test_a_value_its_validators_fault_needs_a_reason(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    add_dossier(services, "R-1", {"date_of_birth": "05/03/1990"})
    task = claim(first, tasks_of(first)["date_of_birth"])
    refused = first.post(f"/v1/review/tasks/{task['id']}/resolve",
                         json={"resolution": "corrected", "value": "31/02/1990"})  # fmt: skip
    assert refused.status_code == 422 and "no such day" in refused.json()["error"]["message"]
    kept = resolve(first, task, resolution="corrected", value="31/02/1990",
                   override_reason="printed so on the card")  # fmt: skip
    assert kept["outcome"] == "closed" and kept["value"] == "31/02/1990"


def test_a_corrected_cccd_number_needs_two_keyings_that_agree(
    services: Services, operators: tuple[TestClient, TestClient], key_for: KeyFor
) -> None:
    first, second = operators
    add_dossier(services, "R-1", {"cccd_number": "001203290573"})
    task = claim(first, tasks_of(first)["cccd_number"])
    assert task["keyed_twice"]
    once = resolve(first, task, resolution="corrected", value=CCCD)
    assert once["outcome"] == "awaiting_second_keying" and once["field_status"] == "needs_review"
    assert resolve(first, task, resolution="corrected", value="001203290579")["outcome"] == (
        "keyings_disagreed"
    )
    resolve(first, task, resolution="corrected", value=CCCD)
    first.post(f"/v1/review/tasks/{task['id']}/release")
    offered = claim(second, task)  # a second operator keys it blind: the first keying is hidden
    assert offered["awaiting_second_keying"] and CCCD not in str(offered)
    assert resolve(second, task, resolution="corrected", value=CCCD)["outcome"] == "closed"
    history = second.get(f"/v1/fields/{task['field_id']}/history").json()
    assert [h["action"] for h in history] == [
        "keyed", "keyings_disagreed", "keyed", "keyed", "corrected"
    ]  # fmt: skip
    assert len({h["key_id"] for h in history}) == 2
    processor = TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR)))
    found = processor.post("/v1/citizens/lookup", json={"cccd_number": CCCD},
                           headers={"X-Purpose": "test"})  # fmt: skip
    assert found.status_code == 200
    assert found.json()["known_values"]["cccd_number"]["status"] == "verified"


def test_a_group_is_confirmed_at_once_and_its_odd_ones_stay_held(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, second = operators
    for n in range(5):
        add_dossier(services, f"R-{n}", {"date_of_birth": f"0{n + 1}/03/1990",
                                         "cccd_number": "001203290573"})  # fmt: skip
    groups = {group["id"]: group for group in first.get("/v1/review/groups").json()}
    assert set(groups) == {"cccd.date_of_birth"}  # identifiers are never confirmed in bulk
    assert groups["cccd.date_of_birth"]["tasks"] == 5
    held = first.post("/v1/review/groups/cccd.date_of_birth/claim").json()["items"]
    assert len(held) == 5 and second.get("/v1/review/groups").json() == []
    ids = [task["id"] for task in held]
    outcome = first.post("/v1/review/groups/cccd.date_of_birth/resolve",
                         json={"task_ids": ids, "odd": [ids[2]]}).json()  # fmt: skip
    assert outcome == {"accepted": 4, "odd": [ids[2]]}
    assert claim(first, held[2])["claimed_by_me"]
    assert resolve(first, held[2], resolution="corrected", value="09/03/1991")["value"] == (
        "1991-03-09"
    )


def test_the_crop_is_a_png_around_the_field(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    add_dossier(services, "R-1", {"full_name": "NGUYỄN VĂN AN"})
    task = tasks_of(first)["full_name"]
    response = first.get(f"/v1/review/tasks/{task['id']}/crop")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as crop:
        # 400 + 2 x 160 px wide, 40 + 2 x 48 high, scaled from 40 px text to 36 px
        assert crop.size == (round(720 * 0.9), round(136 * 0.9))


def test_only_operators_review(services: Services, key_for: KeyFor) -> None:
    add_dossier(services, "R-1", {"full_name": "NGUYỄN VĂN AN"})
    app = create_app(services)
    for role in (Role.SCANNER, Role.PROCESSOR):
        with TestClient(app, headers=bearer(key_for(role))) as client:
            assert client.get("/v1/review/tasks").status_code == 403
            assert client.post("/v1/review/tasks/1/claim").status_code == 403
