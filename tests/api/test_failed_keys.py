"""An address that keeps presenting keys sohoa did not issue has its key checks refused a while;
one client retrying one bad key, a revoked key, a signed-in browser and other addresses are not
concerned."""

from __future__ import annotations

import dataclasses
import time

import pytest
from fastapi.testclient import TestClient
from redis import Redis

from api.app import create_app
from ingest.services import Services
from models.access import Role
from storage import keys
from storage.database import transaction
from tests.api.conftest import KeyFor, bearer

LIMIT = 3
READ = "/v1/dossiers"


@pytest.fixture
def limited(services: Services) -> Services:
    """The services with a limit of 3 failed keys per address over 2 seconds."""
    settings = services.settings.model_copy(
        update={"failed_keys_per_address": LIMIT, "failed_keys_window_seconds": 2}
    )
    return dataclasses.replace(services, settings=settings)


def guess(n: int) -> str:
    return f"sohoa_{n:012d}_guessed{n}"


def test_an_address_guessing_keys_is_refused_until_its_window_ends(
    limited: Services, key_for: KeyFor
) -> None:
    operator = key_for(Role.OPERATOR)
    app = create_app(limited)
    with (
        TestClient(app, client=("10.0.0.7", 5000)) as guesser,
        TestClient(app, client=("10.0.0.8", 5000)) as neighbour,
    ):
        assert guesser.post("/v1/sessions", json={"key": operator}).status_code == 201
        assert guesser.get(READ, headers=bearer(guess(1))).status_code == 401
        assert guesser.post("/v1/sessions", json={"key": guess(2)}).status_code == 401
        assert guesser.get(READ, headers=bearer(guess(3))).status_code == 401

        refused = guesser.get(READ, headers=bearer(operator))  # even a live key, for a while
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "too_many_attempts"
        assert "10.0.0.7" in refused.json()["error"]["message"]
        assert 1 <= int(refused.headers["Retry-After"]) <= 2
        assert guesser.post("/v1/sessions", json={"key": operator}).status_code == 429
        assert guesser.get(READ).status_code == 200  # its cookie, signed in before, checks no key

        assert neighbour.get(READ, headers=bearer(operator)).status_code == 200

        time.sleep(2.2)
        assert guesser.get(READ, headers=bearer(operator)).status_code == 200


def test_one_bad_key_retried_and_a_revoked_key_never_lock_an_address(
    limited: Services, key_for: KeyFor
) -> None:
    revoked = key_for(Role.SCANNER)
    with transaction(limited.sessions) as session:
        keys.revoke_key(session, revoked.split("_")[1])
    with TestClient(create_app(limited), client=("10.0.0.9", 5000)) as desk:
        for _ in range(3 * LIMIT):
            assert desk.get(READ, headers=bearer(guess(1))).status_code == 401
            answer = desk.get(READ, headers=bearer(revoked))
            assert answer.json()["error"]["code"] == "key_revoked"
        assert desk.get(READ, headers=bearer(key_for(Role.SCANNER))).status_code == 200


def test_keys_are_checked_as_usual_while_redis_is_away(limited: Services, key_for: KeyFor) -> None:
    away = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    services = dataclasses.replace(limited, redis=away)
    with TestClient(create_app(services), client=("10.0.0.10", 5000)) as desk:
        for n in range(LIMIT + 1):
            assert desk.get(READ, headers=bearer(guess(n))).status_code == 401
        assert desk.get(READ, headers=bearer(key_for(Role.SCANNER))).status_code == 200
