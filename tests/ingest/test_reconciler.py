"""The reconciler delivers stuck work again, a bounded number of times, and settles dossiers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from ingest import queues
from ingest.endings import INCOMPLETE
from ingest.reconciler import reconcile
from ingest.services import Services
from models.status import DocumentStatus, DossierStatus, PageStatus
from models.tables import Document, utcnow
from storage import repository
from storage.database import transaction
from tests.ingest.test_jobs import document_with_pages


def later(hours: int) -> object:
    return utcnow() + timedelta(hours=hours)


def test_stuck_work_is_delivered_again_up_to_the_cap_then_the_document_fails(
    services: Services,
) -> None:
    document_id = document_with_pages(services, [PageStatus.PENDING])
    cap = services.settings.max_redeliveries
    ocr = queues.queue(queues.OCR, services.redis, services.settings)
    for hours in range(1, cap + 1):
        assert reconcile(services, now=later(hours)) == [document_id]  # type: ignore[arg-type]
        ocr.empty()  # the queue lost it again: Redis restarted, say
    assert reconcile(services, now=later(cap + 1)) == []  # type: ignore[arg-type]
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert document.status == DocumentStatus.FAILED
        assert document.error_code == INCOMPLETE
        assert f"delivered {cap + 1} times" in document.error_reason
        assert repository.get_dossier(session, document.dossier_id).status == (
            DossierStatus.NEEDS_REVIEW
        )


def test_a_page_read_restarts_its_documents_deadline(services: Services) -> None:
    """Two long documents started long ago: the one whose pages are being read is not stuck."""
    reading = document_with_pages(services, [PageStatus.PENDING, PageStatus.PENDING])
    idle = document_with_pages(services, [PageStatus.PENDING] * 2, sha256="d" * 64)
    long_ago = utcnow() - timedelta(seconds=2 * services.settings.stale_after_seconds)
    with transaction(services.sessions) as session:
        for document_id in (reading, idle):
            session.execute(
                update(Document).where(Document.id == document_id).values(updated_at=long_ago)
            )
        repository.finish_page(session, reading, 1, PageStatus.RECOGNIZED)
    assert reconcile(services) == [idle]


def test_a_dossier_whose_documents_are_all_done_is_settled(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED])
    with transaction(services.sessions) as session:
        repository.fail_document(session, document_id, "page_unreadable", "no page read")
        dossier_id = repository.get_document(session, document_id).dossier_id
    reconcile(services)
    with transaction(services.sessions) as session:
        assert repository.get_dossier(session, dossier_id).status == DossierStatus.NEEDS_REVIEW


def test_work_still_waiting_in_the_queue_is_not_counted_as_delivered_again(
    services: Services,
) -> None:
    """A queue slower than the deadline does not use up a document's re-deliveries."""
    document_id = document_with_pages(services, [PageStatus.PENDING])
    for hours in range(1, services.settings.max_redeliveries + 3):
        expected = [document_id] if hours == 1 else []
        assert reconcile(services, now=later(hours)) == expected  # type: ignore[arg-type]
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert (document.status, document.redeliveries) == (DocumentStatus.RECOGNIZING, 1)


def started_by(services: Services, job_id: str, worker_name: str) -> None:
    """Mark a queued job started by ``worker_name``, as a worker does when it takes it."""
    job = queues.fetch(job_id, services.redis)
    ocr = queues.queue(queues.OCR, services.redis, services.settings)
    ocr.remove(job_id)
    services.redis.hset(job.key, mapping={"status": "started", "worker_name": worker_name})


def test_a_job_whose_worker_was_killed_is_delivered_again(services: Services) -> None:
    """The job stays "started" in Redis; once the worker's heartbeat has expired it is known
    abandoned and queued again, while one running on a live worker is left alone."""
    document_id = document_with_pages(services, [PageStatus.PENDING])
    job_id = queues.ocr_job_id(document_id, 1)
    assert reconcile(services, now=later(1)) == [document_id]  # type: ignore[arg-type]
    alive = queues.worker([queues.OCR], services.redis, services.settings)
    alive.register_birth()
    started_by(services, job_id, alive.name)
    assert reconcile(services, now=later(2)) == []  # type: ignore[arg-type]
    alive.register_death()  # as if its key expired, the worker killed
    services.redis.delete(alive.key)
    assert reconcile(services, now=later(3)) == [document_id]  # type: ignore[arg-type]
    ocr = queues.queue(queues.OCR, services.redis, services.settings)
    assert ocr.job_ids == [job_id]
