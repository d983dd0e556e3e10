"""Many reception desks uploading at once against a real API process: every upload is stored,
recorded and queued, and none is answered with a server error.

The suite sends 200; ``bench.concurrent_uploads`` sends 1,000 and prints uploads per second
(about a minute on the 2-core development machine, too long for every run).
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.concurrent_uploads import small_scan
from ingest.queues import INGEST
from tests.faults.conftest import StackFactory
from tests.faults.stack import Stack

UPLOADS = 200
CLIENTS = 20
SECONDS = 40.0


def upload_share(stack: Stack, numbers: range) -> list[int]:
    """One desk's uploads, one after another on one connection; their status codes."""
    codes = []
    with stack.client(timeout=60) as client:
        for number in numbers:
            form = {"receipt_code": f"LOAD-{number:06d}", "procedure_code": "1.001612",
                    "agency": "PVHCC"}  # fmt: skip
            files = [("files", (f"scan-{number}.png", small_scan(number)))]
            try:
                codes.append(client.post("/v1/dossiers", data=form, files=files).status_code)
            except httpx.TransportError:
                codes.append(0)
    return codes


def test_uploads_from_twenty_desks_at_once_are_all_kept(make_stack: StackFactory) -> None:
    stack = make_stack(store="local")  # no workers: what is measured is intake alone
    stack.serve()
    stack.headers()
    shares = [range(n, UPLOADS, CLIENTS) for n in range(CLIENTS)]
    began = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        codes = Counter(code for share in pool.map(lambda s: upload_share(stack, s), shares)
                        for code in share)  # fmt: skip
    elapsed = time.monotonic() - began
    print(f"\n{UPLOADS} uploads from {CLIENTS} clients in {elapsed:.1f} s: "
          f"{UPLOADS / elapsed:.1f} uploads/s, answers {dict(codes)}")  # fmt: skip
    assert codes == {202: UPLOADS}, codes
    assert elapsed < SECONDS
    assert stack.sql("SELECT count(*) FROM dossiers") == [(UPLOADS,)]
    assert stack.sql("SELECT status, count(*) FROM documents GROUP BY status") == [
        ("received", UPLOADS)
    ]
    assert len(stack.objects("originals/")) == UPLOADS
    queued = stack.redis().llen(f"rq:queue:{stack.env['SOHOA_QUEUE_PREFIX']}{INGEST}")
    assert queued == UPLOADS
