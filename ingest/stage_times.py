"""How long each stage's jobs ran, read from rq's registries of finished jobs (kept an hour):
for ``GET /metrics`` and the dashboard alike."""

from __future__ import annotations

from redis import Redis
from rq.job import Job
from rq.registry import FinishedJobRegistry

from ingest import queues
from models.config import Settings

STAGE_OF_QUEUE = {queues.INGEST: "prepare", queues.OCR: "ocr_page", queues.EXTRACT: "extract"}
JOBS_SAMPLED = 1000
"""Jobs finished in the last hour read per queue, newest first."""


def stage_durations(redis: Redis, settings: Settings) -> dict[str, list[float]]:
    """Seconds each recently finished job of every stage ran, by stage."""
    durations = {}
    for name, stage in STAGE_OF_QUEUE.items():
        registry = FinishedJobRegistry(queue=queues.queue(name, redis, settings))
        finished = registry.get_job_ids(0, JOBS_SAMPLED - 1, desc=True)
        jobs = Job.fetch_many(finished, connection=redis, serializer=queues.SERIALIZER)
        durations[stage] = [
            (job.ended_at - job.started_at).total_seconds()
            for job in jobs
            if job is not None and job.started_at is not None and job.ended_at is not None
        ]
    return durations
