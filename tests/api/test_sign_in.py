"""Browsers sign in with a key: a cookie stands for it, with a CSRF token on every write."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.app import create_app
from ingest.services import Services
from models.access import AuditKind, Role
from models.tables import AuditEvent, SignInSession, utcnow
from storage import keys
from storage.database import transaction
from tests.api.conftest import KeyFor

WRITE = "/v1/review/tasks/1/release"


def sign_in(client: TestClient, token: str) -> str:
    """Signs ``client`` in; the session's CSRF token."""
    response = client.post("/v1/sessions", json={"key": token})
    assert response.status_code == 201, response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here; set under https
    csrf: str = response.json()["csrf_token"]
    return csrf


def test_a_signed_in_browser_reads_with_its_cookie_and_writes_with_the_csrf_token(
    services: Services, key_for: KeyFor
) -> None:
    with TestClient(create_app(services)) as browser:
        csrf = sign_in(browser, key_for(Role.OPERATOR))
        assert browser.get("/v1/review/tasks").status_code == 200
        me = browser.get("/v1/sessions/current").json()  # a reloaded page
        assert me["csrf_token"] == csrf and me["signed_in"] is True and me["agencies"] is None
        refused = browser.post(WRITE)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "csrf_token_missing"
        assert browser.post(WRITE, headers={"X-CSRF-Token": "forged"}).status_code == 403
        passed = browser.post(WRITE, headers={"X-CSRF-Token": csrf})
        assert passed.status_code == 404  # past the CSRF check: there is no such task
        assert browser.get("/v1/keys").status_code == 403  # the key's roles still apply
    with transaction(services.sessions) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in"))
        assert [event.kind for event in events] == [AuditKind.WRITE]


def test_a_sign_in_ends_on_sign_out_on_expiry_and_when_its_key_is_revoked(
    services: Services, key_for: KeyFor
) -> None:
    with TestClient(create_app(services)) as browser:
        csrf = sign_in(browser, key_for(Role.OPERATOR))
        assert browser.delete("/v1/sessions/current").status_code == 403  # no CSRF token
        assert (
            browser.delete("/v1/sessions/current", headers={"X-CSRF-Token": csrf}).status_code
            == 204
        )
        browser.cookies.clear()
        assert browser.get("/v1/review/tasks").status_code == 401

        token = key_for(Role.OPERATOR)
        sign_in(browser, token)
        cookie = dict(browser.cookies)
        with transaction(services.sessions) as session:
            session.execute(update(SignInSession).values(expires_at=utcnow() - timedelta(1)))
        expired = browser.get("/v1/review/tasks")
        assert expired.status_code == 401
        assert expired.json()["error"]["code"] == "session_expired"

        sign_in(browser, token)
        with transaction(services.sessions) as session:
            keys.revoke_key(session, token.split("_")[1])
        revoked = browser.get("/v1/review/tasks")
        assert revoked.json()["error"]["code"] == "key_revoked"
        browser.cookies.clear()
        browser.cookies.update(cookie)
        assert browser.get("/v1/review/tasks").status_code == 401


def test_a_wrong_key_signs_nobody_in(services: Services) -> None:
    with TestClient(create_app(services)) as browser:
        refused = browser.post("/v1/sessions", json={"key": "sohoa_000000000000_guess"})
        assert refused.status_code == 401 and "set-cookie" not in refused.headers
        assert browser.get("/v1/review/tasks").status_code == 401


def test_a_bearer_caller_is_told_who_it_is_without_a_session(
    services: Services, key_for: KeyFor
) -> None:
    token = key_for(Role.PROCESSOR, Role.OPERATOR, agencies=["PVHCC"])
    with TestClient(create_app(services)) as program:
        answer = program.get("/v1/sessions/current", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    me = answer.json()
    assert me["key_id"] == token.split("_")[1] and me["name"] == "test processor+operator"
    assert me["roles"] == ["operator", "processor"] and me["agencies"] == ["PVHCC"]
    assert me["signed_in"] is False and me["csrf_token"] is None and me["expires_at"] is None
