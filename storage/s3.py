"""``S3Store``: the object store on MinIO or any S3-compatible service, through the ``minio`` SDK.

This is the only module that imports ``minio``. It converts the SDK's errors at the boundary:
a missing object becomes ``NotFoundError``; a refused connection, a timeout, an exhausted retry
or any other answer of the server becomes ``UnavailableError`` (retryable), so that a job backs
off and tries again while the store is down.

The SDK's own HTTP pool would wait five minutes to connect and retry five times; ours gives up
within seconds, so that ``/readyz`` and a job both learn quickly that the store is away.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error
from urllib3.exceptions import HTTPError
from urllib3.response import BaseHTTPResponse

from models.errors import NotFoundError, UnavailableError
from storage.local import write_atomically
from storage.objects import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONTENT_TYPE,
    MEBIBYTE,
    ExactReader,
    ObjectInfo,
    validate_key,
)

CONNECT_TIMEOUT_SECONDS = 2.0
READ_TIMEOUT_SECONDS = 60.0  # between two packets, not for a whole transfer
RETRIES = 2  # after the first attempt; worst case about 3 x CONNECT_TIMEOUT_SECONDS in all
# Bytes per part of a multipart upload, which an upload holds in memory. S3 allows 5 MiB to
# 5 GiB and 10,000 parts.
DEFAULT_PART_SIZE = 16 * MEBIBYTE
# Parts are sent one after the other. With the SDK's parallel uploads, a stream that fails
# midway leaves its upload threads running: they send parts after the upload was aborted, and
# they are never stopped. Parallelism comes from many workers instead.
PARALLEL_UPLOADS = 1

_NOT_FOUND_CODES = frozenset({"NoSuchKey", "NoSuchObject"})
_BUCKET_EXISTS_CODES = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})


class S3Store:
    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = False,
        region: str | None = None,
        *,
        part_size: int = DEFAULT_PART_SIZE,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    ) -> None:
        self.bucket = bucket
        self.part_size = part_size
        self._client = Minio(
            endpoint,
            access_key=access_key or None,
            secret_key=secret_key or None,
            secure=secure,
            region=region,
            http_client=_http_pool(connect_timeout),
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing; safe when another process creates it meanwhile."""
        with self._errors(self.bucket):
            if self._client.bucket_exists(self.bucket):
                self._bucket_ready = True
                return
            try:
                self._client.make_bucket(self.bucket)
            except S3Error as e:
                if e.code not in _BUCKET_EXISTS_CODES:
                    raise
        self._bucket_ready = True

    def put(
        self, key: str, stream: BinaryIO, length: int, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        self._ready()
        with self._errors(key):
            self._client.put_object(
                self.bucket,
                validate_key(key),
                ExactReader(stream, length),  # type: ignore[arg-type]
                length,
                content_type=content_type,
                part_size=self.part_size,
                num_parallel_uploads=PARALLEL_UPLOADS,
            )
        return ObjectInfo(key, length, content_type)

    def put_bytes(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        return self.put(key, BytesIO(data), len(data), content_type)

    def get_bytes(self, key: str) -> bytes:
        return b"".join(self._open_chunks(key, DEFAULT_CHUNK_SIZE))

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        return self._open_chunks(key, chunk_size)

    def download(self, key: str, path: Path) -> None:
        chunks = self._open_chunks(key, DEFAULT_CHUNK_SIZE)
        try:
            write_atomically(Path(path), chunks)
        except OSError as e:
            raise UnavailableError(f"cannot write {key!r} to {path}: {e}") from e
        finally:
            chunks.close()

    def stat(self, key: str) -> ObjectInfo:
        self._ready()
        with self._errors(key):
            info = self._client.stat_object(self.bucket, validate_key(key))
        return ObjectInfo(key, info.size or 0, info.content_type or DEFAULT_CONTENT_TYPE)

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except NotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        self._ready()
        with self._errors(key):
            self._client.remove_object(self.bucket, validate_key(key))

    def check(self) -> None:
        """A real round trip every time (a cached answer would hide an outage)."""
        self.ensure_bucket()

    def _ready(self) -> None:
        """Ensure the bucket once per store, on first use, so that building a store never fails."""
        if self._bucket_ready:
            return
        with self._bucket_lock:
            if not self._bucket_ready:
                self.ensure_bucket()

    def _open_chunks(self, key: str, chunk_size: int) -> Generator[bytes, None, None]:
        """Sends the request now, so that a missing key raises before the first chunk is asked."""
        self._ready()
        with self._errors(key):
            response = self._client.get_object(self.bucket, validate_key(key))
        return self._read_chunks(key, response, chunk_size)

    def _read_chunks(
        self, key: str, response: BaseHTTPResponse, chunk_size: int
    ) -> Generator[bytes, None, None]:
        try:
            with self._errors(key):
                yield from response.stream(chunk_size)
        finally:
            response.close()
            response.release_conn()

    @contextmanager
    def _errors(self, key: str) -> Iterator[None]:
        """Convert the SDK's errors at the boundary; any failure but a missing key is transient."""
        try:
            yield
        except S3Error as e:
            if e.code in _NOT_FOUND_CODES:
                raise NotFoundError(f"no object {key!r}", code="object_not_found") from e
            if e.code == "NoSuchBucket":
                self._bucket_ready = False  # deleted behind our back: create it on the next call
            raise UnavailableError(f"object store refused {key!r}: {e.code} {e.message}") from e
        except (MinioException, HTTPError) as e:
            raise UnavailableError(f"object store unreachable for {key!r}: {e}") from e
        except OSError as e:
            # Also a failed read of the caller's stream: as in LocalStore, taken as transient.
            raise UnavailableError(f"object store transfer failed for {key!r}: {e}") from e


def _http_pool(connect_timeout: float) -> urllib3.PoolManager:
    """The SDK's pool settings, with a short connect timeout and few retries."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect_timeout, read=READ_TIMEOUT_SECONDS),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(
            total=RETRIES, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]
        ),
    )
