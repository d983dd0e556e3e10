"""``sohoa serve --workers 2``: two processes answer on one port, each masks identifiers in its
access log, and ``/metrics`` counts the requests of both; each keeps what it loaded at start out
of the garbage collector's sweeps."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.app import GC_THRESHOLDS, served_app
from api.demo import free_port, wait_ready
from ingest.services import Services
from models.access import Role
from models.config import get_settings
from tests.api.conftest import KeyFor, bearer
from tests.conftest import process_env

REQUESTS = 40
CCCD = "001203004567"


@pytest.fixture
def served(services: Services, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    env = process_env(services.settings)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port(0)
    log_path = tmp_path / "api.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--port", str(port), "--workers", "2"],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, server, log_path)
        yield url, log_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_processes_answer_mask_identifiers_and_count_together(
    served: tuple[str, Path], key_for: KeyFor
) -> None:
    url, log_path = served
    headers = bearer(key_for(Role.PROCESSOR, Role.ADMIN))

    def search(_: int) -> int:
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:  # new connection
            return client.get("/v1/search", params={"q": CCCD}).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(search, range(REQUESTS))) == {200}

    scraped = httpx.get(f"{url}/metrics", headers=headers, timeout=30)
    assert scraped.status_code == 200
    counted = re.search(
        r'^sohoa_http_requests_total\{code="200",method="GET",route="search_documents"\} (\S+)$',
        scraped.text, re.MULTILINE,
    )  # fmt: skip
    assert counted is not None, scraped.text[:2000]
    assert float(counted.group(1)) == REQUESTS

    time.sleep(0.5)  # the access log is written as each answer leaves
    logged = log_path.read_text(encoding="utf-8")
    served_by = set(re.findall(r"Started server process \[(\d+)\]", logged))
    assert len(served_by) == 2, logged[:2000]
    assert logged.count("GET /v1/search?q=[redacted]") == REQUESTS
    assert CCCD not in logged


def test_a_served_process_keeps_what_it_loaded_out_of_the_collectors_way(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in process_env(services.settings).items():
        if name.startswith("SOHOA_"):
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    before = gc.get_threshold()
    try:
        app = served_app()
        assert gc.get_freeze_count() > 0 and gc.get_threshold() == GC_THRESHOLDS
        app.state.services.engine.dispose()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        get_settings.cache_clear()
