"""A PostgreSQL pool with no connection free within its timeout is the database being busy:
UnavailableError (503 + Retry-After at the API), not a server error; the next request once a
connection is back goes through."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models.errors import UnavailableError
from storage.database import Pool, make_engine, make_session_factory, transaction


def test_an_exhausted_pool_answers_busy_and_recovers(postgres_url: str) -> None:
    engine = make_engine(postgres_url, Pool(size=1, overflow=0, timeout_seconds=0.2))
    sessions = make_session_factory(engine)
    try:
        with engine.connect() as held:
            held.execute(text("SELECT 1"))
            with pytest.raises(UnavailableError, match="busy"), transaction(sessions) as session:
                session.execute(text("SELECT 1"))
        with transaction(sessions) as session:
            assert session.scalar(text("SELECT 1")) == 1
    finally:
        engine.dispose()
