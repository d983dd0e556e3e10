"""Shared fixtures: real Redis, real PostgreSQL and SQLite, and the services built on them.

PostgreSQL and Redis are the ones running on 127.0.0.1 (override with SOHOA_TEST_POSTGRES_URL
and SOHOA_TEST_REDIS_URL). Each test gets its own PostgreSQL database, dropped afterwards, and
its own rq queue names; the session holds a Redis database of its own (claimed by a key, so
that sessions running side by side do not empty each other's), emptied at start and end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from redis import Redis

from api.demo_agency import AgencyCredentials, write_agency_credentials
from ingest.services import Services, use_services
from models.config import Settings
from storage.database import migrate
from tests.signing import TEST_AGENCY

POSTGRES_ADMIN_URL = os.environ.get(
    "SOHOA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SOHOA_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


SESSION_CLAIM = "sohoa-test-session"
"""The key by which a test session holds a Redis database, so that two sessions on one machine
never empty each other's queues."""


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis database of this session's own: ``SOHOA_TEST_REDIS_URL``'s, or, while another
    session holds that one, the next free one below it. It is emptied at start and end."""
    base, _, number = REDIS_URL.rpartition("/")
    owner = uuid.uuid4().hex
    for db in range(int(number), -1, -1):
        redis = Redis.from_url(f"{base}/{db}")
        if redis.set(SESSION_CLAIM, owner, nx=True, ex=6 * 3600):
            break
    else:
        pytest.exit(f"every Redis database from {REDIS_URL} down is held by another test session")
    redis.flushdb()
    redis.set(SESSION_CLAIM, owner, ex=6 * 3600)
    yield f"{base}/{db}"
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
        events_stream_seconds=0.5,  # a followed event stream ends within the test's patience
        _env_file=None,  # type: ignore[call-arg]
    )


def process_env(settings: Settings, **more: str) -> dict[str, str]:
    """The environment of a ``sohoa`` process started by a test on ``settings``' database,
    Redis, queues and data folder."""
    return {
        **os.environ,
        "SOHOA_DATA_DIR": str(settings.data_dir),
        "SOHOA_DATABASE_URL": settings.effective_database_url,
        "SOHOA_REDIS_URL": str(settings.redis_url),
        "SOHOA_QUEUE_PREFIX": settings.queue_prefix,
        **more,
    }


@pytest.fixture(scope="session")
def agency(tmp_path_factory: pytest.TempPathFactory) -> AgencyCredentials:
    """A test CA and the agency's key and certificate under it (PKCS#12 and the CA's PEM)."""
    folder = tmp_path_factory.mktemp("agency")
    return write_agency_credentials(folder, agency=TEST_AGENCY, ca_name="sohoa test CA")


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Services on a migrated database, installed for jobs run in this process."""
    built = Services.from_settings(settings)
    migrate(built.engine)
    use_services(built)
    yield built
    use_services(None)
    built.engine.dispose()
