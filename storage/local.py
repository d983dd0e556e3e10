"""``LocalStore``: the object store as a folder, the embedded default.

An object is a file at ``<root>/<key>``. Writes go to a temporary file in the same folder, are
fsynced and then renamed over the target, so a reader sees the old object or the new one, never
half of one, even when a worker is killed mid-write. The content type lives in a small sidecar,
``.<name>.meta.json`` next to the object; keys never have segments starting with a dot, so
neither sidecars nor temporary files can be mistaken for objects.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import tempfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from models.errors import NotFoundError, UnavailableError
from storage.objects import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONTENT_TYPE,
    ExactReader,
    ObjectInfo,
    validate_key,
)


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(
        self, key: str, stream: BinaryIO, length: int, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        return self._put(key, ExactReader(stream, length).chunks(), content_type)

    def put_bytes(
        self, key: str, data: bytes, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        return self._put(key, [data], content_type)

    def get_bytes(self, key: str) -> bytes:
        path = self._path(key)
        with _filesystem_errors(key):
            return path.read_bytes()

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        return self._open_chunks(key, chunk_size)

    def download(self, key: str, path: Path) -> None:
        chunks = self._open_chunks(key, DEFAULT_CHUNK_SIZE)
        try:
            with _filesystem_errors(key, reading=False):
                write_atomically(Path(path), chunks)
        finally:
            chunks.close()

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        with _filesystem_errors(key):
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                raise IsADirectoryError(path)  # a folder of other keys, not an object
            try:
                meta = json.loads(_meta_path(path).read_bytes())
            except FileNotFoundError:
                meta = {}
        return ObjectInfo(key, status.st_size, meta.get("content_type", DEFAULT_CONTENT_TYPE))

    def exists(self, key: str) -> bool:
        path = self._path(key)
        with _filesystem_errors(key):
            return path.is_file()

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path.is_dir():  # a folder of other keys: there is no object to delete
            return
        with _filesystem_errors(key):
            path.unlink(missing_ok=True)
            _meta_path(path).unlink(missing_ok=True)

    def check(self) -> None:
        """Ready when the root exists (created if needed) and a file can be written in it."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root):
                pass
        except OSError as e:
            raise UnavailableError(f"object folder {self.root} is not writable: {e}") from e

    def _put(self, key: str, chunks: Iterable[bytes], content_type: str) -> ObjectInfo:
        """The sidecar first, so that every object a reader can see has its content type."""
        path = self._path(key)
        meta_path = _meta_path(path)
        with _filesystem_errors(key, reading=False):
            write_atomically(meta_path, [_meta(content_type)])
            try:
                size = write_atomically(path, chunks)
            except BaseException:
                if not path.exists():  # a new key: leave nothing behind
                    meta_path.unlink(missing_ok=True)
                raise
        return ObjectInfo(key, size, content_type)

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _open_chunks(self, key: str, chunk_size: int) -> Generator[bytes, None, None]:
        """Opens the file now, so that a missing key raises before the first chunk is asked."""
        path = self._path(key)
        with _filesystem_errors(key):
            file = path.open("rb")
        return _read_chunks(key, file, chunk_size)


def write_atomically(path: Path, chunks: Iterable[bytes]) -> int:
    """Write to a temporary file next to ``path``, fsync, then rename it over ``path``.

    Whatever goes wrong, including an exception from ``chunks``, the temporary file is removed
    and ``path`` is left as it was. Returns the number of bytes written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp_name = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    # Not tempfile.mkstemp: its files are private (0600) whatever the umask, and the API and the
    # workers may run as different users of one group.
    fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        temp_name.unlink(missing_ok=True)
        raise
    return size


@contextmanager
def _filesystem_errors(key: str, *, reading: bool = True) -> Iterator[None]:
    """Convert file system errors at the boundary.

    Reading, a missing file means a missing object. Any other ``OSError`` is taken as transient
    (a full disk, a lost mount), also one from the caller's stream while writing: a local upload
    that cannot be read now may well be readable on the next try.
    """
    try:
        yield
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as e:
        if not reading:
            raise UnavailableError(f"object store cannot write {key!r}: {e}") from e
        raise NotFoundError(f"no object {key!r}", code="object_not_found") from e
    except OSError as e:
        raise UnavailableError(f"object store failed on {key!r}: {e}") from e


def _read_chunks(key: str, file: BinaryIO, chunk_size: int) -> Generator[bytes, None, None]:
    with file, _filesystem_errors(key):
        while chunk := file.read(chunk_size):
            yield chunk


def _meta_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.meta.json")


def _meta(content_type: str) -> bytes:
    return json.dumps({"content_type": content_type}).encode()
