"""``GET /metrics`` in Prometheus's text format: the queues, the work done, and the API's requests.

Queue and database figures are read when Prometheus scrapes (a collector), so every API process
answers the same and no worker has to expose anything: jobs by queue and status under the name
rq exporters use (``rq_jobs{queue,status}``), workers, how long each stage's jobs took over the
last hour (from rq's registries of finished jobs), documents, pages and fields by status, pages'
OCR confidence, and the review backlog. Requests are counted by the middleware, per route name
(the names of ``api/access.py``) and status code. Counts only: no value, name or identifier.
A part that does not answer is left out of the scrape and ``sohoa_scrape_error{part}`` says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from redis.exceptions import RedisError
from rq import Worker
from rq.registry import (
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)
from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest import queues
from ingest.services import Services
from ingest.stage_times import stage_durations
from models.tables import (
    Document,
    ExtractedField,
    Page,
    ReuseRecord,
    ReviewTask,
    WebhookDelivery,
)

log = logging.getLogger(__name__)

CONFIDENCE_BUCKETS = (30.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 100.0)
"""Upper bounds of the pages' mean word confidence (0..100); 80 is a sure reading."""
STAGE_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class ServiceCollector(Collector):
    """Reads the queues and the database at each scrape."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        errors = GaugeMetricFamily(
            "sohoa_scrape_error", "1 when a part did not answer this scrape", labels=["part"]
        )
        for part, read in (("queue", self._queues), ("database", self._database)):
            try:
                yield from list(read())
                errors.add_metric([part], 0)
            except (RedisError, SQLAlchemyError) as error:
                log.warning("metrics: the %s did not answer: %s", part, error)
                errors.add_metric([part], 1)
        yield errors

    def _queues(self) -> Iterator[Metric]:
        redis, settings = self.services.redis, self.services.settings
        jobs = GaugeMetricFamily("rq_jobs", "jobs by queue and status", labels=["queue", "status"])
        stages = HistogramMetricFamily(
            "sohoa_stage_seconds",
            "how long a stage's jobs ran, over the jobs finished in the last hour",
            labels=["stage"],
        )
        for stage, durations in stage_durations(redis, settings).items():
            stages.add_metric([stage], *_histogram(durations, STAGE_BUCKETS))
        for name in queues.ALL_QUEUES:
            queue = queues.queue(name, redis, settings)
            registries: dict[str, Any] = {
                "started": StartedJobRegistry(queue=queue),
                "finished": FinishedJobRegistry(queue=queue),
                "failed": FailedJobRegistry(queue=queue),
                "deferred": DeferredJobRegistry(queue=queue),
                "scheduled": ScheduledJobRegistry(queue=queue),
            }
            jobs.add_metric([name, "queued"], queue.count)
            for status, registry in registries.items():
                jobs.add_metric([name, status], registry.count)
        yield jobs
        yield stages
        workers = GaugeMetricFamily("rq_workers", "workers alive, by state", labels=["state"])
        states: dict[str, int] = {}
        for worker in Worker.all(connection=redis):
            states[str(worker.get_state())] = states.get(str(worker.get_state()), 0) + 1
        for state, count in sorted(states.items()):
            workers.add_metric([state], count)
        yield workers

    def _database(self) -> Iterator[Metric]:
        with self.services.sessions() as session:
            by_status = (
                ("sohoa_documents", "documents by status", Document.status),
                ("sohoa_pages", "pages by status", Page.status),
                ("sohoa_fields", "extracted fields by status", ExtractedField.status),
                (
                    "sohoa_webhook_deliveries",
                    "webhook deliveries by status",
                    WebhookDelivery.status,
                ),
            )
            for name, text, column in by_status:
                family = GaugeMetricFamily(name, text, labels=["status"])
                for status, count in session.execute(select(column, func.count()).group_by(column)):
                    family.add_metric([str(status)], count)
                yield family
            open_tasks = session.scalar(select(func.count()).where(~ReviewTask.closed)) or 0
            yield GaugeMetricFamily(
                "sohoa_review_tasks_open", "fields waiting for an operator", value=open_tasks
            )
            reused = session.scalar(select(func.count()).select_from(ReuseRecord)) or 0
            yield CounterMetricFamily(
                "sohoa_reuse_records", "documents or fields reused for a new dossier", value=reused
            )
            bounds = [
                func.sum(case((Page.ocr_confidence <= bound, 1), else_=0))
                for bound in CONFIDENCE_BUCKETS
            ]
            row = session.execute(
                select(func.count(Page.ocr_confidence), func.sum(Page.ocr_confidence), *bounds)
            ).one()
        confidence = HistogramMetricFamily(
            "sohoa_page_ocr_confidence", "pages read, by mean word confidence (0..100)"
        )
        buckets = [(str(bound), row[2 + i] or 0) for i, bound in enumerate(CONFIDENCE_BUCKETS)]
        confidence.add_metric([], [*buckets, ("+Inf", row[0] or 0)], row[1] or 0.0)
        yield confidence


def _histogram(
    values: list[float], bounds: tuple[float, ...]
) -> tuple[list[tuple[str, float]], float]:
    buckets = [(str(bound), float(sum(value <= bound for value in values))) for bound in bounds]
    return [*buckets, ("+Inf", float(len(values)))], sum(values)


class RequestMetrics:
    """ASGI middleware: requests by route name, method and status code, and their seconds."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry | None) -> None:
        self.app = app
        self.requests = Counter(
            "sohoa_http_requests", "HTTP requests answered", ["route", "method", "code"],
            registry=registry,
        )  # fmt: skip
        self.seconds = Histogram(
            "sohoa_http_request_seconds", "seconds to answer", ["route"], registry=registry
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        code = 500

        async def send_noting_code(message: Message) -> None:
            nonlocal code
            if message["type"] == "http.response.start":
                code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_code)
        finally:
            route = scope.get("route")
            name = getattr(route, "name", None) or "unmatched"
            self.requests.labels(name, scope["method"], str(code)).inc()
            self.seconds.labels(name).observe(time.perf_counter() - started)
