"""Full-text search on SQLite (FTS5) and PostgreSQL (GIN over tsvector), the same tests on both:
accents, case and đ folded alike for the index and the query, the exact spelling first, one
typo in a name forgiven and none in a number, pages' lines with their boxes, filters, the key's
agencies, and an operator's correction found at once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.app import create_app
from ingest.search_reindex import reindex_pages
from ingest.services import Services
from models.access import Role
from models.tables import Dossier, Page, utcnow
from ocr.words import PageText, Word
from storage import search_index
from storage.database import transaction
from storage.text_folding import fold
from tests.api.conftest import KeyFor, bearer
from tests.api.test_review import add_dossier, claim, operators, resolve, tasks_of

__all__ = ["operators"]  # the fixture, shared with the review tests


@pytest.fixture
def system(services: Services, key_for: KeyFor) -> TestClient:
    return TestClient(create_app(services), headers=bearer(key_for(Role.PROCESSOR)))


def found(system: TestClient, q: str, **params: str) -> list[dict]:
    answer = system.get("/v1/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_folding_drops_marks_and_case_and_reads_d_stroke_as_d() -> None:
    assert fold("ĐẶNG  Văn Dũng") == "dang van dung"
    assert fold("Nguyễn Thị Hường, Đà Nẵng") == "nguyen thi huong, da nang"
    assert fold("Nguye\u0302\u0303n") == "nguyen"  # combining marks, not precomposed


def test_a_query_without_marks_finds_the_name_with_them(
    services: Services, system: TestClient
) -> None:
    add_dossier(services, "R-FIND-1", {"full_name": "ĐẶNG VĂN DŨNG", "cccd_number": "001203290578"})
    for query in ("dang van dung", "Đặng Văn Dũng", "DANG dung"):
        hits = found(system, query)
        assert [(h["field_name"], h["receipt_code"]) for h in hits] == [("full_name", "R-FIND-1")]
    [hit] = found(system, "dang van dung")
    assert hit["snippet"] == "ĐẶNG VĂN DŨNG" and hit["kind"] == "field"
    assert hit["highlights"] == [[0, 4], [5, 8], [9, 13]]
    assert hit["box"] == {"left": 300, "top": 200, "width": 400, "height": 40}
    assert hit["field_status"] == "needs_review" and hit["page"] == 1
    assert found(system, "001203290578")[0]["field_name"] == "cccd_number"
    assert found(system, "001203290579") == []  # a number never matches with a typo


def test_the_exact_spelling_comes_first_and_a_typo_in_a_name_still_matches(
    services: Services, system: TestClient
) -> None:
    add_dossier(services, "R-FIND-2", {"full_name": "NGUYÊN VĂN AN"})
    add_dossier(services, "R-FIND-3", {"full_name": "NGUYỄN VĂN AN"})
    assert [h["receipt_code"] for h in found(system, "Nguyễn Văn An")] == ["R-FIND-3", "R-FIND-2"]
    assert [h["receipt_code"] for h in found(system, "Nguyên Văn An")] == ["R-FIND-2", "R-FIND-3"]
    assert {h["receipt_code"] for h in found(system, "nguyen van an")} == {"R-FIND-2", "R-FIND-3"}
    answer = system.get("/v1/search", params={"q": "nguyn van an"}).json()
    assert answer["words"] == [["nguyn", "nguyen"], ["van"], ["an"]]
    assert answer["total"] == 2


def test_a_pages_lines_are_found_with_their_page_and_box(
    services: Services, system: TestClient
) -> None:
    document_id = add_dossier(services, "R-FIND-4", {"sex": "Nữ"})
    lines = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (40, 30, 900, 36)),
             ("Nơi thường trú: Phường Điện Biên, Quận Ba Đình", (40, 420, 1000, 34))]  # fmt: skip
    with transaction(services.sessions) as session:
        search_index.index_page_lines(session, document_id, 2, lines)
    [hit] = found(system, "dien bien ba dinh")
    assert (hit["kind"], hit["page"], hit["field_name"]) == ("line", 2, None)
    assert hit["box"] == {"left": 40, "top": 420, "width": 1000, "height": 34}
    assert hit["snippet"].startswith("Nơi thường trú")
    with transaction(services.sessions) as session:  # the page read again replaces its lines
        search_index.index_page_lines(session, document_id, 2, lines[:1])
    assert found(system, "dien bien") == []


def test_filters_and_the_keys_agencies_narrow_the_hits(
    services: Services, system: TestClient, key_for: KeyFor
) -> None:
    add_dossier(services, "R-FIND-5", {"full_name": "LÊ THỊ HOA"})
    add_dossier(services, "R-FIND-6", {"place_of_origin": "Hoa Lư, Ninh Bình"})
    with transaction(services.sessions) as session:
        session.execute(
            update(Dossier)
            .where(Dossier.receipt_code == "R-FIND-6")
            .values(received_at=utcnow() - timedelta(days=40), procedure_code="2.000001")
        )
    today = datetime.now(services.settings.zone).date()
    assert len(found(system, "hoa")) == 2
    recent = found(system, "hoa", received_from=(today - timedelta(days=7)).isoformat())
    assert [h["receipt_code"] for h in recent] == ["R-FIND-5"]
    older = found(system, "hoa", received_to=(today - timedelta(days=30)).isoformat())
    assert [h["receipt_code"] for h in older] == ["R-FIND-6"]
    assert [h["receipt_code"] for h in found(system, "hoa", procedure_code="2.000001")] == [
        "R-FIND-6"
    ]
    assert len(found(system, "hoa", document_type="cccd", field_status="needs_review")) == 2
    assert found(system, "hoa", field_status="verified") == []
    assert found(system, "hoa", document_type="passport") == []
    paged = system.get("/v1/search", params={"q": "hoa", "limit": 1, "offset": 1}).json()
    assert (paged["total"], len(paged["items"])) == (2, 1)
    elsewhere = bearer(key_for(Role.PROCESSOR, agencies=["SO-TU-PHAP"]))
    assert system.get("/v1/search", params={"q": "hoa"}, headers=elsewhere).json()["total"] == 0
    operator = bearer(key_for(Role.OPERATOR))
    assert system.get("/v1/search", params={"q": "hoa"}, headers=operator).status_code == 403


def test_an_operators_correction_is_what_is_found(
    services: Services, system: TestClient, operators: tuple[TestClient, TestClient]
) -> None:
    add_dossier(services, "R-FIND-7", {"full_name": "PHAM VAN BINH"})
    first, _ = operators
    task = claim(first, tasks_of(first)["full_name"])
    resolve(first, task, resolution="corrected", value="PHẠM VĂN BÌNH")
    [hit] = found(system, "Phạm Văn Bình")
    assert (hit["snippet"], hit["exact"], hit["field_status"]) == (
        "Phạm Văn Bình",  # as the name's normaliser writes it
        True,
        "verified",
    )


def test_a_query_with_nothing_to_search_for_is_refused(system: TestClient) -> None:
    answer = system.get("/v1/search", params={"q": "?!…"})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "query_empty"


def test_pages_read_before_the_index_are_indexed_from_their_stored_words(
    services: Services, system: TestClient
) -> None:
    document_id = add_dossier(services, "R-FIND-8", {"sex": "Nam"})
    lefts = {"Quê": 40, "quán:": 110, "Đông": 200, "Anh": 280}
    words = [Word(text, 90, left, 300, 50, 30, 1, 1, 1) for text, left in lefts.items()]
    key = f"documents/{document_id}/ocr/1.json"
    payload = json.dumps(PageText(1200, 800, words).to_json()).encode()
    services.store.put_bytes(key, payload, "application/json")
    with transaction(services.sessions) as session:
        session.execute(update(Page).where(Page.document_id == document_id).values(words_key=key))
    assert found(system, "dong anh") == []
    assert reindex_pages(services) == 1
    [hit] = found(system, "dong anh")
    assert hit["snippet"] == "Quê quán: Đông Anh"
    assert hit["box"] == {"left": 40, "top": 300, "width": 290, "height": 30}  # 280 + 50 - 40
