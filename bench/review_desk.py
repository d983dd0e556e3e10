"""The review page under a scripted operator: time to the first crop, time from a key to the
next task, keystrokes and seconds per field, on generated fields (default 200).

Serves the app on 127.0.0.1 (SQLite, local store), drives Debian's chromium through Playwright,
and prints the figures, in single mode and in group mode.

    .venv/bin/python -m bench.review_desk [--fields 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import socket
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.config import Settings
from models.status import DocumentStatus, DossierStatus, FieldStatus
from models.tables import Document, ExtractedField, FieldChange, Page
from samples.content import random_date, random_name
from storage import keys, repository
from storage.database import migrate, transaction

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CHROMIUM = "/usr/bin/chromium"
CORRECT_EVERY = 10
"""One field in ten is typed over (keyed again whole); the others are accepted as read."""
LOOK_AT_GROUP_SECONDS = 1.0
"""How long the scripted operator looks at a group of crops before marking it: a person takes
several seconds over 30; the next group is claimed and decoded meanwhile. Left out of the
seconds per field printed."""


def seed(services: Services, documents: int, field_names: tuple[str, ...]) -> None:
    """``documents`` cards, each with the fields named (a name, a date of birth) in review."""
    font = ImageFont.truetype(FONT, 30)
    rng = random.Random(1)
    with transaction(services.sessions) as session:
        for number in range(documents):
            born = random_date(rng, dt.date(1950, 1, 1), dt.date(2006, 12, 31))
            name = random_name(rng, rng.choice(("Nam", "Nữ")))
            known = {"full_name": name, "date_of_birth": born.strftime("%d/%m/%Y")}
            values = {field_name: known[field_name] for field_name in field_names}
            dossier = repository.get_or_create_dossier(
                session, repository.NewDossier(f"BENCH-{number:04d}", "1.001612", "bench")
            )
            dossier.status = DossierStatus.PROCESSING
            document, _ = repository.add_document(
                session,
                Document(
                    dossier_id=dossier.id, sha256=f"{number:064d}", filename="card.png",
                    size_bytes=1, document_type="cccd", status=DocumentStatus.RECOGNIZING,
                ),
            )  # fmt: skip
            page = Image.new("L", (1600, 1000), 255)
            draw = ImageDraw.Draw(page)
            rows = []
            for row, (name, value) in enumerate(values.items()):
                top = 300 + 120 * row
                draw.text((320, top), value, fill=0, font=font)
                rows.append(
                    ExtractedField(
                        document_id=document.id, document_type="cccd", name=name,
                        raw_text=value, value=value, confidence=0.7, page=1, box_left=310,
                        box_top=top - 5, box_width=700, box_height=50, source="ocr",
                        status=FieldStatus.NEEDS_REVIEW,
                    )
                )  # fmt: skip
            out = io.BytesIO()
            page.save(out, format="PNG")
            key = f"documents/{document.id}/pages/1.png"
            services.store.put_bytes(key, out.getvalue(), "image/png")
            session.add(Page(document_id=document.id, index=1, width=1600, height=1000,
                             image_key=key))  # fmt: skip
            repository.replace_fields(session, document.id, rows)
            repository.move_document(session, document.id, DocumentStatus.NEEDS_REVIEW)
            repository.settle_dossier(session, dossier.id)


def serve(services: Services) -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(services), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class Run:
    fields: int = 0
    keystrokes: int = 0
    seconds: float = 0.0
    next_task: list[float] = field(default_factory=list)
    """Seconds from a key to the next task (or group) shown."""
    first_group: float | None = None
    """Seconds from F9 to the first group, which nothing prefetched."""

    def print(self, mode: str) -> None:
        cuts = statistics.quantiles(self.next_task, n=20) if len(self.next_task) > 1 else [0] * 19
        per_field = f"{self.keystrokes / self.fields:5.2f} keys, {self.seconds / self.fields:.3f} s"
        p50 = statistics.median(self.next_task) * 1000
        print(f"{mode:6} {self.fields} fields: per field {per_field}; key -> next task "
              f"p50 {p50:.0f} ms, p95 {cuts[18] * 1000:.0f} ms")  # fmt: skip
        if self.first_group is not None:
            print(f"       F9 -> first group (not prefetched) {self.first_group * 1000:.0f} ms")


@contextmanager
def desk(
    field_names: tuple[str, ...], documents: int
) -> Iterator[tuple[BrowserPage, float, Services]]:
    """A signed-in review page over freshly seeded fields, the ms to its first crop, and the
    services behind it."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder), database_url=f"sqlite:///{folder}/sohoa.db",
            _env_file=None,  # type: ignore[call-arg]
        )  # fmt: skip
        services = Services.from_settings(settings)
        migrate(services.engine)
        seed(services, documents, field_names)
        with transaction(services.sessions) as session:
            token = keys.issue_key(session, name="bench desk", roles=[Role.OPERATOR]).token
        url = serve(services)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 chromium_sandbox=False)  # fmt: skip
            page = browser.new_page(base_url=url, bypass_csp=True)
            page.goto("/review")
            page.locator("#key").fill(token)
            page.keyboard.press("Enter")
            page.wait_for_function(CROP_SHOWN)
            page.reload()  # signed in: the load a working operator sees
            started = time.perf_counter()
            page.wait_for_function(CROP_SHOWN)
            yield page, (time.perf_counter() - started) * 1000, services
            browser.close()
        services.engine.dispose()


CROP_SHOWN = "() => document.getElementById('crop')?.naturalWidth > 0"
EMPTY = "!document.getElementById('empty').hidden"
DESK_SHOWN = "!document.getElementById('desk').hidden"
GROUP_SHOWN = "!document.getElementById('group').hidden"


def press(page: BrowserPage, run: Run, key: str, shown: str) -> None:
    """Presses ``key`` and waits until ``shown`` (a JS condition) holds."""
    pressed = time.perf_counter()
    page.keyboard.press(key)
    run.keystrokes += 1
    page.wait_for_function(f"() => {shown}")
    run.next_task.append(time.perf_counter() - pressed)


def single_mode(page: BrowserPage, fields: int) -> Run:
    run = Run(fields)
    started = time.perf_counter()
    for done in range(fields):
        shown = page.locator("body").get_attribute("data-task")
        if done % CORRECT_EVERY == CORRECT_EVERY - 1:  # keyed again, in lower case
            typed = page.locator("#value").input_value().lower()
            page.keyboard.type(typed)
            run.keystrokes += len(typed)
        press(page, run, "Enter", f"document.body.dataset.task !== '{shown}' || {EMPTY}")
    run.seconds = time.perf_counter() - started
    return run


def move(page: BrowserPage, start: int, end: int) -> int:
    """Moves the group's focus from tile ``start`` to ``end`` by the fewest arrow keys (rows
    first); returns how many were pressed."""
    columns = page.evaluate(
        "getComputedStyle(document.getElementById('tiles')).gridTemplateColumns.split(' ').length"
    )
    rows, across = end // columns - start // columns, end % columns - start % columns
    keys = ["ArrowDown"] * rows + ["ArrowRight" if across > 0 else "ArrowLeft"] * abs(across)
    for key in keys:
        page.keyboard.press(key)
    return len(keys)


def group_mode(page: BrowserPage, fields: int) -> Run:
    """Groups of 30, each looked at for ``LOOK_AT_GROUP_SECONDS``: one in ten marked odd
    (reached by the fewest arrow keys), each odd one then accepted alone, after which the next
    group follows by itself."""
    run = Run(fields)
    started = time.perf_counter()
    tiles = page.locator("#tiles li")
    press(page, run, "F9", GROUP_SHOWN)
    run.first_group = run.next_task.pop()
    run.keystrokes -= 1  # the switch to group mode, made once
    looked = 0.0
    while True:
        time.sleep(LOOK_AT_GROUP_SECONDS)
        looked += LOOK_AT_GROUP_SECONDS
        odd = [i for i in range(tiles.count()) if i % CORRECT_EVERY == CORRECT_EVERY - 1]
        focus = 0
        for index in odd:
            run.keystrokes += move(page, focus, index) + 1
            focus = index
            page.keyboard.press("Space")
        first = tiles.first.get_attribute("data-task")
        next_group = (
            f"({GROUP_SHOWN} && document.querySelector('#tiles li')?.dataset.task !== '{first}')"
        )
        if odd:
            press(page, run, "Enter", DESK_SHOWN)
            for _ in odd:
                shown = page.locator("body").get_attribute("data-task")
                single = f"(document.body.dataset.task !== '{shown}' && {DESK_SHOWN})"
                press(page, run, "Enter", f"{single} || {next_group} || {EMPTY}")
        else:
            press(page, run, "Enter", f"{next_group} || {DESK_SHOWN} || {EMPTY}")
        if not page.locator("#group").is_visible():
            break
    run.seconds = time.perf_counter() - started - looked
    return run


def history_kept(services: Services) -> str:
    """How many fields were verified, how many are left in review, and how many verified ones
    have no row in their history (the goal: none)."""
    with transaction(services.sessions) as session:
        statuses = Counter(session.scalars(select(ExtractedField.status)))
        recorded = select(FieldChange.field_id).where(FieldChange.field_id == ExtractedField.id)
        missing = session.scalar(
            select(func.count())
            .select_from(ExtractedField)
            .where(ExtractedField.status == FieldStatus.VERIFIED, ~recorded.exists())
        )
    return (
        f"{statuses[FieldStatus.VERIFIED]} fields verified, "
        f"{statuses[FieldStatus.NEEDS_REVIEW]} left in review, {missing} without history"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=200)
    args = parser.parse_args()
    with desk(("full_name", "date_of_birth"), (args.fields + 1) // 2) as (page, first_crop, seeded):
        single = single_mode(page, args.fields)
        single_history = history_kept(seeded)
    with desk(("date_of_birth",), args.fields) as (page, _, seeded):
        group = group_mode(page, args.fields)
        group_history = history_kept(seeded)
    print(f"first crop visible {first_crop:.0f} ms after the page load began")
    single.print("single")
    print(f"       {single_history}")
    group.print("group")
    print(f"       {group_history}")


if __name__ == "__main__":
    main()
