"""A worker yields the CPU to the API: ``sohoa worker`` runs at ``SOHOA_WORKER_NICE`` below the
priority it was started with, and the page children it forks inherit it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ingest.services import Services
from tests.conftest import process_env

NICE_FIELD = 19  # of /proc/PID/stat, counted from 1


def niceness(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[NICE_FIELD - 3])  # fields 1 and 2 (pid, name) were split off


def test_a_worker_runs_below_the_priority_it_was_started_with(
    services: Services, tmp_path: Path
) -> None:
    env = process_env(services.settings, SOHOA_WORKER_NICE="7")
    started_at = os.getpriority(os.PRIO_PROCESS, 0)
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "-m", "api", "worker"], env=env,
                                  stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while niceness(worker.pid) == started_at and time.monotonic() < deadline:
            assert worker.poll() is None, log.read_text()
            time.sleep(0.2)
        assert niceness(worker.pid) == min(started_at + 7, 19), log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
