"""``kill -9`` of a worker in the middle of a page's OCR: the reconciler delivers the page again
to a new worker, and the dossier ends with every page read once and nothing stored twice."""

from __future__ import annotations

import time
from pathlib import Path

from rq.registry import StartedJobRegistry

from ingest.queues import OCR
from tests.faults.conftest import StackFactory
from tests.faults.report import record
from tests.faults.stack import READ, Stack, multi_page_form, upload

OCR_STARTS_WITHIN_SECONDS = 60.0
# The heartbeat expires in 3 s; the rest is the form's pages read again by two new workers,
# which on a loaded 2-core machine took over a minute. The time taken is recorded, not bounded.
RECOVERY_SECONDS = 150.0


def started_ocr_job(stack: Stack) -> str:
    """Wait for a page's OCR job to be running; returns its id."""
    registry = StartedJobRegistry(stack.env["SOHOA_QUEUE_PREFIX"] + OCR, connection=stack.redis())
    deadline = time.monotonic() + OCR_STARTS_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if job_ids := registry.get_job_ids():
            return job_ids[0]
        time.sleep(0.01)
    raise AssertionError("no page's OCR started")


def test_a_worker_killed_mid_page_loses_nothing_and_duplicates_nothing(
    make_stack: StackFactory, sample_dossier: Path
) -> None:
    stack = make_stack()
    doomed = stack.worker("worker-killed")  # starts while the API does
    stack.serve()
    with stack.client() as client:
        response = upload(client, "KILL-0001", [multi_page_form(sample_dossier)])
    assert response.status_code == 202, response.text
    dossier_id = response.json()["dossier_id"]
    job_id = started_ocr_job(stack)
    stack.kill(doomed)
    killed_at = time.monotonic()
    document_id, index = job_id.removeprefix("ocr-").rsplit("-", 1)
    (status,) = stack.sql(
        f"SELECT status FROM pages WHERE document_id = '{document_id}' AND \"index\" = {index}"
    )[0]
    assert status == "pending", "the worker was killed after the page was read"

    stack.reconciler()
    stack.worker("worker-1")
    stack.worker("worker-2")
    stack.wait_final([dossier_id], RECOVERY_SECONDS)
    recovered = time.monotonic() - killed_at
    assert_read_once_and_stored_once(stack, dossier_id)
    (redeliveries,) = stack.sql(f"SELECT redeliveries FROM documents WHERE id = '{document_id}'")
    # Whichever sees the expired heartbeat first queues the page again, the other then finds
    # it waiting: the reconciler, or rq's clean-up of abandoned jobs as a new worker starts.
    by = "the reconciler" if redeliveries[0] else "rq's abandoned-job clean-up (a retry)"
    happened = f"page {index}'s job left started; its heartbeat expired and {by} queued it again"
    record("worker killed (kill -9) mid-page", happened, recovered, 0)


def assert_read_once_and_stored_once(stack: Stack, dossier_id: str) -> None:
    """Every page read, one row per page and per field, and the store holds exactly the objects
    each document's keys name: the words of every page, the text, and the images of the pages
    under review."""
    documents = stack.sql(
        f"SELECT id, status, page_count FROM documents WHERE dossier_id = '{dossier_id}'"
    )
    assert documents and all(status in READ for _, status, _ in documents), documents
    for document_id, _, page_count in documents:
        pages = stack.sql(
            f"SELECT \"index\", status FROM pages WHERE document_id = '{document_id}'"
        )
        assert sorted(pages) == [(n, "recognized") for n in range(1, page_count + 1)]
    duplicated = stack.sql(
        "SELECT document_id, name, count(*) FROM fields "
        "GROUP BY document_id, name HAVING count(*) > 1"
    )
    assert duplicated == []
    for document_id, _, page_count in documents:
        names = [key.split("/", 2)[2] for key in stack.objects(f"documents/{document_id}/")]
        images = [name for name in names if name.startswith("pages/")]
        numbers = range(1, page_count + 1)
        in_review = stack.sql(  # the pages whose images the review desk keeps
            "SELECT DISTINCT fields.page FROM fields JOIN review_tasks "
            "ON review_tasks.field_id = fields.id "
            f"WHERE fields.document_id = '{document_id}' AND NOT review_tasks.closed"
        )
        kept = sorted(f"pages/{page}" for (page,) in in_review)
        assert sorted(name.rsplit(".", 1)[0] for name in images) == kept
        others = set(names) - set(images)
        assert others == {f"ocr/{n}.json" for n in numbers} | {"text.txt"}
    originals = stack.sql(
        f"SELECT DISTINCT sha256 FROM documents WHERE dossier_id = '{dossier_id}'"
    )
    assert sorted(stack.objects("originals/")) == sorted(f"originals/{sha}" for (sha,) in originals)
