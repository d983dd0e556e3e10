"""Queue names, deterministic job ids, and enqueueing the job graph on rq.

Job ids are derived from the document and page, and work whose job is still waiting, scheduled
for a retry or running is not enqueued again (rq would push the same id into the queue twice),
so the reconciler can re-enqueue safely.

Jobs are stored in Redis as JSON, not pickles (rq's default): their arguments are only ids, and
unpickling what Redis holds would run any code whoever can write to Redis put there. Every
queue, worker and job fetch goes through this module so that all of them read the same format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from ingest.heartbeat import BeatingWorker
from models.config import Settings
from models.errors import UnavailableError

INGEST = "ingest"
OCR = "ocr"
EXTRACT = "extract"
ALL_QUEUES = (INGEST, OCR, EXTRACT)

SERIALIZER = JSONSerializer
"""How jobs (function name, arguments, results) are stored in Redis."""


def prepare_job_id(document_id: str) -> str:
    return f"prepare-{document_id}"


def ocr_job_id(document_id: str, page: int) -> str:
    return f"ocr-{document_id}-{page}"


def finalize_job_id(document_id: str) -> str:
    return f"finalize-{document_id}"


def queue(name: str, redis: Redis, settings: Settings) -> Queue:
    return Queue(settings.queue_prefix + name, connection=redis, serializer=SERIALIZER)


def worker(names: Sequence[str], redis: Redis, settings: Settings) -> BeatingWorker:
    """A worker on the named queues, reading jobs as they were written (JSON); it runs them in
    its own process (see ``ingest.worker``) and says it is alive while it does."""
    queues = [queue(name, redis, settings) for name in names]
    return BeatingWorker(
        queues,
        connection=redis,
        serializer=SERIALIZER,
        alive_seconds=settings.worker_alive_seconds,
    )


def fetch(job_id: str, redis: Redis) -> Job:
    """The job of that id, read as JSON; ``NoSuchJobError`` when Redis holds none."""
    return Job.fetch(job_id, connection=redis, serializer=SERIALIZER)


def enqueue(
    func: Callable[..., Any],
    args: Sequence[Any],
    *,
    queue_name: str,
    job_id: str,
    redis: Redis,
    settings: Settings,
    on_failure: Callable[..., Any] | None = None,
) -> Job:
    """Enqueue one job of the graph, retried with backoff when it raises.

    ``on_failure`` is rq's failure callback, called after every failed attempt (the job's
    ``should_retry`` says whether another attempt follows).
    """
    try:
        waiting = _pending(job_id, redis)
        if waiting is not None:
            return waiting
        return queue(queue_name, redis, settings).enqueue_call(
            func,
            args=tuple(args),
            job_id=job_id,
            timeout=settings.job_timeout_seconds,
            on_failure=Callback(on_failure) if on_failure else None,
            retry=Retry(max=settings.job_retries, interval=settings.job_retry_seconds)
            if settings.job_retries
            else None,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except RedisError as e:
        raise UnavailableError(f"the job queue (Redis) is unreachable: {e}") from e


_PENDING = frozenset({JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED})


def is_pending(job_id: str, redis: Redis) -> bool:
    """Whether the job of that id is still to run or running (``UnavailableError`` when Redis
    cannot say)."""
    try:
        return _pending(job_id, redis) is not None
    except RedisError as e:
        raise UnavailableError(f"the job queue (Redis) is unreachable: {e}") from e


def _pending(job_id: str, redis: Redis) -> Job | None:
    """The job of that id if it is still to run or running, else None."""
    try:
        job = fetch(job_id, redis)
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    if status not in _PENDING or (status == JobStatus.STARTED and is_abandoned(job, redis)):
        return None
    return job


def is_abandoned(job: Job, redis: Redis) -> bool:
    """A started job whose worker is gone: killed mid-job, its key expired (see
    ``ingest.heartbeat``); it will never end by itself."""
    name = job.worker_name
    return not name or not redis.exists(BeatingWorker.redis_worker_namespace_prefix + name)


def check(redis: Redis) -> None:
    """Raise ``UnavailableError`` when Redis does not answer; for /readyz."""
    try:
        redis.ping()
    except RedisError as e:
        raise UnavailableError(f"the job queue (Redis) is unreachable: {e}") from e
