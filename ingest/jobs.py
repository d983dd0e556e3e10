"""The rq jobs of the pipeline: prepare → ocr_page × pages → finalize → rollup.

Each job takes ids, loads what it needs, calls ``ocr/`` and writes through ``storage/``. All
are safe to run twice: object keys are deterministic and statuses only move forward, so a
second run finds its work done and stops. A permanent failure (a corrupt or encrypted file)
marks the document failed with a reason a person can act on; a retryable one (store, database
or Redis unreachable) is raised so rq retries it with backoff.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from redis import Redis
from rq.job import Job

from ingest import queues
from ingest.assembly import assemble_document
from ingest.endings import exhausted, is_transient, permanent_failure
from ingest.originals import local_original
from ingest.page_images import draw_page
from ingest.page_store import (
    put_page_image,
    read_into_store,
    read_or_reuse,
    record_page,
    store_page_image,
    store_page_words,
    store_words,
)
from ingest.pages import PageImage, PageOutline, Reading, SandboxedPages
from ingest.sandbox import Limits
from ingest.scan_layers import hold_scan_layer
from ingest.services import Services, current_services
from ingest.signed_copies import enqueue_signing
from models.errors import RejectedFileError
from models.status import DOCUMENT_DONE, DocumentStatus, PageStatus, TextSource
from ocr.text_layer import covers_ink
from storage import repository
from storage.database import transaction

log = logging.getLogger(__name__)

_STAGES = {"prepare": "preparing the pages", "finalize": "assembling the document"}
"""What each document job does, in the reason a document failed in it is given."""


def prepare(document_id: str) -> None:
    """Check the original, record its pages, and fan out OCR."""
    _to_an_end(_prepare, document_id, _STAGES["prepare"])


def _to_an_end(step: Callable[[Services, str], None], document_id: str, stage: str) -> None:
    """Run a document job's ``step``: a transient error is raised for rq to retry, any other
    fails the document at once."""
    services = current_services()
    try:
        step(services, document_id)
    except Exception as e:
        if is_transient(e):
            raise
        give_up(services, document_id, *permanent_failure(e, stage))


def _prepare(services: Services, document_id: str) -> None:
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        if document.status in DOCUMENT_DONE:
            return
        pending = [p.index for p in document.pages if p.status == PageStatus.PENDING]
        stored = document.status == DocumentStatus.RECOGNIZING  # by an earlier run
        if not stored:
            repository.move_document(session, document_id, DocumentStatus.PREPARING)
        sha256, media_type = document.sha256, document.media_type or ""
        force_ocr = document.force_ocr
    if stored:
        enqueue_recognition(services, document_id, pending)
        return
    try:
        page_count = store_pages(services, document_id, sha256, media_type, force_ocr=force_ocr)
    except RejectedFileError as e:
        with transaction(services.sessions) as session:
            repository.fail_document(session, document_id, e.code, e.message)
        rollup(services, document.dossier_id)
        return
    with transaction(services.sessions) as session:
        repository.move_document(
            session, document_id, DocumentStatus.RECOGNIZING, page_count=page_count
        )
    finalize_if_last(services, document_id, here=True)


def store_pages(
    services: Services, document_id: str, sha256: str, media_type: str, *, force_ocr: bool
) -> int:
    """Check the original and record its pages, one at a time; returns the page count.

    The original is parsed only in a sandboxed child (``SandboxedPages``): a file that crashes
    its reader, or needs too much time or memory, fails its document and this worker lives on.
    Each page's OCR job is enqueued as soon as its row is stored, so other workers read the
    first pages of a long PDF while the child still goes through the rest. A page of a PDF of
    several pages is only outlined here, and drawn by its own job (``ocr_page``), so that
    drawing runs on every worker at once; other pages (of image files, or carrying a text
    layer) are drawn here and their images stored. The page of a one-page document is read
    here, saving a job and a second drawing of it. A PDF page carrying a usable text layer of
    its own gets its words from it here, and is not OCRed (unless ``force_ocr``): its text is
    exact and costs no recognition. A page that is a scanned image is OCRed all the same, its
    layer held to be checked against the image (``ingest.scan_layers``).
    """
    settings = services.settings
    reading = Reading(
        media_type=media_type,
        max_pages=settings.max_pages,
        max_frames=settings.max_frames,
        max_image_pixels=settings.max_image_pixels,
        dpi=settings.rasterize_dpi,
        text_layers=media_type == "application/pdf" and not force_ocr,
    )
    path = local_original(services, sha256)
    limits = Limits.from_settings(settings)
    with (
        tempfile.TemporaryDirectory(prefix="sohoa-prepare-") as folder,
        SandboxedPages(path, Path(folder), reading, limits) as pages,
    ):
        for page, layer in pages:
            if isinstance(page, PageOutline):
                row = record_page(services, document_id, page)
            else:
                row = store_page_image(services, document_id, page)
            if row.status != PageStatus.PENDING:
                continue
            if (
                layer is not None
                and isinstance(page, PageImage)
                and covers_ink(layer.words, page.image)
                and not hold_scan_layer(services, document_id, page.index, layer)
            ):
                store_words(services, document_id, page.index, layer.words,
                            text_source=TextSource.TEXT_LAYER)  # fmt: skip
            elif pages.count == 1 and isinstance(page, PageImage):
                read_into_store(services, document_id, page, force_ocr=force_ocr)  # no job
            else:
                enqueue_page_ocr(services, document_id, page.index)
    return pages.count


def enqueue_prepare(services: Services, document_id: str) -> None:
    queues.enqueue(
        prepare,
        (document_id,),
        queue_name=queues.INGEST,
        job_id=queues.prepare_job_id(document_id),
        redis=services.redis,
        settings=services.settings,
        on_failure=document_gave_up,
    )


def enqueue_recognition(services: Services, document_id: str, pages: list[int]) -> None:
    """One OCR job per page; the last one to end enqueues ``finalize``."""
    for index in pages:
        enqueue_page_ocr(services, document_id, index)
    finalize_if_last(services, document_id)


def enqueue_page_ocr(services: Services, document_id: str, index: int) -> None:
    queues.enqueue(
        ocr_page,
        (document_id, index),
        queue_name=queues.OCR,
        job_id=queues.ocr_job_id(document_id, index),
        redis=services.redis,
        settings=services.settings,
        on_failure=ocr_gave_up,
    )


def enqueue_finalize(services: Services, document_id: str) -> None:
    queues.enqueue(
        finalize,
        (document_id,),
        queue_name=queues.EXTRACT,
        job_id=queues.finalize_job_id(document_id),
        redis=services.redis,
        settings=services.settings,
        on_failure=document_gave_up,
    )


def ocr_page(document_id: str, index: int) -> None:
    """Draw one page (or take its stored image), reuse or read it, store its image and then its
    words; finalize if it was the last page. A permanent error fails the page at once (its
    document is still finished and reported)."""
    services = current_services()
    try:
        _ocr_page(services, document_id, index)
    except Exception as e:
        if is_transient(e):
            raise
        _, reason = permanent_failure(e, "reading the page")
        with transaction(services.sessions) as session:
            repository.finish_page(
                session, document_id, index, PageStatus.FAILED, error_reason=reason
            )
        finalize_if_last(services, document_id)


def _ocr_page(services: Services, document_id: str, index: int) -> None:
    with transaction(services.sessions) as session:
        row = repository.get_page(session, document_id, index)
        if row.status != PageStatus.PENDING:
            return
        image_key, dpi = row.image_key, row.dpi
        sha256, media_type = row.document.sha256, row.document.media_type or ""
        force_ocr = row.document.force_ocr
    if services.store.exists(image_key):  # drawn by ``prepare``, or by an earlier run
        with Image.open(io.BytesIO(services.store.get_bytes(image_key))) as image:
            image.load()
            page = PageImage(index=index, image=image, dpi=dpi)
    else:
        page = draw_page(services, sha256, media_type, index)
    words = read_or_reuse(services, document_id, page, force_ocr=force_ocr)
    put_page_image(services, image_key, page)
    store_page_words(services, document_id, page, words)
    finalize_if_last(services, document_id)


def finalize_if_last(services: Services, document_id: str, *, here: bool = False) -> None:
    """Finalize the document if every page of it has been read (or given up on).

    Called by each page job as it ends and by ``prepare`` once all pages are stored: whichever
    commits last sees every page done and enqueues ``finalize`` (both may; it is safe to run
    twice), or runs it ``here``, as ``prepare`` does when it read the pages itself (a one-page
    document, or text layers only) and a job would only fetch the same things again. rq
    dependencies were not used: they can miss a job that finishes while its dependent is
    being enqueued, leaving a document waiting forever.
    """
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        if document.status != DocumentStatus.RECOGNIZING:
            return
        if any(page.status == PageStatus.PENDING for page in document.pages):
            return
    if here:
        finalize(document_id)
    else:
        enqueue_finalize(services, document_id)


def ocr_gave_up(job: Job, connection: Redis, kind: type, error: BaseException, *_: Any) -> None:
    """rq's failure callback of ``ocr_page``: after the last attempt, the page is failed (with
    the reason) so that its document can still be finished and reported."""
    if job.should_retry:
        return
    document_id, index = job.args
    services = current_services()
    attempts = services.settings.job_retries + 1
    reason = f"OCR did not complete on this page after {attempts} attempts: {error}"
    with transaction(services.sessions) as session:
        repository.finish_page(session, document_id, index, PageStatus.FAILED, error_reason=reason)
    finalize_if_last(services, document_id)


def finalize(document_id: str) -> None:
    """Assemble the document's outputs once every page job has ended, queue the signing of its
    archival copy, then roll up its dossier."""
    _to_an_end(_finalize, document_id, _STAGES["finalize"])


def _finalize(services: Services, document_id: str) -> None:
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        dossier_id, status = document.dossier_id, document.status
    if status == DocumentStatus.RECOGNIZING:
        assemble_document(services, document_id)
    enqueue_signing(services, document_id, "read")
    rollup(services, dossier_id)


def give_up(services: Services, document_id: str, code: str, reason: str) -> None:
    """Fail the document for good (its original stays stored) and settle its dossier."""
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        dossier_id = document.dossier_id
        if document.status not in DOCUMENT_DONE:
            repository.fail_document(session, document_id, code, reason)
    log.warning("document %s failed: %s", document_id, reason)
    rollup(services, dossier_id)


def document_gave_up(
    job: Job, connection: Redis, kind: type, error: BaseException, *_: Any
) -> None:
    """rq's failure callback of ``prepare`` and ``finalize``: after the last attempt at a
    transient error, the document is failed instead of being left in progress."""
    if job.should_retry:
        return
    (document_id,) = job.args
    stage = _STAGES[(job.func_name or "").rsplit(".", 1)[-1]]
    services = current_services()
    give_up(services, document_id, *exhausted(stage, services.settings.job_retries + 1))


def rollup(services: Services, dossier_id: str) -> None:
    """Settle the dossier's status once all its documents are done.

    Called after every document ends (and after an upload) rather than as a job of its own:
    whichever document finishes last sees all of them done, and a second call changes nothing.
    """
    with transaction(services.sessions) as session:
        target = repository.settle_dossier(session, dossier_id)
    if target is not None:
        log.info("dossier %s is %s", dossier_id, target)
