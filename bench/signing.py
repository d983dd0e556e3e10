"""What signing the archival copy costs, per document and as a share of its whole processing.

Generated dossiers (``samples``: applications, cards, registrations and birth records, one or
two scanned pages each) are received and processed by one in-process burst worker on embedded
defaults (SQLite, a local store, a private Redis) with a demonstration agency's key. Each
document's processing is the time its jobs ran (prepare, each page's OCR, finalize), read from
rq's job records; its signing is the time of its signing job (the searchable PDF made PDF/A-2b
and signed, PAdES B-B, ECDSA P-256, no timestamp authority), and, apart, the time to sign a
second version after a correction (the searchable PDF drawn again with the corrected words).
Then the bytes the store's ``documents/`` holds per byte of the originals, against what it held
when every page image and a searchable PDF were stored too.

    .venv/bin/python -m bench.signing [--dossiers 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr
from rq.exceptions import NoSuchJobError

from api.demo_agency import write_agency_credentials
from ingest import queues
from ingest.client import find_dossiers
from ingest.current_copy import current_copy, draw_copy
from ingest.intake import IncomingFile, receive_dossier
from ingest.page_images import page_image
from ingest.redis_server import stop_private_redis
from ingest.services import Services, use_services
from ingest.signed_copies import sign_copy, sign_job_id
from ingest.worker import prepare_environment
from models.config import Settings
from models.status import DOCUMENT_READ, FieldStatus, Resolution
from models.tables import Document, ExtractedField, ReviewTask
from samples import write_sample_dossiers
from storage import repository
from storage.database import transaction


def job_seconds(services: Services, job_id: str) -> float:
    """How long a finished job ran; 0 for one that never ran (finalize run inside prepare)."""
    try:
        job = queues.fetch(job_id, services.redis)
    except NoSuchJobError:
        return 0.0
    if job.started_at is None or job.ended_at is None:
        return 0.0
    return (job.ended_at - job.started_at).total_seconds()


def processing_seconds(services: Services, document: Document) -> float:
    ids = [queues.prepare_job_id(document.id), queues.finalize_job_id(document.id)]
    ids += [queues.ocr_job_id(document.id, page.index) for page in document.pages]
    return sum(job_seconds(services, job_id) for job_id in ids)


def receive(services: Services, samples: Path) -> None:
    for folder in find_dossiers(samples, "unknown", "bench"):
        new = repository.NewDossier(folder.receipt_code, folder.procedure_code, folder.agency)
        streams = [path.open("rb") for path in folder.files]
        try:
            files = [IncomingFile(p.name, s) for p, s in zip(folder.files, streams, strict=True)]
            receive_dossier(services, new, files)
        finally:
            for stream in streams:
                stream.close()


def correction_seconds(services: Services, document_id: str) -> float | None:
    """Time to sign a second version once the document's first located field is corrected
    (recorded as an operator's correction straight in SQL); None when it has no such field."""
    with transaction(services.sessions) as session:
        query = session.query(ExtractedField).filter(
            ExtractedField.document_id == document_id, ExtractedField.page.is_not(None)
        )
        field = query.order_by(ExtractedField.id).first()
        if field is None or field.value is None:
            return None
        task = session.query(ReviewTask).filter_by(field_id=field.id).one_or_none()
        if task is None:
            document = repository.get_document(session, document_id)
            task = ReviewTask(
                field_id=field.id, document_id=document_id, dossier_id=document.dossier_id,
                document_type=field.document_type, field_name=field.name,
            )  # fmt: skip
            session.add(task)
        task.closed, task.resolution = True, Resolution.CORRECTED
        field.value, field.status = f"{field.value} X", FieldStatus.VERIFIED
    started = time.perf_counter()
    copy = sign_copy(services, document_id)
    elapsed = time.perf_counter() - started
    if copy is None or copy.version != 2:
        raise RuntimeError(f"document {document_id}: the correction was not signed as version 2")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-sign-") as temporary:
        folder = Path(temporary)
        agency = write_agency_credentials(folder / "agency")
        settings = Settings(
            data_dir=folder / "data",
            signing_pkcs12=agency.pkcs12,
            signing_pkcs12_password=SecretStr(agency.password),
            _env_file=None,  # type: ignore[call-arg]
        )
        prepare_environment(settings)
        services = Services.from_settings(settings)
        use_services(services)
        try:
            write_sample_dossiers(folder / "samples", seed=args.seed, count=args.dossiers)
            receive(services, folder / "samples")
            worker = queues.worker(queues.ALL_QUEUES, services.redis, settings)
            worker.work(burst=True, logging_level="WARNING")
            report(services)
        finally:
            use_services(None)
            services.engine.dispose()
            stop_private_redis(settings.redis_socket)


def report(services: Services) -> None:
    with transaction(services.sessions) as session:
        documents = [d for d in session.query(Document).all() if d.status in DOCUMENT_READ]
        rows = []
        for document in documents:
            processing = processing_seconds(services, document)
            signing = job_seconds(services, sign_job_id(document.id, "read"))
            rows.append((document.filename, len(document.pages), processing, signing, document.id))
    print(f"{'document':<34} pages  processing  signing  share")
    for name, pages, processing, signing, _ in rows:
        share = signing / (processing + signing)
        print(f"{name:<34} {pages:>5} {processing:>10.2f}s {signing:>7.3f}s {share:>6.1%}")
    processing = sum(row[2] for row in rows)
    signing = sum(row[3] for row in rows)
    print(
        f"{len(rows)} documents: signing {statistics.median(r[3] for r in rows):.3f} s median "
        f"({min(r[3] for r in rows):.3f}-{max(r[3] for r in rows):.3f}), "
        f"{signing / (processing + signing):.1%} of all processing ({signing:.2f} of "
        f"{processing + signing:.2f} s)"
    )
    print_storage(services, [row[4] for row in rows])
    seconds = [s for s in (correction_seconds(services, row[4]) for row in rows) if s is not None]
    if seconds:
        print(
            f"a second version after a correction: {statistics.median(seconds):.3f} s median "
            f"({min(seconds):.3f}-{max(seconds):.3f}) over {len(seconds)} documents"
        )


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def print_storage(services: Services, document_ids: list[str]) -> None:
    """The store's ``documents/`` per byte of the originals, as it is, and as it was when every
    page image and a searchable PDF were stored beside the signed copy (drawn here to be
    weighed: the page images not kept, and the searchable PDF)."""
    objects = services.settings.objects_dir
    originals, kept = folder_bytes(objects / "originals"), folder_bytes(objects / "documents")
    dropped = 0
    with transaction(services.sessions) as session:
        for document_id in document_ids:
            document = repository.get_document(session, document_id)
            pages = list(document.pages)
            for page in pages:
                if not services.store.exists(page.image_key):
                    dropped += len(page_image(services, page).data)
            current = current_copy(session, document)
            with tempfile.TemporaryDirectory(prefix="sohoa-bench-pdf-") as temporary:
                out = Path(temporary) / "searchable.pdf"
                draw_copy(services, current, current.words(services), out)
                dropped += out.stat().st_size
    print(
        f"bytes stored per original byte ({originals} bytes of originals): documents/ "
        f"{kept / originals:.2f}; with every page image and a searchable PDF kept too, as "
        f"before: {(kept + dropped) / originals:.2f}"
    )


if __name__ == "__main__":
    main()
