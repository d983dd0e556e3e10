"""The metadata database: engine, sessions and migrations.

The same code runs on SQLite (the embedded default) and PostgreSQL (production). SQLite is
opened in WAL mode with a busy timeout, because the API and several worker processes write to
the one file at the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from models.errors import UnavailableError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass(frozen=True)
class Pool:
    """Connections one process keeps to PostgreSQL, and how long a request waits for one."""

    size: int = 10
    overflow: int = 10
    timeout_seconds: float = 5.0


def make_engine(url: str, pool: Pool = Pool()) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool.size,
        max_overflow=pool.overflow,
        pool_timeout=pool.timeout_seconds,
        connect_args={"connect_timeout": 5},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on error.

    An unreachable database becomes ``UnavailableError`` so jobs retry instead of failing, and
    so does a pool with no connection free within its timeout: under more load than the pool
    carries, callers are told to come back (503 + Retry-After) instead of failing.
    """
    try:
        with factory.begin() as session:
            yield session
    except OperationalError as e:
        raise UnavailableError(f"the metadata database is unreachable: {e.orig}") from e
    except PoolTimeoutError as e:
        raise UnavailableError(f"the metadata database is busy: {e}") from e


MIGRATION_LOCK = 0x50484F41  # any number, the same in every process: PostgreSQL's lock key
"""The advisory lock migrating processes take in turn on PostgreSQL."""


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, by default the newest (``alembic upgrade head``); safe
    to repeat. An older revision is for tests of how the next one upgrades existing rows.

    The API and every worker migrate as they start, and a fleet starts at once: on PostgreSQL
    they take turns under an advisory lock, the first migrating and the others then finding the
    schema current, instead of racing to create the same tables (the loser exits at start).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for the UTC ones it was given."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check(engine: Engine) -> None:
    """Raise ``UnavailableError`` when the database does not answer; for /readyz."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as e:
        raise UnavailableError(f"the metadata database is unreachable: {e.orig}") from e
