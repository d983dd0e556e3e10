"""Running a worker process: ``sohoa worker`` on rq.

Tesseract's own OpenMP threads make it slower per page on a small machine (about 2.7 times on
2 cores), so workers pin it to one thread and scale by running one worker per core instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from redis import Redis
from rq import Worker

from ingest.queues import queue
from ingest.redis_server import ensure_private_redis
from ingest.services import redis_url
from models.config import Settings
from storage.database import make_engine, migrate


def prepare_environment(settings: Settings) -> None:
    """Everything a worker or the API needs before work starts: Redis up, schema current."""
    if not settings.redis_url:
        ensure_private_redis(settings.redis_socket)
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    engine.dispose()


def run_worker(settings: Settings, queue_names: Sequence[str], *, burst: bool = False) -> None:
    """Work the queues until stopped (or until they are empty, with ``burst``)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    prepare_environment(settings)
    redis = Redis.from_url(redis_url(settings))
    worker = Worker([queue(name, redis, settings) for name in queue_names], connection=redis)
    worker.work(burst=burst, with_scheduler=True)
