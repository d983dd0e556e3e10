"""Hostile uploads through the real pipeline: intake, then a real ``sohoa worker --burst``.

Every file of ``hostile_files`` is sent in a dossier of its own beside one good page. Each must
come to a definite end (refused at intake, failed with a code and a reason, or digitized) in
bounded time; the good page beside it is digitized all the same; the original is kept byte for
byte; no job fails with an exception in the worker, and the worker (a separate process, as in
production, which a crash or a hang of a reader would take down) runs to the end of its burst.
The limits are tightened (``parse_seconds``, ``parse_memory_mib``) so that the slow and the
greedy files meet them in seconds.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_files import GREEDY, HOSTILE, HOSTILE_NAMES, SLOW, good_page

from ingest.intake import IncomingFile, receive_dossier
from ingest.queues import ALL_QUEUES, queue
from ingest.services import Services
from models.config import Settings
from models.status import DOCUMENT_READ, DocumentStatus
from storage import repository
from storage.database import transaction
from storage.objects import original_key

ROOT = Path(__file__).resolve().parents[2]
PARSE_SECONDS = 8
PARSE_MEMORY_MIB = 450
BOUND_SECONDS = 30
"""Seconds a document's ``prepare`` may take, whatever the file (the default limit is 60 s)."""

DIGITIZED = "digitized"
EXPECTED = {
    "empty": "empty_file",
    "random bytes": "unsupported_type",
    "header only": "corrupt_pdf",
    "truncated": "corrupt_pdf",
    "broken xref": DIGITIZED,
    "user password": "encrypted_pdf",
    "empty user password": DIGITIZED,
    "javascript and attachment": DIGITIZED,
    "zero pages": "empty_pdf",
    "200 x 200 inch page": "page_too_large",
    "30000 x 30000 image": "image_bomb",
    "png bomb": "image_bomb",
    "tiff bomb": "image_bomb",
    "jpeg bomb in pdf": "image_bomb",
    "2000-frame tiff": "too_many_frames",
    "html named .jpg": "unsupported_type",
    "jpeg with pdf appended": DIGITIZED,
    "pdf with zip appended": DIGITIZED,
    "zip named .pdf": "unsupported_type",
    "predictor bomb": DIGITIZED,
    "2**28 nested strokes": "parse_timeout",
    "169-megapixel image": "parse_memory",
    "predictor, a million columns": "parse_memory",
    **dict.fromkeys(HOSTILE_NAMES, DIGITIZED),
}


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """PostgreSQL only: the worker is another process, as in production."""
    return postgres_url


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"parse_seconds": PARSE_SECONDS, "parse_memory_mib": PARSE_MEMORY_MIB}
    )


def corpus() -> dict[str, tuple[str, bytes]]:
    """Case -> (file name, bytes)."""
    files = {case: (name, make()) for case, (name, make) in HOSTILE.items()}
    files["2**28 nested strokes"] = (SLOW[0], SLOW[1]())
    files.update({case: (name, make()) for case, (name, make) in GREEDY.items()})
    for number, (case, name) in enumerate(HOSTILE_NAMES.items()):
        files[case] = (name, good_page(9000 + number))
    return files


def run_worker(settings: Settings) -> subprocess.CompletedProcess[str]:
    """``sohoa worker --burst`` on the test's database, Redis, queues and store."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOHOA_DATA_DIR": str(settings.data_dir),
        "SOHOA_DATABASE_URL": str(settings.database_url),
        "SOHOA_REDIS_URL": str(settings.redis_url),
        "SOHOA_QUEUE_PREFIX": settings.queue_prefix,
        "SOHOA_PARSE_SECONDS": str(PARSE_SECONDS),
        "SOHOA_PARSE_MEMORY_MIB": str(PARSE_MEMORY_MIB),
    }
    command = [sys.executable, "-c", "from api.cli import app; app()", "worker", "--burst"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)


@pytest.mark.slow
def test_every_hostile_file_ends_and_its_dossier_carries_on(services: Services) -> None:
    files = corpus()
    sent: dict[str, list[tuple[str, bytes]]] = {}
    for number, hostile in enumerate(files.values()):
        pair = [hostile, (f"good-{number}.png", good_page(number))]
        new = repository.NewDossier(f"HOSTILE-{number:03d}", "1.001612", "test")
        incoming = [IncomingFile(name, io.BytesIO(data)) for name, data in pair]
        dossier, _ = receive_dossier(services, new, incoming)
        sent[dossier.id] = pair

    started = time.monotonic()
    worker = run_worker(services.settings)
    assert worker.returncode == 0, (worker.stdout + worker.stderr)[-3000:]
    assert time.monotonic() - started < 300

    for name in ALL_QUEUES:  # no job ended on an exception
        failed = queue(name, services.redis, services.settings).failed_job_registry
        assert failed.get_job_ids() == [], name
    seconds = prepare_seconds(worker.stdout + worker.stderr)
    outcomes = {}
    for case, (dossier_id, pair) in zip(files, sent.items(), strict=True):
        outcomes[case] = check_dossier(services, dossier_id, pair, seconds)
    assert outcomes == EXPECTED


def prepare_seconds(log: str) -> dict[str, float]:
    """How long each document's ``prepare`` took, from the worker's log (rq's job hashes may
    be gone by the time the test reads them)."""
    ended = re.findall(r"jobs\.prepare\('([0-9a-f-]+)'\) job in (\d+):(\d+):([\d.]+)s", log)
    return {id_: int(h) * 3600 + int(m) * 60 + float(s) for id_, h, m, s in ended}


def check_dossier(
    services: Services, dossier_id: str, pair: list[tuple[str, bytes]], seconds: dict[str, float]
) -> str:
    """The hostile file's outcome, after checking what must hold for every dossier."""
    (_, hostile), (_, good) = pair
    for data in (hostile, good):
        assert services.store.get_bytes(original_key(sha(data))) == data
    with transaction(services.sessions) as session:
        documents = {d.sha256: d for d in repository.get_dossier(session, dossier_id).documents}
        assert documents[sha(good)].status in DOCUMENT_READ
        document = documents[sha(hostile)]
        status, code, reason = document.status, document.error_code, document.error_reason
        name, sniffed, document_id = document.filename, document.media_type, document.id
    assert "/" not in name and "\x00" not in name and len(name) <= 255
    if sniffed is not None:  # it got past intake: its prepare job ran, within the bound
        assert seconds[document_id] < BOUND_SECONDS
    if status in DOCUMENT_READ:
        return DIGITIZED
    assert status == DocumentStatus.FAILED
    assert code and reason
    assert "/tmp" not in reason  # nothing of the worker's folders is shown
    return code


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
