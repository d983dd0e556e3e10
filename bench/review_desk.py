"""The review page under a scripted operator: time to the first crop, time from a key to the
next task, keystrokes and seconds per field, on generated fields (default 200).

Serves the app on 127.0.0.1 (SQLite, local store), drives Debian's chromium through Playwright,
and prints the figures. Only single mode: the page has no group mode yet.

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
from pathlib import Path

import uvicorn
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import sync_playwright

from api.app import create_app
from ingest.services import Services
from models.access import Role
from models.config import Settings
from models.status import DocumentStatus, FieldStatus
from models.tables import Document, ExtractedField, Page
from samples.content import random_date, random_name
from storage import keys, repository
from storage.database import migrate, transaction

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CHROMIUM = "/usr/bin/chromium"
CORRECT_EVERY = 10
"""One field in ten is typed over (keyed again whole); the others are accepted as read."""


def seed(services: Services, documents: int) -> None:
    """``documents`` cards, each with a name and a date of birth sent to review."""
    font = ImageFont.truetype(FONT, 30)
    rng = random.Random(1)
    with transaction(services.sessions) as session:
        for number in range(documents):
            born = random_date(rng, dt.date(1950, 1, 1), dt.date(2006, 12, 31))
            name = random_name(rng, rng.choice(("Nam", "Nữ")))
            values = {"full_name": name, "date_of_birth": born.strftime("%d/%m/%Y")}
            dossier = repository.get_or_create_dossier(
                session, repository.NewDossier(f"BENCH-{number:04d}", "1.001612", "bench")
            )
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


def serve(services: Services) -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(services), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder), database_url=f"sqlite:///{folder}/sohoa.db",
            _env_file=None,  # type: ignore[call-arg]
        )  # fmt: skip
        services = Services.from_settings(settings)
        migrate(services.engine)
        seed(services, (args.fields + 1) // 2)
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
            page.wait_for_function("() => document.getElementById('crop')?.naturalWidth > 0")
            page.reload()  # signed in: the load a working operator sees
            started = time.perf_counter()
            page.wait_for_function("() => document.getElementById('crop')?.naturalWidth > 0")
            first_crop = time.perf_counter() - started
            next_task, keystrokes = [], 0
            work_started = time.perf_counter()
            for done in range(args.fields):
                shown = page.locator("body").get_attribute("data-task")
                if done % CORRECT_EVERY == CORRECT_EVERY - 1:  # keyed again, in lower case
                    typed = page.locator("#value").input_value().lower()
                    page.keyboard.type(typed)
                    keystrokes += len(typed)
                pressed = time.perf_counter()
                page.keyboard.press("Enter")
                keystrokes += 1
                page.wait_for_function(
                    f"() => document.body.dataset.task !== '{shown}' || !document"
                    ".getElementById('empty').hidden"
                )
                next_task.append(time.perf_counter() - pressed)
            seconds = time.perf_counter() - work_started
            browser.close()
        services.engine.dispose()
    cuts = statistics.quantiles(next_task, n=20)
    print(f"fields reviewed        {args.fields}")
    print(f"first crop visible     {first_crop * 1000:.0f} ms after the page load began")
    print(f"key -> next task       p50 {statistics.median(next_task) * 1000:.0f} ms, "
          f"p95 {cuts[18] * 1000:.0f} ms")  # fmt: skip
    print(f"keystrokes per field   {keystrokes / args.fields:.2f}")
    print(f"seconds per field      {seconds / args.fields:.3f} (scripted operator, no reading)")


if __name__ == "__main__":
    main()
