"""The object store: where originals, page images, OCR layers and searchable PDFs live.

One ``ObjectStore`` protocol, two implementations, one resolver: ``LocalStore`` (a folder, the
embedded default) and ``S3Store`` (MinIO or any S3-compatible store, through the ``minio`` SDK).
Callers depend on the protocol only, so a job runs unchanged on one laptop or on a fleet.

Keys are deterministic (built by the ``*_key`` functions below) so that a job run twice writes
the same objects again instead of new ones. Every implementation raises only the sohoa tree:
``NotFoundError`` for a missing key, ``UnavailableError`` (retryable) when the store cannot be
reached or written; ``ValueError`` is kept for bugs in our own code (a malformed key, a stream
shorter than the length it was announced with).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from models.config import Settings

MEBIBYTE = 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"
DEFAULT_CHUNK_SIZE = MEBIBYTE  # bytes per chunk of a streamed read or copy

# A segment may not start with a dot: this rules out "." and "..", and leaves names starting
# with a dot free for LocalStore's temporary files and content-type sidecars.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int  # bytes
    content_type: str


class ObjectStore(Protocol):
    def put(
        self, key: str, stream: BinaryIO, length: int, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        """Store exactly ``length`` bytes read from ``stream``, never all of them in memory."""
        ...

    def put_bytes(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo: ...

    def get_bytes(self, key: str) -> bytes:
        """For small objects only (words JSON, text): the whole object is held in memory."""
        ...

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Open now (a missing key raises here, before an HTTP response starts), read lazily.

        Iterate to the end or ``close()`` the iterator to release the file or connection.
        """
        ...

    def download(self, key: str, path: Path) -> None:
        """Copy to a local file (rasterising needs a path), streamed and atomic."""
        ...

    def stat(self, key: str) -> ObjectInfo: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """A missing key is not an error, so that cleanup can run twice."""
        ...

    def check(self) -> None:
        """Raise ``UnavailableError`` unless the store can be used now (for ``/readyz``)."""
        ...


def validate_key(key: str) -> str:
    """Refuse a key that could escape the store's root or mean different things to each store.

    Keys come from our own code, so a bad one is a bug: ``ValueError``, not ``InputError``.
    """
    if not key or not all(_SEGMENT.fullmatch(segment) for segment in key.split("/")):
        raise ValueError(f"invalid object key: {key!r}")
    return key


def original_key(sha256: str) -> str:
    """Content-addressed, so the same upload twice is stored once."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return f"originals/{sha256}"


def refused_head_key(sha256: str) -> str:
    """The first block of a file refused for its size: all that is kept of it, for the record."""
    return f"refused/{original_key(sha256).removeprefix('originals/')}/head"


def page_image_key(document_id: str, page: int, suffix: str = "png") -> str:
    """``suffix`` is the image's format: PNG when we wrote it, the scan's own (jpg) when kept."""
    return validate_key(f"documents/{document_id}/pages/{_page(page)}.{suffix}")


def page_words_key(document_id: str, page: int) -> str:
    return validate_key(f"documents/{document_id}/ocr/{_page(page)}.json")


def page_layer_words_key(document_id: str, page: int) -> str:
    """A scanned page's text layer, kept from ``prepare`` until its OCR job reads the image."""
    return validate_key(f"documents/{document_id}/ocr/{_page(page)}.layer.json")


def page_image_words_key(document_id: str, page: int) -> str:
    """OCR of a scanned page's image, kept beside its text layer to check the layer against."""
    return validate_key(f"documents/{document_id}/ocr/{_page(page)}.image.json")


def document_text_key(document_id: str) -> str:
    return validate_key(f"documents/{document_id}/text.txt")


def signed_copy_key(document_id: str, version: int, sha256: str) -> str:
    """A signed version is never overwritten: a correction is signed as the next version, and
    the file's own SHA-256 in its key keeps two signings that raced for one number apart (the
    database records one of them)."""
    return validate_key(f"documents/{document_id}/signed/{_page(version)}-{sha256}.pdf")


def _page(page: int) -> int:
    if page < 1:
        raise ValueError(f"pages are numbered from 1, not {page}")
    return page


def object_store(settings: Settings) -> ObjectStore:
    """The store the settings ask for: S3 when an endpoint is set, else a local folder."""
    # Imported here: the implementations import this module, and minio is only loaded when used.
    if settings.s3_endpoint:
        from storage.s3 import S3Store

        return S3Store(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key.get_secret_value(),
            settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
    from storage.local import LocalStore

    return LocalStore(settings.objects_dir)


class ExactReader:
    """Reads exactly ``length`` bytes from a stream, and fails loudly if it ends early.

    A short stream would otherwise become a truncated object that looks complete.
    """

    def __init__(self, stream: BinaryIO, length: int) -> None:
        if length < 0:
            raise ValueError(f"length must be known and not negative, not {length}")
        self._stream = stream
        self._remaining = length

    def read(self, size: int = -1) -> bytes:
        if self._remaining == 0:
            return b""
        wanted = self._remaining if size < 0 else min(size, self._remaining)
        data = self._stream.read(wanted)
        if not data:
            raise ValueError(f"stream ended {self._remaining} bytes before its announced length")
        self._remaining -= len(data)
        return data

    def chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        while chunk := self.read(chunk_size):
            yield chunk
