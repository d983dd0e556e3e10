"""The job graph's hand-offs that do not need a page to be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest import queues
from ingest.jobs import enqueue_page_ocr, finalize_if_last
from ingest.services import Services
from models.errors import UnavailableError
from models.status import DocumentStatus, DossierStatus, PageStatus
from models.tables import Document, Page
from storage import repository
from storage.database import transaction
from storage.objects import ObjectStore


def document_with_pages(
    services: Services, statuses: list[PageStatus], sha256: str = "b" * 64
) -> str:
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier("JOBS-1", "1.001612", "PVHCC")
        )
        document, _ = repository.add_document(
            session,
            Document(dossier_id=dossier.id, sha256=sha256, filename="a.pdf",
                     media_type="application/pdf", size_bytes=1),
        )  # fmt: skip
        for index, status in enumerate(statuses, start=1):
            repository.record_page(
                session,
                Page(document_id=document.id, index=index, width=1, height=1, dpi=300,
                     image_key=f"k/{index}", status=status),
            )  # fmt: skip
        for target in (DocumentStatus.PREPARING, DocumentStatus.RECOGNIZING):
            repository.move_document(session, document.id, target)
        repository.move_dossier(session, dossier.id, DossierStatus.PROCESSING)
        return document.id


def finalize_queued(services: Services, document_id: str) -> bool:
    extract = queues.queue(queues.EXTRACT, services.redis, services.settings)
    return queues.finalize_job_id(document_id) in extract.job_ids


def test_the_last_page_read_enqueues_finalize(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED, PageStatus.FAILED])
    finalize_if_last(services, document_id)
    assert finalize_queued(services, document_id)


def test_a_page_still_to_read_holds_finalize_back(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED, PageStatus.PENDING])
    finalize_if_last(services, document_id)
    assert not finalize_queued(services, document_id)


def read_pages(services: Services) -> None:
    names = (queues.OCR, queues.EXTRACT)
    queues.worker(names, services.redis, services.settings).work(burst=True)


def second_page_failure(services: Services) -> str:
    """Read the second page of a two-page document whose first is read: the second must end
    failed and its document finished as failed; returns the page's reason."""
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED, PageStatus.PENDING])
    enqueue_page_ocr(services, document_id, 2)
    read_pages(services)
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert document.pages[1].status == PageStatus.FAILED
        assert document.status == DocumentStatus.FAILED
        assert document.error_code == "page_unreadable"
        return document.pages[1].error_reason or ""


def test_a_page_whose_image_is_missing_is_failed_at_once_and_its_document_finished(
    services: Services,
) -> None:
    """The page image is not stored and the original it is drawn from is missing from the
    store: no attempt can find it, so the page is failed with the reason and the document
    reported, not retried nor left waiting."""
    assert second_page_failure(services) == f"no object 'originals/{'b' * 64}'"


class StoreDown:
    """The store, unreachable for reads."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def get_bytes(self, key: str) -> bytes:
        raise UnavailableError("the object store is unreachable")

    def download(self, key: str, path: Path) -> None:
        raise UnavailableError("the object store is unreachable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_page_whose_job_gives_up_is_failed_and_its_document_finished(
    services: Services,
) -> None:
    """The store stays unreachable: every attempt raises, and after the last one the page is
    failed with the reason and the document reported, not left waiting."""
    services.settings = services.settings.model_copy(update={"job_retries": 0})
    services.store = StoreDown(services.store)  # type: ignore[assignment]
    assert "did not complete on this page after 1 attempts" in second_page_failure(services)


def test_work_still_waiting_is_not_queued_twice(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.PENDING])
    enqueue_page_ocr(services, document_id, 1)
    enqueue_page_ocr(services, document_id, 1)  # the reconciler, say, finding it stale
    ocr = queues.queue(queues.OCR, services.redis, services.settings)
    assert ocr.job_ids == [queues.ocr_job_id(document_id, 1)]
