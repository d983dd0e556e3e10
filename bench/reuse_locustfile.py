"""The clients ``bench.reuse_load`` runs under locust: processing systems looking citizens up by
CCCD number and searching by name, and a baseline asking only ``/healthz``.

One class is run at a time, so that each endpoint is measured on its own. What to ask for comes
from the JSON file in ``SOHOA_BENCH_QUERIES`` (CCCD numbers known to the database, search
queries by kind), the key from ``SOHOA_BENCH_KEY``, the pause between a client's requests from
``SOHOA_BENCH_WAIT`` (seconds, ``low-high``; ``0``: none, each client asks again at once).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, constant, task

QUERIES = json.loads(Path(os.environ["SOHOA_BENCH_QUERIES"]).read_text(encoding="utf-8"))
HEADERS = {"Authorization": f"Bearer {os.environ['SOHOA_BENCH_KEY']}"}
LOW, _, HIGH = os.environ.get("SOHOA_BENCH_WAIT", "0.5-1.5").partition("-")
PAUSE = between(float(LOW), float(HIGH)) if HIGH else constant(float(LOW))


class Baseline(FastHttpUser):
    """What the machine answers at this load for a route that does nothing."""

    wait_time = PAUSE

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="/healthz")


class Lookup(FastHttpUser):
    wait_time = PAUSE

    @task
    def look_up(self) -> None:
        number = random.choice(QUERIES["cccd"])
        headers = {**HEADERS, "X-Purpose": "load bench: dossier 1.001612"}
        self.client.post(
            "/v1/citizens/lookup",
            json={"cccd_number": number},
            headers=headers,
            name="/v1/citizens/lookup",
        )


class Search(FastHttpUser):
    wait_time = PAUSE

    @task
    def search(self) -> None:
        kind = random.choice(sorted(QUERIES["search"]))
        query = random.choice(QUERIES["search"][kind])
        self.client.get(
            "/v1/search", params={"q": query}, headers=HEADERS, name=f"/v1/search [{kind}]"
        )
