"""A worker that keeps saying it is alive while it runs a job, so that a killed one is noticed.

rq's ``SimpleWorker`` runs a job in its own process, and so sends no heartbeat until the job
ends: its key in Redis is given the job's whole timeout plus a minute to live (11 minutes at
ours). A worker killed mid-page (``kill -9``, the machine lost, the OOM killer) would leave its
job "started" that long, and the reconciler, which never queues work still running, could not
deliver it again. Here a thread renews the worker's key and its execution's entry every third of
``alive_seconds`` (``SOHOA_WORKER_ALIVE_SECONDS``) while a job runs, for ``alive_seconds`` each
time: a job whose worker's key has expired was abandoned (``ingest.queues.is_abandoned``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis.exceptions import RedisError
from rq import SimpleWorker
from rq.executions import Execution
from rq.job import Job
from rq.queue import Queue
from rq.worker import WorkerStatus

log = logging.getLogger(__name__)


class BeatingWorker(SimpleWorker):
    """A ``SimpleWorker`` whose key and running job expire ``alive_seconds`` after it dies."""

    def __init__(self, *args: Any, alive_seconds: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alive_seconds = alive_seconds

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """The TTL set when a job starts, before the first beat: as short as every later one."""
        return self.alive_seconds

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        with self._beating(job, execution):
            self.perform_job(job, queue, execution)
        self.set_state(WorkerStatus.IDLE)

    @contextmanager
    def _beating(self, job: Job, execution: Execution) -> Iterator[None]:
        stop = threading.Event()
        beat = threading.Thread(
            target=self._beat, args=(job, execution, stop), name="heartbeat", daemon=True
        )
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join()

    def _beat(self, job: Job, execution: Execution, stop: threading.Event) -> None:
        while not stop.wait(self.alive_seconds / 3):
            try:
                with self.connection.pipeline() as pipeline:
                    self.heartbeat(self.alive_seconds, pipeline=pipeline)
                    execution.heartbeat(job.started_job_registry, self.alive_seconds, pipeline)
                    pipeline.execute()
            except RedisError as e:  # Redis away for a moment: the next beat tries again
                log.warning("heartbeat of job %s not sent: %s", job.id, e)
