"""``GET /metrics`` after a real dossier went through the queue: jobs by queue and status under
rq exporters' names, stage timings, documents, pages and fields by status, pages' confidence,
and requests by route and code; on SQLite and PostgreSQL, against real Redis."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.api.test_pipeline import sample_files, upload

__all__ = ["sample_files"]  # the fixture, shared with the pipeline's tests


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics", headers={"Authorization": ""})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_metrics_count_the_work_done_and_the_requests(
    client: TestClient, work: Callable[[], None], sample_files: dict[str, tuple[Path, str]]
) -> None:
    upload(client, sample_files["jpeg"][0])
    before = scrape(client)
    assert before[("rq_jobs", (("queue", "ingest"), ("status", "queued")))] == 1
    work()
    assert client.get("/v1/status/NO-SUCH-RECEIPT").status_code == 404
    after = scrape(client)

    assert after[("rq_jobs", (("queue", "ingest"), ("status", "queued")))] == 0
    for queue, stage in (("ingest", "prepare"), ("ocr", "ocr_page"), ("extract", "extract")):
        finished = after[("rq_jobs", (("queue", queue), ("status", "finished")))]
        assert after[("sohoa_stage_seconds_count", (("stage", stage),))] == finished
        assert after[("rq_jobs", (("queue", queue), ("status", "failed")))] == 0
    assert after[("sohoa_stage_seconds_sum", (("stage", "prepare"),))] > 0
    assert after[("sohoa_pages", (("status", "recognized"),))] == 1
    assert after[("sohoa_page_ocr_confidence_count", ())] == 1
    read = after[("sohoa_page_ocr_confidence_bucket", (("le", "100.0"),))]
    assert read == 1 and after[("sohoa_page_ocr_confidence_bucket", (("le", "30.0"),))] == 0
    documents = {labels: value for (name, labels), value in after.items()
                 if name == "sohoa_documents"}  # fmt: skip
    assert sum(documents.values()) == 1
    fields = sum(value for (name, _), value in after.items() if name == "sohoa_fields")
    assert fields >= 3  # a card's name, number, date of birth...
    assert after[("sohoa_reuse_records_total", ())] == 0
    assert not any(name == "sohoa_webhook_deliveries" for name, _ in after)  # none registered
    assert after[("sohoa_scrape_error", (("part", "database"),))] == 0
    assert after[("sohoa_scrape_error", (("part", "queue"),))] == 0
    not_found = (("code", "404"), ("method", "GET"), ("route", "get_public_status"))
    assert after[("sohoa_http_requests_total", not_found)] == 1
    uploads = (("code", "202"), ("method", "POST"), ("route", "upload_dossier"))
    assert after[("sohoa_http_requests_total", uploads)] == 1
