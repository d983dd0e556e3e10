from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest import queues
from ingest.services import Services
from models.access import Role
from storage import keys
from storage.database import transaction

KeyFor = Callable[..., str]


@pytest.fixture
def key_for(services: Services) -> KeyFor:
    """``key_for(Role.PROCESSOR, agencies=["X"])``: a fresh key's token."""

    def issue(*roles: Role, agencies: list[str] | None = None) -> str:
        with transaction(services.sessions) as session:
            name = "test " + "+".join(roles)
            return keys.issue_key(session, name=name, roles=roles, agencies=agencies).token

    return issue


@pytest.fixture
def role_keys(key_for: KeyFor) -> dict[Role, str]:
    """A key of each role, one role apiece."""
    return {role: key_for(role) for role in Role}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(services: Services, key_for: KeyFor) -> Iterator[TestClient]:
    """The API, called with a key of every role (roles are tested apart, in test_access)."""
    with TestClient(create_app(services), headers=bearer(key_for(*Role))) as test_client:
        yield test_client


@pytest.fixture
def work(services: Services) -> Callable[[], None]:
    """Run every queued job to the end in this process, as a worker would (rq burst mode)."""

    def run() -> None:
        queues.worker(queues.ALL_QUEUES, services.redis, services.settings).work(burst=True)

    return run
