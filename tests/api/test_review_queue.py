"""The review queue at a glance, on SQLite and PostgreSQL: open tasks by document type, field
and age, what others hold, and the operator's own work today."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from ingest.services import Services
from models.tables import Dossier, ReviewTask, utcnow
from storage import review_queue
from storage.database import transaction
from tests.api.test_review import add_dossier, claim, operators, resolve, tasks_of

__all__ = ["operators"]  # the fixture, shared with the review tests


def received_days_ago(services: Services, receipt: str, days: float) -> None:
    with transaction(services.sessions) as session:
        session.execute(
            update(Dossier)
            .where(Dossier.receipt_code == receipt)
            .values(received_at=utcnow() - timedelta(days=days))
        )


def test_the_queue_counts_open_tasks_and_the_operators_own_day(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, second = operators
    add_dossier(services, "R-OLD", {"full_name": "NGUYỄN VĂN AN", "date_of_birth": "05/03/1990"})
    add_dossier(services, "R-NEW", {"full_name": "TRẦN THỊ BÌNH", "date_of_birth": "17/11/1985",
                                    "sex": "Nữ"})  # fmt: skip
    received_days_ago(services, "R-OLD", 4)
    claim(second, tasks_of(second)["sex"])  # R-NEW's; held by another: still in the queue

    items = first.get("/v1/review/tasks").json()["items"]
    old = {task["field_name"]: task for task in items if task["receipt_code"] == "R-OLD"}
    resolve(first, claim(first, old["full_name"]), resolution="accepted")
    resolve(first, claim(first, old["date_of_birth"]), resolution="corrected", value="05/03/1991")

    queue = first.get("/v1/review/queue")
    assert queue.status_code == 200, queue.text
    body = queue.json()
    assert (body["total"], body["held_by_others"]) == (3, 1)
    assert body["by_document_type"] == [{
        "document_type": "cccd", "document_title": "Căn cước công dân", "field_name": None,
        "field_label": None, "tasks": 3,
    }]  # fmt: skip
    assert {row["field_name"]: row["tasks"] for row in body["by_field"]} == {
        "full_name": 1,
        "date_of_birth": 1,
        "sex": 1,
    }
    labels = {row["field_name"]: row["field_label"] for row in body["by_field"]}
    assert labels["full_name"] == "Họ và tên"
    assert [(band["label"], band["tasks"]) for band in body["by_age"]] == [
        ("Dưới 1 ngày", 3), ("Từ 1 đến 3 ngày", 0), ("Từ 3 đến 7 ngày", 0),
        ("Từ 7 ngày trở lên", 0),
    ]  # fmt: skip
    mine = body["mine_today"]
    assert (mine["closed"], mine["accepted"], mine["corrected"], mine["absent"]) == (2, 1, 1, 0)
    assert mine["per_hour"] is None  # two tasks say nothing of an hour
    assert second.get("/v1/review/queue").json()["mine_today"]["closed"] == 0


def test_the_age_bands_follow_the_dossiers_receipt(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    for receipt, days in (("R-A", 0.5), ("R-B", 2), ("R-C", 5), ("R-D", 30)):
        add_dossier(services, receipt, {"full_name": "LÊ VĂN CƯỜNG"})
        received_days_ago(services, receipt, days)
    body = first.get("/v1/review/queue").json()
    assert [band["tasks"] for band in body["by_age"]] == [1, 1, 1, 1]
    assert body["by_age"][-1] == {
        "label": "Từ 7 ngày trở lên",
        "from_days": 7,
        "to_days": None,
        "tasks": 1,
    }


def test_among_a_days_dossiers_the_one_due_soonest_comes_first(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    for receipt in ("R-NO-DATE", "R-DUE-LATE", "R-DUE-SOON"):
        add_dossier(services, receipt, {"full_name": "LÊ VĂN CƯỜNG"})
    add_dossier(services, "R-YESTERDAY", {"full_name": "LÊ VĂN CƯỜNG"})
    received_days_ago(services, "R-YESTERDAY", 1)
    today = utcnow().date()
    with transaction(services.sessions) as session:
        for receipt, due in (("R-DUE-LATE", 10), ("R-DUE-SOON", 2), ("R-YESTERDAY", 30)):
            session.execute(
                update(Dossier)
                .where(Dossier.receipt_code == receipt)
                .values(due_on=today + timedelta(days=due))
            )
    items = first.get("/v1/review/tasks").json()["items"]
    assert [task["receipt_code"] for task in items] == [
        "R-YESTERDAY",
        "R-DUE-SOON",
        "R-DUE-LATE",
        "R-NO-DATE",
    ]
    assert items[1]["due_on"] == (today + timedelta(days=2)).isoformat()


def test_a_day_started_in_the_desks_zone_counts_what_closed_since_in_utc(
    services: Services, operators: tuple[TestClient, TestClient]
) -> None:
    first, _ = operators
    add_dossier(services, "R-ZONE", {"full_name": "LÊ VĂN CƯỜNG"})
    resolve(first, claim(first, tasks_of(first)["full_name"]), resolution="accepted")
    with services.sessions() as session:
        task = session.scalars(select(ReviewTask)).one()
        zone = ZoneInfo("Asia/Ho_Chi_Minh")  # seven hours ahead: read as UTC, it is the future
        a_minute_ago = (utcnow() - timedelta(minutes=1)).astimezone(zone)
        assert review_queue.closed_by(session, task.resolved_by, a_minute_ago).closed == 1
        in_a_minute = (utcnow() + timedelta(minutes=1)).astimezone(zone)
        assert review_queue.closed_by(session, task.resolved_by, in_a_minute).closed == 0
