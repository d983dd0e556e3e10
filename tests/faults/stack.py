"""sohoa as it runs in production, in real processes: ``sohoa serve``, ``sohoa worker`` and
``sohoa reconcile``, started from this checkout with ``SOHOA_*`` settings like any deployment.

A ``Stack`` holds one test's settings (its own database, bucket or folder, queue prefix and
data folder), starts and kills its processes, and reads back what they stored.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from minio import Minio
from redis import Redis
from sqlalchemy import text

from storage.database import make_engine, make_session_factory
from tests.access import desk_headers
from tests.faults.servers import free_port, wait_until

CHECKOUT = Path(__file__).resolve().parents[2]
READ = ("digitized", "needs_review", "verified")
"""Documents whose pages were all read (needs_review: some of their fields wait)."""
FINAL = READ  # the statuses a dossier settles at are the same three
"""A dossier's statuses once every document of it has ended."""


@dataclass
class Stack:
    env: dict[str, str]
    folder: Path
    database_url: str
    redis_url: str
    port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _headers: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *args: str, name: str) -> subprocess.Popen[bytes]:
        """``sohoa ARGS``, its output in ``name``.log in the test's folder."""
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "api", *args],
            cwd=CHECKOUT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def serve(self) -> subprocess.Popen[bytes]:
        api = self.start("serve", "--port", str(self.port), name="api")
        wait_until(lambda: api.poll() is not None or self._ready(), "sohoa serve", 60)
        assert api.poll() is None, self.log("api")
        return api

    def worker(self, name: str = "worker") -> subprocess.Popen[bytes]:
        return self.start("worker", name=name)

    def reconciler(self, every_seconds: int = 1) -> subprocess.Popen[bytes]:
        return self.start("reconcile", "--every", str(every_seconds), name="reconcile")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """``kill -9``: no handler runs, no job is given back."""
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.api_url, timeout=timeout, headers=self.headers())

    def headers(self) -> dict[str, str]:
        """What a reception desk's scanner sends with every request: its key, issued once the
        API has migrated the database."""
        if not self._headers:
            engine = make_engine(self.database_url)
            try:
                self._headers = desk_headers(make_session_factory(engine))
            finally:
                engine.dispose()
        return self._headers

    def objects(self, prefix: str) -> list[str]:
        """The keys the store holds under ``prefix``, listed by the store's own means."""
        if endpoint := self.env.get("SOHOA_S3_ENDPOINT"):
            s3 = Minio(endpoint, access_key="testing", secret_key="testing", secure=False)
            listed = s3.list_objects(self.env["SOHOA_S3_BUCKET"], prefix=prefix, recursive=True)
            return [str(item.object_name) for item in listed]
        root = Path(self.env["SOHOA_DATA_DIR"]) / "objects"
        return [
            path.relative_to(root).as_posix()
            for path in (root / prefix).rglob("*")
            if path.is_file() and not path.name.startswith(".")
        ]

    def redis(self) -> Redis:
        return Redis.from_url(self.redis_url)

    def sql(self, query: str) -> list[tuple]:
        """Rows of a read-only query on the test's database, bypassing the API."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(query))]
        finally:
            engine.dispose()

    def wait_final(self, dossier_ids: list[str], seconds: float) -> float:
        """Seconds until every dossier is digitized or needs review (AssertionError past
        ``seconds``)."""
        started = time.monotonic()
        with self.client() as client:
            while True:
                statuses = [dossier_status(client, i) for i in dossier_ids]
                if all(status in FINAL for status in statuses):
                    return time.monotonic() - started
                assert time.monotonic() - started < seconds, (statuses, self.log("worker"))
                time.sleep(0.25)

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.api_url}/readyz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


def dossier_status(client: httpx.Client, dossier_id: str) -> str:
    """The dossier's status, or "unknown" while the API cannot say (a part is down)."""
    try:
        response = client.get(f"/v1/dossiers/{dossier_id}")
    except httpx.TransportError:
        return "unknown"
    return str(response.json()["status"]) if response.status_code == 200 else "unknown"


def stack_env(folder: Path, database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """The environment of every process of one stack: the given ``SOHOA_*`` settings on top of
    this one's, without any the developer's shell or a ``.env`` file would add."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(
        SOHOA_DATA_DIR=str(folder / "data"),
        SOHOA_DATABASE_URL=database_url,
        SOHOA_REDIS_URL=redis_url,
        SOHOA_QUEUE_PREFIX=f"faults-{uuid.uuid4().hex[:8]}-",
        OMP_THREAD_LIMIT="1",
    )
    env.update({f"SOHOA_{key.upper()}": value for key, value in settings.items()})
    return env


def upload(client: httpx.Client, receipt_code: str, files: list[Path]) -> httpx.Response:
    """``POST /v1/dossiers`` as the desk's scanner sends it."""
    form = {"receipt_code": receipt_code, "procedure_code": "1.001612", "agency": "PVHCC"}
    parts = [("files", (path.name, path.read_bytes())) for path in files]
    return client.post("/v1/dossiers", data=form, files=parts)


def sample_files(folder: Path) -> Iterator[Path]:
    """The scanned files of one sample dossier folder (not its ground truth)."""
    return (path for path in sorted(folder.iterdir()) if path.name != "dossier.json")


def multi_page_form(folder: Path) -> Path:
    """The sample dossier's application form: a scanned PDF of two or three pages."""
    (form,) = folder.glob("*_don_de_nghi.pdf")
    return form


def card_photo(folder: Path) -> Path:
    """The sample dossier's identity card: a one-page JPEG."""
    (card,) = folder.glob("*_cccd.jpg")
    return card
