"""Re-enqueue work that has not advanced within its deadline, and end what cannot.

Redis only delivers work; the database says what is done. If Redis restarted (the private one
keeps nothing) or a worker was killed mid-job, documents stay in progress with nothing queued
for them. The reconciler finds those rows and enqueues their next step again; the deterministic
job ids, the queue's refusal of work already waiting and forward-only statuses make a needless
re-enqueue harmless. A job left "started" by a worker that was killed is known by the worker's
expired heartbeat (``ingest.heartbeat``) and delivered again. The deadline follows progress
(each page read restarts it), and each re-delivery is counted in SQL (work still waiting in the
queue, or running on a live worker, is slow, not lost, and is not counted): a document
redelivered ``max_redeliveries`` times without finishing is failed with the reason, so that the
reconciler, too, lets every document end. A dossier whose documents are all done but that was
never settled (its last job died between the two) is settled here, and a read document without
a signed copy (its signing job lost, or read before a signing certificate was configured) has its
signing queued again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ingest import jobs, queues
from ingest.endings import INCOMPLETE
from ingest.services import Services
from ingest.signed_copies import enqueue_signing
from models.status import DocumentStatus, PageStatus
from models.tables import utcnow
from storage import events, repository, signed_copies
from storage.database import transaction

log = logging.getLogger(__name__)

SIGNING_BATCH = 100
"""Unsigned documents one pass queues for signing: documents read before a signing certificate
was configured are signed a hundred a pass, not all at once."""


def reconcile(services: Services, now: datetime | None = None) -> list[str]:
    """Re-enqueue every stale document's next step (or fail it, past the cap) and settle the
    dossiers left unsettled; returns the ids of the documents delivered again."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=services.settings.stale_after_seconds)
    cap = services.settings.max_redeliveries
    with transaction(services.sessions) as session:
        stale = repository.stale_documents(session, cutoff)
        spent = [d.id for d in stale if d.redeliveries >= cap]
        plans = [
            (d.id, d.status, [p.index for p in d.pages if p.status == PageStatus.PENDING])
            for d in stale
            if d.redeliveries < cap
        ]
        unsettled = repository.unsettled_dossiers(session)
    for document_id in spent:
        reason = (
            f"this document's work was delivered {cap + 1} times without finishing (workers "
            "stopped or the queue lost it); the original is kept, and it can be sent again"
        )
        jobs.give_up(services, document_id, INCOMPLETE, reason)
    delivered = [plan[0] for plan in plans if deliver(services, *plan)]
    with transaction(services.sessions) as session:
        for document_id in delivered:
            repository.redeliver(session, document_id)
    for dossier_id in unsettled:
        jobs.rollup(services, dossier_id)
    sign_unsigned(services, cutoff)
    return delivered


def prune_old_events(services: Services, now: datetime | None = None) -> int:
    """Delete status events older than their retention (a pass's worth); how many went."""
    days = services.settings.events_retention_days
    before = (now or utcnow()) - timedelta(days=days)
    with transaction(services.sessions) as session:
        return events.prune_events(session, before)


def sign_unsigned(services: Services, cutoff: datetime) -> None:
    """Queue the signing of read documents still without a signed copy (at most
    ``SIGNING_BATCH`` a pass), when a signing key is configured."""
    if services.agency_key is None:
        return
    with transaction(services.sessions) as session:
        unsigned = signed_copies.unsigned_documents(session, cutoff, SIGNING_BATCH)
    for document_id in unsigned:
        enqueue_signing(services, document_id, "read")
    if unsigned:
        log.info("queued the signing of %d document(s) without a signed copy", len(unsigned))


def deliver(
    services: Services, document_id: str, status: DocumentStatus, pending_pages: list[int]
) -> bool:
    """Enqueue a stale document's next step; True when some of it had been lost (Redis emptied,
    or its worker killed), False when all of it still waits in the queue or runs on a live
    worker: it is slow, not lost, and that is no re-delivery to count."""
    if status != DocumentStatus.RECOGNIZING:
        job_ids = [queues.prepare_job_id(document_id)]
    elif pending_pages:
        job_ids = [queues.ocr_job_id(document_id, index) for index in pending_pages]
    else:
        job_ids = [queues.finalize_job_id(document_id)]
    lost = [job_id for job_id in job_ids if not queues.is_pending(job_id, services.redis)]
    if status == DocumentStatus.RECOGNIZING:
        jobs.enqueue_recognition(services, document_id, pending_pages)
    else:
        jobs.enqueue_prepare(services, document_id)
    return bool(lost)
