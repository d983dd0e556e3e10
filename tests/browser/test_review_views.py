"""The review desk's other views in a real browser: the whole page with the field's box drawn,
one key away; the queue at a glance; and a decision shown as done whose save is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import update

from models.tables import ReviewTask, utcnow
from storage.database import transaction
from tests.api.test_review import add_dossier
from tests.browser.conftest import LiveServer
from tests.browser.test_review_desk import operator_key, sign_in

CROP_LOADED = "() => document.getElementById('crop')?.naturalWidth > 0"
BOX = (300, 200, 400, 40)  # add_dossier's, on its 1200 x 800 page
PAGE_SIZE = (1200, 800)


def test_f8_shows_the_whole_page_with_the_fields_box_and_goes_back(
    browser_page: Page, live_server: LiveServer, shot: Callable[[str], Path]
) -> None:
    add_dossier(live_server.services, "R-PAGE-1", {"full_name": "NGUYỄN VĂN AN"})
    page = browser_page
    sign_in(page, operator_key(live_server.services).token)
    page.wait_for_function(CROP_LOADED)
    page.keyboard.press("F8")
    page.wait_for_function("() => !document.getElementById('page-box').hidden")
    natural = page.evaluate("[ $('page-image').naturalWidth, $('page-image').naturalHeight ]")
    assert tuple(natural) == PAGE_SIZE
    image = page.locator("#page-image").bounding_box()
    box = page.locator("#page-box").bounding_box()
    assert image and box
    scale = image["width"] / PAGE_SIZE[0]
    drawn = (box["x"] - image["x"], box["y"] - image["y"], box["width"], box["height"])
    assert drawn == pytest.approx([side * scale for side in BOX], abs=1.5)
    assert page.locator("#page-caption").inner_text().endswith("trang 1")
    shot("whole-page")
    page.keyboard.press("Escape")
    page.locator("#desk").wait_for()
    assert page.evaluate("document.activeElement.id") == "value"


def test_f4_shows_the_queue_and_the_operators_day(
    browser_page: Page, live_server: LiveServer, shot: Callable[[str], Path]
) -> None:
    services = live_server.services
    born = "05/03/1990"
    add_dossier(services, "R-QUEUE-1", {"full_name": "NGUYỄN VĂN AN", "date_of_birth": born})
    add_dossier(services, "R-QUEUE-2", {"full_name": "TRẦN THỊ BÌNH"})
    page = browser_page
    sign_in(page, operator_key(services).token)
    page.wait_for_function(CROP_LOADED)
    first = page.locator("body").get_attribute("data-task")
    page.keyboard.press("Enter")  # accepted as read
    page.wait_for_function(f"document.body.dataset.task !== '{first}'")
    page.keyboard.press("F4")
    page.locator("#queue").wait_for()
    assert page.locator("#queue-summary").inner_text().startswith("2 trường chờ kiểm tra")
    rows = page.locator("#queue-fields tbody tr")
    assert sorted(rows.all_inner_texts()) == [
        "Căn cước công dân\tHọ và tên\t1",
        "Căn cước công dân\tNgày sinh\t1",
    ]
    assert page.locator("#queue-ages tbody tr").first.inner_text() == "Dưới 1 ngày\t2"
    mine = page.locator("#queue-mine").inner_text()
    assert mine.startswith("Hôm nay bạn đã kiểm tra 1 trường (chấp nhận 1,")
    shot("queue")
    page.keyboard.press("F4")
    page.locator("#desk").wait_for()
    assert page.evaluate("document.activeElement.id") == "value"


def test_an_accept_shown_as_done_whose_save_is_refused_says_so(
    browser_page: Page, live_server: LiveServer, shot: Callable[[str], Path]
) -> None:
    services = live_server.services
    add_dossier(services, "R-LOST-1", {"full_name": "NGUYỄN VĂN AN", "date_of_birth": "1990"})
    page = browser_page
    sign_in(page, operator_key(services).token)
    page.wait_for_function(CROP_LOADED)
    shown = int(page.locator("body").get_attribute("data-task") or 0)
    with transaction(services.sessions) as session:  # its lease ran out and another took it
        session.execute(
            update(ReviewTask)
            .where(ReviewTask.id == shown)
            .values(claimed_by="another-key", lease_until=utcnow() + timedelta(minutes=5))
        )
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.body.dataset.task !== '{shown}'")
    notice = page.locator("#notice")
    notice.filter(has_text="Chưa lưu được").wait_for()
    assert "R-LOST-1" in notice.inner_text()
    shot("save-refused")
    with transaction(services.sessions) as session:
        task = session.get(ReviewTask, shown)
        assert task is not None and not task.closed
