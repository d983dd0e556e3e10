"""The dashboard at /stats, on SQLite and PostgreSQL: its rates and counts from the documents,
dossiers, reuse records and review tasks there are; for administrators and managers only; a
browser that is not signed in is sent to sign in and back."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.status import DocumentStatus, DossierStatus
from models.tables import Document, Dossier
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer
from tests.api.test_review import add_dossier


def attribute(page: str, element_id: str, name: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*{name}="([^"]*)"', page)
    assert found, (element_id, name)
    return found.group(1)


def test_the_dashboard_counts_rates_backlog_and_deadlines(
    services: Services, key_for: KeyFor
) -> None:
    add_dossier(services, "R-STAT-1", {"full_name": "NGUYỄN VĂN AN"})  # waits for review
    straight = add_dossier(services, "R-STAT-2", {"full_name": "TRẦN THỊ BÌNH"})
    failed = add_dossier(services, "R-STAT-3", {"full_name": "LÊ VĂN CƯỜNG"})
    today = datetime.now(services.settings.zone).date()  # the desks' day, not UTC's
    with transaction(services.sessions) as session:
        session.execute(update(Document).where(Document.id == straight)
                        .values(status=DocumentStatus.DIGITIZED, is_result=True))  # fmt: skip
        session.execute(update(Document).where(Document.id == failed)
                        .values(status=DocumentStatus.FAILED))  # fmt: skip
        dossier_id = session.scalar(select(Document.dossier_id).where(Document.id == straight))
        session.execute(update(Dossier).where(Dossier.id == dossier_id).values(
            status=DossierStatus.DIGITIZED, due_on=today + timedelta(days=3)))  # fmt: skip
        session.execute(update(Dossier).where(Dossier.receipt_code == "R-STAT-1").values(
            due_on=today - timedelta(days=2)))  # fmt: skip
    with TestClient(create_app(services)) as browser:
        answer = browser.get("/stats", headers=bearer(key_for(Role.MANAGER)))
        assert answer.status_code == 200, answer.text
        page = answer.text
        assert attribute(page, "rate-digitization", "data-rate") == str(round(2 / 3, 4))
        assert attribute(page, "rate-straight-through", "data-rate") == "0.5"
        assert attribute(page, "rate-reuse", "data-rate") == "0.0"
        assert attribute(page, "rate-results", "data-rate") == "1.0"  # the one result was read
        assert "1 / 1 kết quả" in page
        assert page.count('class="day"') == 30
        assert f'data-day="{today.isoformat()}" data-received="3" data-digitized="2"' in page
        assert "3 trường chờ kiểm tra" in page  # the tasks stay open whatever the documents
        on_time = re.search(r'<tr data-procedure="1.001612">(.*?)</tr>', page)
        assert on_time and re.findall(r"<td>([^<]*)</td>", on_time.group(1)) == [
            "1.001612", "2", "1", "0", "1", "50,0%",
        ]  # fmt: skip
        week = browser.get("/stats", params={"days": 7}, headers=bearer(key_for(Role.ADMIN)))
        assert week.text.count('class="day"') == 7

        refused = browser.get("/stats", headers=bearer(key_for(Role.OPERATOR)))
        assert refused.status_code == 403
        sent = browser.get("/stats", headers={"Accept": "text/html"}, follow_redirects=False)
        assert (sent.status_code, sent.headers["location"]) == (303, "/review?next=/stats")
        assert browser.get("/stats").status_code == 401  # not a browser: the JSON answer
