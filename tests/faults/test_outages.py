"""PostgreSQL, then the S3 store, stopped while dossiers are processed and uploads keep coming:
503 with ``Retry-After`` for every upload it cannot store, workers and their jobs survive, and
everything ends once the part is back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

from tests.faults.conftest import StackFactory
from tests.faults.outage import OUTAGE_RETRIES, Outage, during_outage, send_again
from tests.faults.report import record
from tests.faults.servers import PostgresCluster, S3Server
from tests.faults.stack import READ, Stack, card_photo, multi_page_form, upload

OUTAGE_SECONDS = 10.0
RECOVERY_SECONDS = 90.0


def started(stack: Stack, sample_dossier: Path) -> tuple[list[str], list[Popen[bytes]]]:
    """The API, two workers and the reconciler, with one dossier uploaded and being read."""
    workers = [stack.worker("worker-1"), stack.worker("worker-2")]
    stack.serve()
    stack.reconciler()
    with stack.client() as client:
        files = [multi_page_form(sample_dossier), card_photo(sample_dossier)]
        response = upload(client, "BEFORE-0001", files)
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 60
    while not stack.sql("SELECT 1 FROM documents WHERE status <> 'received'"):
        assert time.monotonic() < deadline, stack.log("worker-1")
        time.sleep(0.1)
    return [response.json()["dossier_id"]], workers


def ride_out(
    stack: Stack, sample_dossier: Path, stop: Callable[[], None], start: Callable[[], None]
) -> tuple[Outage, float]:
    """Break the part mid-work, then check that everything accepted or sent again ends
    digitized; returns what the API answered and the seconds from restart to the end."""
    dossier_ids, workers = started(stack, sample_dossier)
    outage = during_outage(stack, stop, start, OUTAGE_SECONDS)
    back_at = time.monotonic()
    outage.check()
    dossier_ids += send_again(stack, outage.refused)
    stack.wait_final(dossier_ids, RECOVERY_SECONDS)
    recovered = time.monotonic() - back_at
    assert all(worker.poll() is None for worker in workers), stack.log("worker-1")
    statuses = stack.sql(f"SELECT count(*) FROM documents WHERE status IN {READ}")
    assert statuses == [(len(outage.refused) + 2,)], stack.sql("SELECT status FROM documents")
    return outage, recovered


def test_postgresql_stopped(
    make_stack: StackFactory, postgres: PostgresCluster, sample_dossier: Path
) -> None:
    stack = make_stack(store="local", **OUTAGE_RETRIES)
    outage, recovered = ride_out(stack, sample_dossier, postgres.stop, postgres.start)
    happened = (
        f"{len(outage.refused)} uploads answered 503 + Retry-After, accepted when sent again; "
        "jobs retried with backoff"
    )
    record(f"PostgreSQL stopped {OUTAGE_SECONDS:.0f} s", happened, recovered, 0)


def test_s3_store_stopped(
    make_stack: StackFactory, s3_server: S3Server, sample_dossier: Path
) -> None:
    stack = make_stack(store="s3", **OUTAGE_RETRIES)
    outage, recovered = ride_out(stack, sample_dossier, s3_server.stop, s3_server.start)
    originals = stack.objects("originals/")
    assert len(originals) == len(outage.refused) + 2, "an accepted upload has no original"
    happened = (
        f"{len(outage.refused)} uploads answered 503 + Retry-After, accepted when sent again; "
        "jobs retried with backoff"
    )
    record(f"S3 store stopped {OUTAGE_SECONDS:.0f} s", happened, recovered, 0)
