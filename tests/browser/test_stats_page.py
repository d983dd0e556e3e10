"""The dashboard in a real browser: a manager who opens /stats unsigned signs in by keyboard and
is brought back to it; its charts are drawn by the server, with nothing fetched from outside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from models.access import Role
from storage import keys
from storage.database import transaction
from tests.api.test_review import add_dossier
from tests.browser.conftest import LiveServer


def test_a_manager_signs_in_and_reads_the_dashboard(
    browser_page: Page,
    live_server: LiveServer,
    outside_requests: list[str],
    shot: Callable[[str], Path],
) -> None:
    services = live_server.services
    add_dossier(services, "R-DASH-1", {"full_name": "NGUYỄN VĂN AN", "sex": "Nam"})
    with transaction(services.sessions) as session:
        token = keys.issue_key(session, name="Lãnh đạo trung tâm", roles=[Role.MANAGER]).token
    page = browser_page
    page.goto("/stats")
    page.locator("#key").wait_for()  # sent to sign in
    assert page.url.endswith("/review?next=/stats")
    page.keyboard.type(token)
    page.keyboard.press("Enter")
    page.wait_for_url("**/stats")
    assert page.locator("#who").inner_text() == "Lãnh đạo trung tâm"
    assert page.locator("#per-day g.day").count() == 30
    today = page.locator("#per-day g.day").last
    assert today.get_attribute("data-received") == "1"
    drawn = today.locator("rect.received").bounding_box()
    assert drawn and drawn["height"] > 50  # the tallest column: the chart's full height
    assert page.locator("#rate-digitization .value").inner_text() == "100,0%"
    assert page.locator("#rate-straight-through .value").inner_text() == "0,0%"
    assert page.locator("#backlog-summary").inner_text().startswith("2 trường chờ kiểm tra")
    assert page.locator("#backlog-ages g.age").first.get_attribute("data-tasks") == "2"
    assert page.locator("#stages tbody tr").count() == 3
    shot("dashboard")
    assert outside_requests == []
