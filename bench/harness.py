"""Running sohoa as a benchmark sees it: API and workers as real processes on a temp folder,
the workers warmed up on a few pages before anything is timed.

Embedded defaults (SQLite, local object store, a private Redis on a Unix socket) so the figures
do not depend on the servers a developer happens to run. Every process gets OMP_THREAD_LIMIT=1,
as production workers do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from api.demo import free_port, stop_children, wait_ready
from models.status import DOSSIER_SETTLED
from samples import render_document, scan

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
FORM = {"procedure_code": "1.001612", "agency": "bench"}


@dataclass
class Sohoa:
    """A running API with its workers; ``workers`` are the worker processes."""

    api_url: str
    data_dir: Path
    key: str = ""
    """A key with the scanner's and the processor's roles: the benchmark uploads and reads."""
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.key}"}
        return httpx.Client(base_url=self.api_url, timeout=300, headers=headers)


def environment(data_dir: Path) -> dict[str, str]:
    env = {**ENV, "SOHOA_DATA_DIR": str(data_dir)}
    for name in ("SOHOA_DATABASE_URL", "SOHOA_REDIS_URL", "SOHOA_S3_ENDPOINT"):
        env.pop(name, None)
    return env


def issue_key(data_dir: Path) -> str:
    command = [sys.executable, "-m", "api", "keys", "create", "bench"]
    command += ["--role", "scanner", "--role", "processor"]
    created = subprocess.run(
        command, env=environment(data_dir), capture_output=True, text=True, check=True
    )
    return created.stdout.strip().splitlines()[-1]


def start(args: list[str], data_dir: Path) -> subprocess.Popen[bytes]:
    env = environment(data_dir)
    log = (data_dir / f"{args[0]}-{len(list(data_dir.glob('*.log')))}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "api", *args], stdout=log, stderr=subprocess.STDOUT, env=env
    )


@contextmanager
def running_sohoa(data_dir: Path, workers: int = 2) -> Iterator[Sohoa]:
    data_dir.mkdir(parents=True)
    port = free_port(8765)
    api = start(["serve", "--port", str(port)], data_dir)
    sohoa = Sohoa(api_url=f"http://127.0.0.1:{port}", data_dir=data_dir)
    try:
        wait_ready(sohoa.api_url, api, data_dir)
        sohoa.key = issue_key(data_dir)
        sohoa.workers = [start(["worker"], data_dir) for _ in range(workers)]
        time.sleep(3)  # workers connected and idle
        if workers:
            warm_up(sohoa, data_dir / "warm-up", pages=2 * workers)
        yield sohoa
    finally:
        stop_children([api, *sohoa.workers])
        subprocess.run(
            ["redis-cli", "-s", str(data_dir / "redis.sock"), "shutdown", "nosave"],
            capture_output=True,
        )


def warm_up(sohoa: Sohoa, folder: Path, pages: int) -> None:
    """Read a few one-page dossiers first, so that every worker has loaded its tesseract and
    started its fork server, as long-running workers have: what follows is the steady state."""
    folder.mkdir()
    files = []
    for n in range(pages):
        path = folder / f"warm-up-{n}.png"
        scan(render_document("cccd", seed=9000 + n).pages[0].image, seed=n).save(path)
        files.append(path)
    digitize(sohoa, files, receipt_prefix="WARM-UP")


def digitize(
    sohoa: Sohoa, files: list[Path], *, force_ocr: bool = False, receipt_prefix: str = "BENCH"
) -> float:
    """Upload each file as a dossier of its own, wait until all are done; return the seconds
    from the first upload to the moment the last dossier was settled."""
    batch = [[path] for path in files]
    return digitize_dossiers(
        sohoa, batch, force_ocr=force_ocr, receipt_prefix=receipt_prefix
    ).seconds


@dataclass(frozen=True)
class Batch:
    seconds: float
    """From the first upload to the moment the last dossier was settled, by the server's clock."""
    dossiers: list[dict[str, Any]]
    """Each dossier as ``GET /v1/dossiers`` shows it, its documents and pages included."""


def digitize_dossiers(
    sohoa: Sohoa,
    dossiers: list[list[Path]],
    *,
    force_ocr: bool = False,
    agency: str | None = None,
    receipt_prefix: str = "BENCH",
) -> Batch:
    """Upload each list of files as one dossier (receipt codes of the batch's own), wait until
    all are done. Pages are reused within an agency: each batch is an agency of its own unless
    ``agency`` is given, so that a page read in an earlier batch is read again, not copied."""
    started = datetime.now(UTC)
    batch = uuid.uuid4().hex[:8]  # a receipt code seen before would add to that dossier
    agency = agency or f"bench-{batch}"
    form = {**FORM, "agency": agency, "force_ocr": str(force_ocr)}
    with sohoa.client() as client:
        ids = []
        for n, paths in enumerate(dossiers):
            with ExitStack() as files:
                parts = [("files", (p.name, files.enter_context(p.open("rb")))) for p in paths]
                response = client.post(
                    "/v1/dossiers",
                    data={**form, "receipt_code": f"{receipt_prefix}-{batch}-{n:04d}"},
                    files=parts,
                )
            response.raise_for_status()
            ids.append(response.json()["dossier_id"])
        while True:  # one light query a second, so polling does not steal the workers' CPU
            items = client.get("/v1/dossiers", params={"limit": 200}).json()["items"]
            mine = [item for item in items if item["id"] in ids]
            views = [item["status"] for item in mine]
            if len(mine) == len(set(ids)) and all(s in DOSSIER_SETTLED for s in views):
                break
            time.sleep(1)
    # The end is when the last dossier was settled, by the server's clock, not the poll's.
    ended = max(datetime.fromisoformat(item["updated_at"]) for item in mine)
    elapsed = (ended.replace(tzinfo=ended.tzinfo or UTC) - started).total_seconds()
    failed = [d for item in mine for d in item["documents"] if d["status"] == "failed"]
    if failed:
        print(f"warning: {len(failed)} document(s) failed; see {sohoa.data_dir}")
    return Batch(elapsed, mine)


def peak_rss_mib(process: subprocess.Popen[bytes]) -> float:
    """The process's high-water mark of resident memory (VmHWM), while it still runs."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {process.pid}")
