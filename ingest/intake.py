"""Receiving a dossier's files: hash, sniff, store the originals, write rows, then enqueue.

The bytes are read in chunks from a seekable stream (the upload's spooled temporary file), never
held whole in memory. Originals are stored under their SHA-256 before any row points at them,
and the work is enqueued only after the rows are committed, so a worker never sees a document
whose bytes or row are missing. A file that can never be processed is still stored and gets a
failed document with the reason, and the dossier's other files carry on; only a file refused for
its size is not stored whole: its first block is kept, for the record, and the reason says so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from ingest import jobs
from ingest.fingerprint import Fingerprint, fingerprint
from ingest.services import Services
from ingest.sniff import sniff_media_type
from models.errors import RejectedFileError
from models.status import DocumentStatus, DossierStatus
from models.tables import Document, Dossier
from storage import repository
from storage.database import transaction
from storage.objects import original_key, refused_head_key

FILE_TOO_LARGE = "file_too_large"
KEPT_OF_TOO_LARGE = 64 * 1024
"""Bytes kept of a file refused for its size: enough to tell what it was."""


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    stream: BinaryIO  # seekable


@dataclass(frozen=True)
class ReceivedDocument:
    document: Document
    duplicate: bool


def clean_filename(filename: str) -> str:
    """The file's own name without any folder a client sent along, control characters (a NUL
    would reach SQL) and unpaired surrogates (non-UTF-8 bytes) removed, NFC, at most 255
    characters."""
    printable = "".join(c for c in filename if unicodedata.category(c) not in ("Cc", "Cs"))
    name = PurePath(unicodedata.normalize("NFC", printable).replace("\\", "/")).name.strip()
    return (name or "unnamed")[:255]


def screen(print_: Fingerprint, max_bytes: int) -> tuple[str | None, RejectedFileError | None]:
    """The sniffed media type, or why the file can never be processed."""
    if print_.size > max_bytes:
        limit = max_bytes // (1024 * 1024)
        return None, RejectedFileError(
            f"the file is {print_.size / 1024 / 1024:.1f} MiB, over the {limit} MiB limit; "
            "split it into smaller files or scan at a lower resolution (only its first "
            f"{KEPT_OF_TOO_LARGE // 1024} KiB are kept, for the record)",
            code=FILE_TOO_LARGE,
        )
    try:
        return sniff_media_type(print_.head), None
    except RejectedFileError as e:
        return None, e


def store_original(
    services: Services, print_: Fingerprint, stream: BinaryIO, media: str, *, whole: bool
) -> None:
    """The bytes under their hash; of a file refused for its size, its first block only."""
    if not whole:
        head = stream.read(KEPT_OF_TOO_LARGE)
        services.store.put_bytes(refused_head_key(print_.sha256), head, media)
        return
    key = original_key(print_.sha256)
    if not services.store.exists(key):
        services.store.put(key, stream, print_.size, media)


def receive_dossier(
    services: Services,
    new: repository.NewDossier,
    files: list[IncomingFile],
    *,
    force_ocr: bool = False,
    results: bool = False,
) -> tuple[Dossier, list[ReceivedDocument]]:
    """Store and record every file of one upload, then enqueue what needs processing.

    ``force_ocr`` reads every page by OCR, ignoring text layers (for PDFs whose text layer is
    known to be wrong in a way the garbage check cannot see). ``results`` marks the files as
    what the agency issued for the dossier, read like the papers handed in.
    """
    staged: list[tuple[IncomingFile, Fingerprint, str | None, RejectedFileError | None]] = []
    for incoming in files:
        print_ = fingerprint(incoming.stream)
        media_type, rejection = screen(print_, services.settings.max_upload_bytes)
        whole = rejection is None or rejection.code != FILE_TOO_LARGE
        media = media_type or "application/octet-stream"
        store_original(services, print_, incoming.stream, media, whole=whole)
        staged.append((incoming, print_, media_type, rejection))

    received: list[ReceivedDocument] = []
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(session, new)
        for incoming, print_, media_type, rejection in staged:
            document, is_new = repository.add_document(
                session,
                Document(
                    dossier_id=dossier.id,
                    sha256=print_.sha256,
                    filename=clean_filename(incoming.filename),
                    media_type=media_type,
                    size_bytes=print_.size,
                    force_ocr=force_ocr,
                    is_result=results,
                    status=DocumentStatus.FAILED if rejection else DocumentStatus.RECEIVED,
                    error_code=rejection.code if rejection else None,
                    error_reason=rejection.message if rejection else None,
                ),
            )
            received.append(ReceivedDocument(document=document, duplicate=not is_new))
        if any(not item.duplicate for item in received):
            repository.move_dossier(session, dossier.id, DossierStatus.PROCESSING)
    enqueue_received(services, [item.document for item in received])
    jobs.rollup(services, dossier.id)
    with transaction(services.sessions) as session:
        return repository.get_dossier(session, dossier.id), received


def enqueue_received(services: Services, documents: list[Document]) -> None:
    """Enqueue ``prepare`` for documents not yet started (a retried upload enqueues again)."""
    for document in documents:
        if document.status == DocumentStatus.RECEIVED:
            jobs.enqueue_prepare(services, document.id)
