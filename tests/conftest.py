"""Shared fixtures: real Redis, real PostgreSQL and SQLite, and the services built on them.

PostgreSQL and Redis are the ones running on 127.0.0.1 (override with SOHOA_TEST_POSTGRES_URL
and SOHOA_TEST_REDIS_URL). Each test gets its own PostgreSQL database, dropped afterwards, and
its own rq queue names; the Redis database used by tests is emptied at start and end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from redis import Redis

from ingest.services import Services, use_services
from models.config import Settings
from storage.database import migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "SOHOA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SOHOA_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    yield REDIS_URL
    redis.flushdb()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = f"sohoa_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sohoa.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str, redis_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url=redis_url,
        queue_prefix=f"test-{uuid.uuid4().hex[:8]}-",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Services on a migrated database, installed for jobs run in this process."""
    built = Services.from_settings(settings)
    migrate(built.engine)
    use_services(built)
    yield built
    use_services(None)
    built.engine.dispose()
