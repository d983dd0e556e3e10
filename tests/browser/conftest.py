"""A real browser against the app served on 127.0.0.1: Debian's chromium driven by Playwright.

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``scripts/setup.sh``
installs it). Every request the page makes off 127.0.0.1 is refused and recorded, so a page
that needs the internet fails its test, as it would on a closed network. Screenshots go in
``test-results/<test>/``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Route, sync_playwright

from api.app import create_app
from ingest.services import Services

CHROMIUM = "/usr/bin/chromium"
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the API's behaviour on both databases is tested in tests/api."""
    return f"sqlite:///{tmp_path / 'sohoa.db'}"


@dataclass(frozen=True)
class LiveServer:
    url: str
    services: Services


@pytest.fixture
def live_server(services: Services) -> Iterator[LiveServer]:
    """The app served by uvicorn in a thread, on a free port of 127.0.0.1."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(services), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the app did not start")
        threading.Event().wait(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", services)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per module of browser tests, stopped after it: Playwright's sync API keeps
    an event loop running in the main thread while it is open, and later tests call libraries
    that run one of their own (pyHanko's signing, through ``asyncio.run``)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, chromium_sandbox=False, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """Every URL the page asked for off 127.0.0.1 (each was refused)."""
    return []


@pytest.fixture
def browser_page(
    browser: Browser, live_server: LiveServer, outside_requests: list[str]
) -> Iterator[Page]:
    # bypass_csp: the tests' own probes (wait_for_function) are strings the page's policy,
    # which admits only the app's own script files, would refuse to evaluate.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", bypass_csp=True)

    def refuse_outside(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_outside)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest, browser_page: Page) -> Callable[[str], Path]:
    """``shot("name")``: a screenshot of the page in this test's output folder."""
    folder = RESULTS / request.node.name.replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        browser_page.screenshot(path=path, full_page=True)
        return path

    return take
