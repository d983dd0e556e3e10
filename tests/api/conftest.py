from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest import queues
from ingest.services import Services


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def work(services: Services) -> Callable[[], None]:
    """Run every queued job to the end in this process, as a worker would (rq burst mode)."""

    def run() -> None:
        queues.worker(queues.ALL_QUEUES, services.redis, services.settings).work(burst=True)

    return run
