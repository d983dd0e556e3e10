"""A dossier's progress by its receipt code, without a key, on SQLite and PostgreSQL: the
stage and the pages read, and nothing that names a person, a procedure or a document."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from sqlalchemy import update

from api.app import create_app
from ingest.services import Services
from models.tables import Dossier
from storage.database import transaction
from tests.api.test_review import add_dossier

PERSONAL = ("NGUYỄN", "Nguyễn", "001203290578", "cccd", "1.001612", "PVHCC", "card.png")


def test_the_status_says_the_stage_and_the_progress_and_nothing_personal(
    services: Services,
) -> None:
    add_dossier(
        services, "R-PUBLIC-1", {"full_name": "NGUYỄN VĂN AN", "cccd_number": "001203290578"}
    )
    with transaction(services.sessions) as session:
        session.execute(update(Dossier).values(due_on=dt.date(2026, 12, 18)))
    with TestClient(create_app(services)) as anyone:
        answer = anyone.get("/v1/status/R-PUBLIC-1")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert (body["stage"], body["stage_label"]) == ("checking", "Đang kiểm tra")
        assert (body["pages_done"], body["pages_total"], body["due_on"]) == (0, 0, "2026-12-18")
        assert set(body) == {"receipt_code", "stage", "stage_label", "pages_done", "pages_total",
                             "received_at", "updated_at", "due_on"}  # fmt: skip
        assert not any(word in json.dumps(body, ensure_ascii=False) for word in PERSONAL)

        page = anyone.get("/status/R-PUBLIC-1")
        assert page.status_code == 200
        assert "Đang kiểm tra" in page.text and "18/12/2026" in page.text
        assert not any(word in page.text for word in PERSONAL)
        assert page.headers["Cache-Control"] == "no-store"


def test_an_unknown_code_answers_404_alike_and_the_form_leads_to_the_page(
    services: Services,
) -> None:
    with TestClient(create_app(services)) as anyone:
        unknown = anyone.get("/v1/status/R-NEVER")
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "receipt_not_found"
        assert anyone.get("/status/R-NEVER").status_code == 404
        assert "Không tìm thấy hồ sơ có mã R-NEVER" in anyone.get("/status/R-NEVER").text
        assert anyone.get("/v1/status/a b<script>").status_code == 422
        form = anyone.get("/status")
        assert form.status_code == 200 and 'name="receipt_code"' in form.text
        typed = anyone.get("/status", params={"receipt_code": " R-NEVER "}, follow_redirects=False)
        assert (typed.status_code, typed.headers["location"]) == (303, "/status/R-NEVER")
