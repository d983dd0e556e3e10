"""The review desk in a real browser: an operator signs in with the keyboard, sees the crop
beside the value, corrects a value and accepts the next, and the database holds both."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page
from sqlalchemy import select

from ingest.services import Services
from models.access import Role
from models.status import FieldStatus, TextSource
from models.tables import ExtractedField, FieldChange, ReviewTask
from storage import keys
from storage.database import transaction
from tests.api.test_review import add_dossier
from tests.browser.conftest import LiveServer

NAME_READ, NAME_RIGHT = "NGUYEN VAN AN", "NGUYỄN VĂN AN"
NAME_STORED = "Nguyễn Văn An"  # composed (NFC), in the name normaliser's case


def operator_key(services: Services) -> keys.IssuedKey:
    with transaction(services.sessions) as session:
        return keys.issue_key(session, name="Bàn kiểm tra 1", roles=[Role.OPERATOR])


def sign_in(page: Page, token: str) -> None:
    """Opens the desk and signs in, by keyboard: focus starts in the key's input."""
    page.goto("/review")
    page.locator("#key").wait_for()
    assert page.evaluate("document.activeElement.id") == "key"
    page.keyboard.type(token)
    page.keyboard.press("Enter")


def test_an_operator_corrects_a_field_and_accepts_the_next_with_the_keyboard_only(
    browser_page: Page,
    live_server: LiveServer,
    outside_requests: list[str],
    shot: Callable[[str], Path],
) -> None:
    services = live_server.services
    add_dossier(services, "R-DESK-1", {"full_name": NAME_READ, "date_of_birth": "01/02/1990"})
    issued = operator_key(services)
    page = browser_page
    sign_in(page, issued.token)
    page.wait_for_function("() => { const c = document.getElementById('crop');"
                           " return c && c.complete && c.naturalWidth > 0; }")  # fmt: skip
    first = int(page.locator("body").get_attribute("data-task") or 0)
    crop = page.request.get(f"/v1/review/tasks/{first}/crop")
    expected = Image.open(io.BytesIO(crop.body())).size
    natural = page.evaluate("[crop.naturalWidth, crop.naturalHeight]")
    assert tuple(natural) == expected and expected[0] > 400
    crop_box, input_box = (
        page.locator("#crop").bounding_box(),
        page.locator("#value").bounding_box(),
    )
    assert crop_box and input_box and input_box["x"] >= crop_box["x"] + crop_box["width"]  # beside
    assert page.locator("#field-label").inner_text() == "Họ và tên"
    assert page.evaluate("document.activeElement.id") == "value"
    shot("task")

    page.keyboard.insert_text(unicodedata.normalize("NFD", NAME_RIGHT))  # an input method's form
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.body.dataset.task !== '{first}'")
    assert page.evaluate("document.activeElement.id") == "value"
    shot("next-task")
    page.keyboard.press("Enter")  # accepts the date of birth as read
    page.locator("#empty").wait_for()
    shot("queue-empty")
    assert outside_requests == []

    with transaction(services.sessions) as session:
        fields = {f.name: f for f in session.scalars(select(ExtractedField))}
        name, born = fields["full_name"], fields["date_of_birth"]
        assert (name.value, name.status, name.source) == (
            NAME_STORED, FieldStatus.VERIFIED, TextSource.OPERATOR
        )  # fmt: skip
        assert born.status == FieldStatus.VERIFIED
        history = list(session.scalars(select(FieldChange).where(FieldChange.field_id == name.id)))
        assert [(c.old_value, c.new_value, c.key_id) for c in history] == [
            (NAME_READ, NAME_STORED, issued.key.id)
        ]


def test_a_group_of_crops_is_confirmed_with_one_key_and_its_odd_one_opens_alone(
    browser_page: Page, live_server: LiveServer, shot: Callable[[str], Path]
) -> None:
    services = live_server.services
    for number, born in enumerate(("05/03/1990", "17/11/1985", "02/09/1978")):
        add_dossier(services, f"R-GROUP-{number}", {"date_of_birth": born})
    page = browser_page
    sign_in(page, operator_key(services).token)
    page.locator("#crop").wait_for()
    page.keyboard.press("F9")
    tiles = page.locator("#tiles li")
    tiles.nth(2).wait_for()
    assert tiles.count() == 3
    page.wait_for_function("[...document.querySelectorAll('#tiles img')]"
                           ".every((img) => img.complete && img.naturalWidth > 0)")  # fmt: skip
    odd = int(tiles.nth(1).get_attribute("data-task") or 0)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    shot("group-marked")
    page.keyboard.press("Enter")  # the whole group, but the one marked
    page.wait_for_function(
        f"document.body.dataset.task === '{odd}' && !document.getElementById('desk').hidden"
    )
    shot("odd-one-alone")
    page.wait_for_function("desk.saving.size === 0")  # the confirmation, saved behind
    with transaction(services.sessions) as session:
        statuses = sorted(f.status for f in session.scalars(select(ExtractedField)))
        task_of_odd = session.get(ReviewTask, odd)
        assert task_of_odd is not None and not task_of_odd.closed
    assert statuses == sorted(
        [FieldStatus.VERIFIED, FieldStatus.VERIFIED, FieldStatus.NEEDS_REVIEW]
    )
