"""Signing a document's archival copy: the searchable PDF as PDF/A-2b, signed by the agency.

A copy is signed by a job of its own on the ``extract`` queue, never in a request: once
``finalize`` has read the document, and again once its review closes. The job signs the text
layer as it stands then (the words read, with each field an operator corrected laid in, see
``ocr.corrections``) and records it as the next version, unless the latest version already
carries exactly these words: so a job run twice, or a review that only accepted what was read,
adds nothing, and a correction never changes a copy already signed.

Each version is the searchable PDF as it stands (``ingest.current_copy``), drawn from the
original and the words, made archival and signed: the original's page objects are kept byte for
byte (a PDF original's images included) and none of its active content.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pikepdf

from ingest import queues
from ingest.agency_key import AgencyKey, certificate_pem
from ingest.assembly import put_file
from ingest.current_copy import current_copy, draw_copy
from ingest.endings import is_transient
from ingest.fingerprint import fingerprint
from ingest.pades import PRODUCER, field_name, sign_pdf
from ingest.services import Services, current_services
from models.status import DOCUMENT_READ
from models.tables import Document, SignedCopy
from ocr.archival_pdf import CopyIdentity, archive
from ocr.words import PageText
from storage import repository, signed_copies
from storage.database import transaction
from storage.objects import signed_copy_key

log = logging.getLogger(__name__)

CREATOR = "sohoa"


def sign_job_id(document_id: str, stage: str) -> str:
    """One job after reading and one after review, so that neither hides the other."""
    return f"sign-{document_id}-{stage}"


def enqueue_signing(services: Services, document_id: str, stage: str) -> None:
    """Queue the signing of the document's copy; nothing when no signing key is configured."""
    if services.agency_key is None:
        return
    queues.enqueue(
        sign_document,
        (document_id,),
        queue_name=queues.EXTRACT,
        job_id=sign_job_id(document_id, stage),
        redis=services.redis,
        settings=services.settings,
    )


def sign_document(document_id: str) -> None:
    """The rq job: a transient error is raised for rq to retry; any other is logged, and the
    document stays digitized, with the versions it had."""
    services = current_services()
    try:
        sign_copy(services, document_id)
    except Exception as e:
        if is_transient(e):
            raise
        log.exception("document %s could not be signed", document_id)


def sign_copy(services: Services, document_id: str) -> SignedCopy | None:
    """Sign the document's current text layer as a new version, if it differs from the latest
    version's; returns the latest version (None when signing is not configured or the document
    is not read)."""
    key = services.agency_key
    if key is None:
        return None
    with transaction(services.sessions) as session:
        # The latest version is read before the fields, so that a version another job records
        # meanwhile is never one with older corrections than those read here.
        latest = signed_copies.latest(session, document_id)
        document = repository.get_document(session, document_id)
        if document.status not in DOCUMENT_READ:
            return latest
        identity = _identity(document, 1 if latest is None else latest.version + 1)
        current = current_copy(session, document)
    words = current.words(services)
    text_sha256 = _words_digest(words)
    if latest is not None and latest.text_sha256 == text_sha256:
        return latest
    with tempfile.TemporaryDirectory(prefix="sohoa-sign-") as temporary:
        folder = Path(temporary)
        searchable = folder / "searchable.pdf"
        draw_copy(services, current, words, searchable)
        copy = _signed(services, key, searchable, identity, folder)
        copy.text_sha256 = text_sha256
        put_file(services, copy.object_key, folder / "signed.pdf", "application/pdf")
    with transaction(services.sessions) as session:
        signed_copies.add(session, copy)
    log.info("document %s signed as version %d", document_id, copy.version)
    return copy


def _signed(
    services: Services, key: AgencyKey, searchable: Path, identity: CopyIdentity, folder: Path
) -> SignedCopy:
    """Make ``searchable`` archival, sign it into ``folder/signed.pdf``; its row, unsaved."""
    at = datetime.now(UTC)
    archival_file = folder / "archival.pdf"
    with pikepdf.open(searchable) as pdf:
        archival = archive(pdf, identity, creator=CREATOR, producer=PRODUCER, at=at)
        # PDF 1.7 is the base of PDF/A-2 and of PAdES; streams are copied as they are.
        pdf.save(
            archival_file, min_version="1.7", stream_decode_level=pikepdf.StreamDecodeLevel.none
        )
    for obstacle in archival.obstacles:
        log.info("document %s is not PDF/A: %s", identity.document_id, obstacle)
    out = folder / "signed.pdf"
    name = field_name(identity.document_id, identity.version)
    sign_pdf(archival_file, out, key, name=name, location=services.settings.signing_location)
    with out.open("rb") as stream:
        signed = fingerprint(stream)
    return SignedCopy(
        document_id=identity.document_id,
        version=identity.version,
        object_key=signed_copy_key(identity.document_id, identity.version, signed.sha256),
        sha256=signed.sha256,
        size_bytes=signed.size,
        pdfa=archival.conformance,
        certificate_sha256=key.fingerprint,
        certificate_subject=key.certificate.subject.human_friendly,
        certificate_pem=certificate_pem(key.certificate),
        timestamped=key.timestamper is not None,
        signed_at=at,
    )


def _identity(document: Document, version: int) -> CopyIdentity:
    return CopyIdentity(
        document_id=document.id,
        dossier_id=document.dossier_id,
        receipt_code=document.dossier.receipt_code,
        version=version,
        title=document.filename,
    )


def _words_digest(words: list[PageText]) -> str:
    body = json.dumps([text.to_json() for text in words], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()
