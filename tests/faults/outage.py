"""Riding out a part that goes away: uploads keep coming while it is down, and each must be
answered 503 with ``Retry-After`` (nothing stored, so never 202), then be accepted once the
part is back; the work already accepted must still end."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bench.concurrent_uploads import small_scan
from tests.faults.stack import Stack

OUTAGE_RETRIES = {"job_retries": "4", "job_retry_seconds": "[2, 4, 8, 16]"}
"""Backoff that outlasts a 10 s outage in 30 s rather than production's 155 s (5, 30, 120)."""


def upload_scan(client: httpx.Client, number: int) -> httpx.Response:
    form = {"receipt_code": f"OUT-{number:06d}", "procedure_code": "1.001612", "agency": "PVHCC"}
    files = [("files", (f"scan-{number}.png", small_scan(number)))]
    return client.post("/v1/dossiers", data=form, files=files)


@dataclass
class Outage:
    """What the API answered while the part was down."""

    refused: list[int] = field(default_factory=list)  # numbers answered 503 + Retry-After
    answers: dict[int, int] = field(default_factory=dict)  # every number's status code

    def check(self) -> None:
        unexpected = {n: code for n, code in self.answers.items() if code != 503}
        assert not unexpected, f"answers other than 503 while the part was down: {unexpected}"
        assert self.refused, "no upload was tried during the outage"


def during_outage(
    stack: Stack, stop: Callable[[], None], start: Callable[[], None], seconds: float
) -> Outage:
    """Stop the part, upload small scans one after another for ``seconds``, start it again."""
    outage = Outage()
    stop()
    try:
        with stack.client(timeout=20) as client:
            deadline = time.monotonic() + seconds
            number = 0
            while time.monotonic() < deadline:
                number += 1
                response = upload_scan(client, number)
                outage.answers[number] = response.status_code
                if response.status_code == 503 and response.headers.get("Retry-After"):
                    outage.refused.append(number)
                time.sleep(1.0)  # a desk retrying now and then, not a flood
    finally:
        start()
    return outage


def send_again(stack: Stack, numbers: list[int]) -> list[str]:
    """The refused uploads, sent again as a desk would after ``Retry-After``; their dossiers."""
    dossier_ids = []
    with stack.client() as client:
        for number in numbers:
            response = upload_scan(client, number)
            assert response.status_code == 202, response.text
            dossier_ids.append(response.json()["dossier_id"])
    return dossier_ids
