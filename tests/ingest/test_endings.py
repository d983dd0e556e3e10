"""Every job ends: a permanent error fails its document at once, a transient one after the last
retry; failures are injected through the object store, the seam production uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest import queues
from ingest.endings import INCOMPLETE, PROCESSING_FAILED
from ingest.jobs import enqueue_prepare
from ingest.services import Services
from models.errors import UnavailableError
from models.status import DocumentStatus, DossierStatus
from models.tables import Document
from storage import repository
from storage.database import transaction
from storage.objects import ObjectStore


class DownloadFails:
    """The store, but every download raises ``error``: a parser's crash or an outage."""

    def __init__(self, store: ObjectStore, error: Exception) -> None:
        self.store, self.error, self.calls = store, error, 0

    def download(self, key: str, path: Path) -> None:
        self.calls += 1
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def received_document(services: Services) -> tuple[str, str]:
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier("END-1", "1.001612", "PVHCC")
        )
        document, _ = repository.add_document(
            session,
            Document(dossier_id=dossier.id, sha256="c" * 64, filename="a.png",
                     media_type="image/png", size_bytes=1),
        )  # fmt: skip
        repository.move_dossier(session, dossier.id, DossierStatus.PROCESSING)
        return dossier.id, document.id


def run_ingest(services: Services) -> None:
    queues.worker([queues.INGEST], services.redis, services.settings).work(burst=True)


def test_a_permanent_error_fails_the_document_at_once(services: Services) -> None:
    failing = DownloadFails(services.store, RuntimeError("/tmp/secret/path: parser crashed"))
    services.store = failing  # type: ignore[assignment]
    dossier_id, document_id = received_document(services)
    enqueue_prepare(services, document_id)
    run_ingest(services)
    assert failing.calls == 1  # not retried: a crash will not go away by itself
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert document.status == DocumentStatus.FAILED
        assert document.error_code == PROCESSING_FAILED
        assert "RuntimeError" in document.error_reason
        assert "/tmp/secret" not in document.error_reason  # the detail is for the log only
        assert repository.get_dossier(session, dossier_id).status == DossierStatus.NEEDS_REVIEW


def test_a_transient_error_fails_the_document_after_the_last_attempt(
    services: Services,
) -> None:
    services.settings = services.settings.model_copy(update={"job_retries": 0})
    failing = DownloadFails(services.store, UnavailableError("the object store is unreachable"))
    services.store = failing  # type: ignore[assignment]
    _, document_id = received_document(services)
    enqueue_prepare(services, document_id)
    run_ingest(services)
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert document.status == DocumentStatus.FAILED
        assert document.error_code == INCOMPLETE
        assert "after 1 attempts" in document.error_reason
