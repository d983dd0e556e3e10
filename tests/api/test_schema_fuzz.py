"""Requests generated from the OpenAPI schema, with no key and with a key of each role: none is
answered with a server error. Bounded examples per operation, so this stays a test, not a
campaign; SQLite only (the PostgreSQL paths run in every other API test)."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from ingest.services import Services
from models.access import Role
from tests.api.conftest import bearer

EXAMPLES_PER_OPERATION = 4


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sohoa.db'}"


def test_no_generated_request_gets_a_server_error(
    services: Services, role_keys: dict[Role, str]
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(services))
    callers = [{}, *(bearer(token) for token in role_keys.values())]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: schemathesis.Case) -> None:
            for headers in callers:
                response = case.call(headers=headers)
                assert response.status_code < 500, (case.method, case.path, response.text)

        no_server_error()
