"""Re-enqueue work that has not advanced within its deadline.

Redis only delivers work; the database says what is done. If Redis restarted (the private one
keeps nothing) or a worker was killed mid-job, documents stay in progress with nothing queued
for them. The reconciler finds those rows and enqueues their next step again; the deterministic
job ids and forward-only statuses make a needless re-enqueue harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest import jobs
from ingest.services import Services
from models.status import DocumentStatus, PageStatus
from models.tables import utcnow
from storage import repository
from storage.database import transaction


def reconcile(services: Services, now: datetime | None = None) -> list[str]:
    """Re-enqueue every stale document's next step; returns the ids of those documents."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=services.settings.stale_after_seconds)
    with transaction(services.sessions) as session:
        stale = repository.stale_documents(session, cutoff)
        for document in stale:
            repository.touch_document(session, document.id)
        plans = [
            (d.id, d.status, [p.index for p in d.pages if p.status == PageStatus.PENDING])
            for d in stale
        ]
    for document_id, status, pending_pages in plans:
        if status == DocumentStatus.RECOGNIZING:
            jobs.enqueue_recognition(services, document_id, pending_pages)
        else:
            jobs.enqueue_prepare(services, document_id)
    return [document_id for document_id, _, _ in plans]
