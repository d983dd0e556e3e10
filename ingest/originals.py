"""The originals a worker's host holds on its own disk, for the page jobs that draw from them.

Each page job of a PDF draws its page from the original, so a 300-page PDF would otherwise be
fetched from the object store 300 times. Originals are content-addressed and never change, so
a copy kept under ``data_dir/originals/<sha256>`` is always right: the first job on a host
fetches it (to a private name, then renamed into place, so workers sharing the folder never
read half a file), the others use it. The folder holds at most ``KEPT_MIB``; past that the
copies used least recently go, but never one used in the last ``IN_USE_SECONDS`` (a job may
be drawing from it).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ingest.services import Services
from storage.objects import original_key

KEPT_MIB = 2048
"""MiB of originals a host keeps (a 300-page scanned PDF is about 250 MiB)."""

IN_USE_SECONDS = 600
"""Seconds since its last use within which a copy is never removed."""


def local_original(services: Services, sha256: str) -> Path:
    """A path to the original's bytes on this host, fetched from the store if need be."""
    folder = services.settings.data_dir / "originals"
    path = folder / sha256
    if path.is_file():
        os.utime(path)  # marks it used: the least recently used go first
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{sha256}.{os.getpid()}"
    services.store.download(original_key(sha256), partial)
    partial.replace(path)
    _keep_within_budget(folder)
    return path


def _keep_within_budget(folder: Path) -> None:
    copies = []
    for entry in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):  # another worker removed it meanwhile
            copies.append((entry.stat().st_mtime, entry.stat().st_size, entry))
    total = sum(size for _, size, _ in copies)
    idle = time.time() - IN_USE_SECONDS
    for used, size, entry in sorted(copies):
        if total <= KEPT_MIB * 2**20 or used > idle:
            break
        entry.unlink(missing_ok=True)
        total -= size
