"""Fixtures of the fault tests: their own Redis, PostgreSQL and S3 servers for the session, a
sample dossier, and one stack of sohoa processes per test, stopped at its end."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from samples import write_sample_dossiers
from tests.faults import report
from tests.faults.servers import PostgresCluster, RedisServer, S3Server
from tests.faults.stack import Stack, stack_env

FAST_RECOVERY = {
    "stale_after_seconds": "2",  # the reconciler's deadline, 900 s in production
    "worker_alive_seconds": "3",  # a killed worker's heartbeat expires, 30 s in production
}
"""Shorter deadlines than production's, so that a recovery fits in a test; nothing else
differs from the shipped settings (job retries and their backoff are the production ones)."""


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with tempfile.TemporaryDirectory(prefix="sohoa-faults-redis-") as folder:
        server = RedisServer(Path(folder))
        server.start()
        yield server
        server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sample_dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dossier: a multi-page PDF form, a card photo and a two-page TIFF."""
    (folder,) = write_sample_dossiers(tmp_path_factory.mktemp("samples"), seed=3, count=1)
    return folder


StackFactory = Callable[..., Stack]


@pytest.fixture
def make_stack(
    tmp_path: Path, redis_server: RedisServer, postgres: PostgresCluster, s3_server: S3Server
) -> Iterator[StackFactory]:
    """Build this test's stack on PostgreSQL, on S3 (``store="s3"``) or a local folder."""
    stacks: list[Stack] = []

    def make(store: str = "s3", **settings: str) -> Stack:
        database_url = postgres.new_database(f"faults_{uuid.uuid4().hex[:12]}")
        if store == "s3":
            settings = {
                "s3_endpoint": s3_server.endpoint, "s3_access_key": "testing",
                "s3_secret_key": "testing", "s3_bucket": f"faults-{uuid.uuid4().hex[:12]}",
                **settings,
            }  # fmt: skip
        env = stack_env(tmp_path, database_url, redis_server.url, **FAST_RECOVERY, **settings)
        stack = Stack(env=env, folder=tmp_path, database_url=database_url,
                      redis_url=redis_server.url)  # fmt: skip
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop_all()
    httpx.post(f"http://{s3_server.endpoint}/moto-api/reset").raise_for_status()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if report.MEASURES:
        terminalreporter.section("faults")
        for line in report.table():
            terminalreporter.write_line(line)
