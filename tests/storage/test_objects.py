"""The ``ObjectStore`` contract: one suite, run against ``LocalStore`` and ``S3Store`` alike."""

from __future__ import annotations

import io
import os
import socket
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from models.config import Settings
from models.errors import NotFoundError, UnavailableError
from storage.local import LocalStore
from storage.objects import (
    MEBIBYTE,
    ObjectStore,
    document_text_key,
    object_store,
    original_key,
    page_image_key,
    page_words_key,
)
from storage.s3 import S3Store

KEY = "documents/doc-1/text.txt"
BIG_SIZE = 12 * MEBIBYTE + 12345  # more than two S3 parts of TEST_PART_SIZE, not a multiple


class Boom(Exception):
    """Raised by a test stream; must come out of ``put`` unchanged."""


class RecordingStream(io.RawIOBase):
    """A stream that remembers the largest read asked of it, and can fail after some bytes."""

    def __init__(self, source: BinaryIO, fail_after: int | None = None) -> None:
        self._source = source
        self._fail_after = fail_after
        self.position = 0
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.largest_read = max(self.largest_read, size)
        if self._fail_after is not None and self.position >= self._fail_after:
            raise Boom("the stream broke")
        data = self._source.read(size)
        self.position += len(data)
        return data


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "upload.bin"
    path.write_bytes(os.urandom(BIG_SIZE))
    return path


def test_put_bytes_round_trip(store: ObjectStore) -> None:
    info = store.put_bytes(KEY, "Số hóa hồ sơ".encode(), "text/plain; charset=utf-8")

    assert info.key == KEY
    assert store.stat(KEY) == info
    assert info.size == len("Số hóa hồ sơ".encode())
    assert store.get_bytes(KEY) == "Số hóa hồ sơ".encode()


def test_put_streams_a_large_file_in_pieces(store: ObjectStore, big_file: Path) -> None:
    with big_file.open("rb") as file:
        stream = RecordingStream(file)
        info = store.put("originals/big", stream, BIG_SIZE, "application/pdf")

    assert info.size == BIG_SIZE
    assert store.stat("originals/big").size == BIG_SIZE
    # Never the whole stream at once; for S3 one multipart part at most (5 MiB in conftest).
    assert 0 < stream.largest_read <= 5 * MEBIBYTE


def test_iter_chunks_yields_the_same_bytes(store: ObjectStore, big_file: Path) -> None:
    with big_file.open("rb") as file:
        store.put("originals/big", file, BIG_SIZE)

    chunks = list(store.iter_chunks("originals/big", chunk_size=MEBIBYTE))

    assert b"".join(chunks) == big_file.read_bytes()
    assert len(chunks) > 1
    assert all(len(chunk) <= MEBIBYTE for chunk in chunks)


def test_download_to_a_path(store: ObjectStore, big_file: Path, tmp_path: Path) -> None:
    with big_file.open("rb") as file:
        store.put("originals/big", file, BIG_SIZE)
    target = tmp_path / "work" / "nested" / "original.pdf"

    store.download("originals/big", target)

    assert target.read_bytes() == big_file.read_bytes()
    assert os.listdir(target.parent) == ["original.pdf"]


def test_exists_and_delete(store: ObjectStore) -> None:
    assert not store.exists(KEY)
    store.put_bytes(KEY, b"text")
    assert store.exists(KEY)

    store.delete(KEY)

    assert not store.exists(KEY)
    store.delete(KEY)  # a missing key is not an error


def test_missing_object_is_not_found(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as raised:
        store.stat(KEY)
    assert raised.value.code == "object_not_found"
    with pytest.raises(NotFoundError):
        store.get_bytes(KEY)
    with pytest.raises(NotFoundError):
        store.iter_chunks(KEY)  # raises before the first chunk is asked for
    with pytest.raises(NotFoundError):
        store.download(KEY, tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def test_a_folder_of_keys_is_not_an_object(store: ObjectStore) -> None:
    store.put_bytes(page_image_key("doc-1", 1), b"png")

    assert not store.exists("documents/doc-1")
    with pytest.raises(NotFoundError):
        store.stat("documents/doc-1/pages")
    store.delete("documents/doc-1/pages")
    assert store.exists(page_image_key("doc-1", 1))


def test_overwriting_a_key_is_idempotent(store: ObjectStore) -> None:
    first = store.put_bytes(KEY, b"same")
    second = store.put_bytes(KEY, b"same")
    assert first == second == store.stat(KEY)

    store.put_bytes(KEY, b"replaced, longer")

    assert store.get_bytes(KEY) == b"replaced, longer"
    assert store.stat(KEY).size == len(b"replaced, longer")


def test_content_type_is_kept(store: ObjectStore) -> None:
    store.put_bytes("documents/d/pages/1.png", b"\x89PNG", "image/png")
    store.put("documents/d/searchable.pdf", io.BytesIO(b"%PDF"), 4, "application/pdf")
    store.put_bytes("documents/d/ocr/1.json", b"{}")

    assert store.stat("documents/d/pages/1.png").content_type == "image/png"
    assert store.stat("documents/d/searchable.pdf").content_type == "application/pdf"
    assert store.stat("documents/d/ocr/1.json").content_type == "application/octet-stream"


def test_an_empty_object(store: ObjectStore) -> None:
    assert store.put("documents/d/text.txt", io.BytesIO(b""), 0).size == 0
    assert store.get_bytes("documents/d/text.txt") == b""


@pytest.mark.parametrize(
    "key",
    ["", "../escape", "documents/../../etc/passwd", "/etc/passwd", "documents//1.png",
     "documents\\1.png", "documents/./1.png", "documents/.1.png.meta.json", "trailing/"],
)  # fmt: skip
def test_keys_that_could_escape_are_rejected(store: ObjectStore, key: str) -> None:
    with pytest.raises(ValueError):
        store.put_bytes(key, b"x")
    with pytest.raises(ValueError):
        store.get_bytes(key)
    with pytest.raises(ValueError):
        store.exists(key)
    with pytest.raises(ValueError):
        store.delete(key)


def test_a_failing_stream_leaves_no_partial_object(store: ObjectStore, big_file: Path) -> None:
    store.put_bytes("originals/old", b"old content")
    with big_file.open("rb") as file, pytest.raises(Boom):
        store.put("originals/old", RecordingStream(file, fail_after=6 * MEBIBYTE), BIG_SIZE)
    with big_file.open("rb") as file, pytest.raises(Boom):
        store.put("originals/new", RecordingStream(file, fail_after=6 * MEBIBYTE), BIG_SIZE)

    assert store.get_bytes("originals/old") == b"old content"
    assert not store.exists("originals/new")


def test_a_stream_shorter_than_its_length_is_refused(store: ObjectStore) -> None:
    with pytest.raises(ValueError, match="stream ended"):
        store.put(KEY, io.BytesIO(b"short"), 10)

    assert not store.exists(KEY)


def test_check_passes_when_reachable(store: ObjectStore) -> None:
    store.check()


def test_object_keys() -> None:
    sha = "ab" * 32
    assert original_key(sha) == f"originals/{sha}"
    assert page_image_key("d1", 3) == "documents/d1/pages/3.png"
    assert page_words_key("d1", 3) == "documents/d1/ocr/3.json"
    assert document_text_key("d1") == "documents/d1/text.txt"


@pytest.mark.parametrize(
    "make_key",
    [
        lambda: original_key("not-a-hash"),
        lambda: page_image_key("../other", 1),
        lambda: page_words_key("d1", 0),
        lambda: document_text_key(""),
    ],
)
def test_object_keys_refuse_bad_parts(make_key: object) -> None:
    with pytest.raises(ValueError):
        make_key()  # type: ignore[operator]


def test_an_unreachable_s3_endpoint_is_unavailable_quickly() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = S3Store(f"127.0.0.1:{port}", "testing", "testing", "sohoa")

    started = time.monotonic()
    with pytest.raises(UnavailableError) as raised:
        store.check()
    with pytest.raises(UnavailableError):
        store.put_bytes(KEY, b"x")

    assert time.monotonic() - started < 10
    assert raised.value.retryable


def test_local_store_leaves_no_temporary_files(tmp_path: Path, big_file: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    with big_file.open("rb") as file:
        store.put("originals/big", file, BIG_SIZE)
    with big_file.open("rb") as file, pytest.raises(Boom):
        store.put("originals/new", RecordingStream(file, fail_after=MEBIBYTE), BIG_SIZE)

    names = sorted(path.name for path in (tmp_path / "objects").rglob("*") if path.is_file())
    assert names == [".big.meta.json", "big"]


def test_resolver_picks_the_store(tmp_path: Path) -> None:
    local = object_store(Settings(data_dir=tmp_path, s3_endpoint=None))
    remote = object_store(Settings(data_dir=tmp_path, s3_endpoint="127.0.0.1:9", s3_bucket="b"))

    assert isinstance(local, LocalStore)
    assert local.root == tmp_path / "objects"
    assert isinstance(remote, S3Store)
    assert remote.bucket == "b"


def test_local_objects_follow_the_umask(tmp_path: Path) -> None:
    """Readable by the group when the umask says so: the API and workers may be other users."""
    umask = os.umask(0o022)
    os.umask(umask)
    store = LocalStore(tmp_path / "objects")
    store.put_bytes(KEY, b"text")

    mode = (tmp_path / "objects" / KEY).stat().st_mode & 0o777
    assert mode == 0o666 & ~umask
