"""Redis restarted empty while dossiers are in progress: every queued job is lost, the workers
ride it out, and the reconciler queues the work again from what the database says."""

from __future__ import annotations

import time
from pathlib import Path

from tests.faults.conftest import StackFactory
from tests.faults.report import record
from tests.faults.servers import RedisServer
from tests.faults.stack import READ, Stack, card_photo, multi_page_form, upload

RECOVERY_SECONDS = 90.0


def wait_work_started(stack: Stack, seconds: float = 60.0) -> None:
    """Until some page has been read: work is under way, and more of it waits in Redis."""
    deadline = time.monotonic() + seconds
    while not stack.sql("SELECT 1 FROM pages WHERE status = 'recognized'"):
        assert time.monotonic() < deadline, stack.log("worker")
        time.sleep(0.1)


def test_redis_restarted_empty_loses_no_document(
    make_stack: StackFactory, redis_server: RedisServer, sample_dossier: Path
) -> None:
    stack = make_stack(store="local")
    workers = [stack.worker("worker-1"), stack.worker("worker-2")]
    stack.serve()
    stack.reconciler()
    with stack.client() as client:
        responses = [
            upload(client, "REDIS-0001", [card_photo(sample_dossier)]),
            upload(client, "REDIS-0002", [multi_page_form(sample_dossier)]),
        ]
    assert [r.status_code for r in responses] == [202, 202], [r.text for r in responses]
    dossier_ids = [r.json()["dossier_id"] for r in responses]
    wait_work_started(stack)
    redis_server.stop()
    redis_server.start()
    restarted_at = time.monotonic()
    assert stack.redis().dbsize() <= 5, "Redis kept its jobs"  # a worker may re-register

    stack.wait_final(dossier_ids, RECOVERY_SECONDS)
    recovered = time.monotonic() - restarted_at
    assert all(worker.poll() is None for worker in workers), stack.log("worker-1")
    uploaded = sum(len(r.json()["documents"]) for r in responses)
    documents = stack.sql(f"SELECT count(*) FROM documents WHERE status IN {READ}")
    assert documents == [(uploaded,)], stack.sql("SELECT status FROM documents")
    (redelivered,) = stack.sql("SELECT count(*) FROM documents WHERE redeliveries > 0")[0]
    happened = (
        f"queued jobs gone; workers reconnected; the reconciler queued {redelivered} of "
        f"{uploaded} documents' work again"
    )
    record("Redis restarted empty", happened, recovered, 0)
