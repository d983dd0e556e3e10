"""Running a worker process: ``sohoa worker`` on rq.

Tesseract's own OpenMP threads make it slower per page on a small machine (about 2.7 times on
2 cores), so workers pin it to one thread and scale by running one worker per core instead.

A worker runs its jobs in its own process (rq's ``SimpleWorker``) rather than forking a child
per job, so the parts it builds once (database pool, tesseract with its language models
loaded, about 0.35 s) serve every page it reads. The price is isolation: a crash inside
tesseract's recognition ends the worker, which its supervisor restarts, and the reconciler
re-enqueues the page it was reading. Uploads themselves are parsed in a sandboxed child
(``ingest.sandbox``), and orientation detection runs in a child of its own, so a file that
crashes or hangs its reader fails its document and the worker carries on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Sequence

from redis import Redis

from ingest import queues
from ingest.redis_server import ensure_private_redis
from ingest.services import redis_url
from models.config import Settings
from ocr.fields import admin_units
from storage.database import make_engine, migrate

PRIVATE_UMASK = 0o007
"""Files and folders sohoa makes are its user's and group's alone (0660 and 0770): the API and
the workers may run as different users of one group, and nobody else reads citizens' papers."""


MMAP_THRESHOLD_BYTES = 1 << 20
"""Allocations from this size up (a page image is 9 MB, its copies in preprocessing as many) are
mapped on their own and given back to the system when freed. By default glibc raises this
threshold as such blocks are freed, after which they are carved from the heap and the memory one
page needed stays with the worker: its peak grows by what earlier pages left, 15-20 MiB over
scanned A4 pages (``bench.worker_memory``), for a millisecond or two of page faults a page."""

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter, from <malloc.h>


def map_large_allocations() -> None:
    """Set ``MMAP_THRESHOLD_BYTES`` in this process, where the C library is glibc."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def prepare_environment(settings: Settings) -> None:
    """Everything a worker or the API needs before work starts: its files private, Redis up,
    schema current."""
    prepare_database(settings)
    if not settings.redis_url:
        ensure_private_redis(settings.redis_socket)


def prepare_database(settings: Settings) -> None:
    """The schema current, and the files sohoa writes private: enough for commands that use
    the database alone (``sohoa keys``)."""
    os.umask(PRIVATE_UMASK)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    engine.dispose()


def run_worker(settings: Settings, queue_names: Sequence[str], *, burst: bool = False) -> None:
    """Work the queues until stopped (or until they are empty, with ``burst``)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.nice(settings.worker_nice)  # the page children it forks inherit it
    map_large_allocations()
    prepare_environment(settings)
    admin_units.load_units()
    redis = Redis.from_url(redis_url(settings))
    queues.worker(queue_names, redis, settings).work(burst=burst, with_scheduler=True)
