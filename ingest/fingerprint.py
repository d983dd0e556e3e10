"""A file's SHA-256, size and first bytes, read once: how uploads are known and sniffed, and how
a signed copy is known again when it is presented."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from ingest.sniff import SNIFF_BYTES

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    head: bytes


def fingerprint(stream: BinaryIO) -> Fingerprint:
    """SHA-256, size and first bytes of a stream, read once in chunks; rewinds it after."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := stream.read(CHUNK_BYTES):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return Fingerprint(sha256=digest.hexdigest(), size=size, head=head)
