"""Every route × every role: 401 without a key, 403 with a key of the wrong role, through for
the right one; keys scoped to agencies reach those agencies' dossiers only."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.access import ROUTES
from api.app import KEYED_ROUTERS, OPEN_ROUTERS, create_app
from ingest.services import Services
from models.access import Role
from tests.api.conftest import KeyFor, bearer

KEYED = [
    (method, route.path, route.name)
    for router in KEYED_ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute)
    for method in sorted(route.methods)
]
OPEN_PATHS = {route.path for router in OPEN_ROUTERS for route in router.routes}
FORM = {"receipt_code": "ACCESS-1", "procedure_code": "1.001612", "agency": "PVHCC"}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def app_client(services: Services) -> TestClient:
    return TestClient(create_app(services))


def test_every_route_but_health_needs_a_key_and_the_right_role(
    app_client: TestClient, role_keys: dict[Role, str]
) -> None:
    open_routes = {r.name for router in OPEN_ROUTERS for r in router.routes}
    # health (2), metrics, sign-in, the review page, the public status (JSON, form and page)
    assert len(KEYED) == len(ROUTES) - len(open_routes) == len(ROUTES) - 8
    for method, path, name in KEYED:
        url = concrete(path)
        anonymous = app_client.request(method, url)
        assert anonymous.status_code == 401, (name, anonymous.text)
        assert anonymous.headers["WWW-Authenticate"] == "Bearer"
        assert anonymous.json()["error"]["code"] == "key_missing"
        for role, token in role_keys.items():
            answer = app_client.request(method, url, headers=bearer(token))
            if role in ROUTES[name].roles:
                assert answer.status_code not in (401, 403), (name, role, answer.text)
            else:
                assert answer.status_code == 403, (name, role, answer.text)
                assert f"needs one of: {', '.join(sorted(ROUTES[name].roles))}" in answer.text


def test_health_checks_stay_open(app_client: TestClient) -> None:
    assert app_client.get("/healthz").status_code == 200
    assert app_client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    "token",
    ["", "sohoa", "sohoa_0123456789ab_", "sohoa_0123456789ab_guess", "Basic abc", "x" * 500],
)
def test_a_key_sohoa_did_not_issue_is_refused(app_client: TestClient, token: str) -> None:
    answer = app_client.get("/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert "sohoa_" not in answer.json()["error"]["message"].replace("sohoa keys", "")


def test_a_right_key_with_a_wrong_secret_is_refused(
    app_client: TestClient, role_keys: dict[Role, str]
) -> None:
    token = role_keys[Role.PROCESSOR]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert app_client.get("/v1/dossiers", headers=bearer(forged)).status_code == 401
    assert app_client.get("/v1/dossiers", headers=bearer(token)).status_code == 200


def test_a_revoked_key_is_refused_at_its_next_request(
    app_client: TestClient, role_keys: dict[Role, str]
) -> None:
    processor, admin = role_keys[Role.PROCESSOR], role_keys[Role.ADMIN]
    assert app_client.get("/v1/dossiers", headers=bearer(processor)).status_code == 200
    key_id = processor.split("_")[1]
    revoked = app_client.delete(f"/v1/keys/{key_id}", headers=bearer(admin))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    answer = app_client.get("/v1/dossiers", headers=bearer(processor))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "key_revoked"


def test_an_administrator_issues_a_key_that_works_and_is_shown_once(
    app_client: TestClient, role_keys: dict[Role, str]
) -> None:
    admin = bearer(role_keys[Role.ADMIN])
    body = {"name": "Hệ thống một cửa", "roles": ["processor"], "agencies": ["PVHCC"]}
    issued = app_client.post("/v1/keys", json=body, headers=admin)
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    assert app_client.get("/v1/dossiers", headers=bearer(token)).status_code == 200
    listed = app_client.get("/v1/keys", headers=admin).json()
    mine = next(key for key in listed if key["id"] == issued.json()["id"])
    assert mine["roles"] == ["processor"] and mine["agencies"] == ["PVHCC"]
    assert token not in str(listed) and "token" not in mine
    refused = app_client.post("/v1/keys", json={"name": "x", "roles": []}, headers=admin)
    assert refused.status_code == 422


def test_a_key_scoped_to_an_agency_reaches_its_dossiers_only(
    app_client: TestClient, key_for: KeyFor
) -> None:
    desk_a = bearer(key_for(Role.SCANNER, agencies=["PVHCC"]))
    desk_b = bearer(key_for(Role.SCANNER, agencies=["UBND-X"]))
    reader_b = bearer(key_for(Role.PROCESSOR, agencies=["UBND-X"]))
    scan = {"files": ("a.png", b"\x89PNG\r\n\x1a\n")}
    accepted = app_client.post("/v1/dossiers", data=FORM, files=scan, headers=desk_a)
    assert accepted.status_code == 202, accepted.text
    dossier_id = accepted.json()["dossier_id"]
    document_id = accepted.json()["documents"][0]["id"]

    other = app_client.post("/v1/dossiers", data=FORM, files=scan, headers=desk_b)
    assert other.status_code == 403  # the receipt code is agency A's dossier
    wrong = {**FORM, "receipt_code": "ACCESS-2"}
    assert (
        app_client.post("/v1/dossiers", data=wrong, files=scan, headers=desk_b).status_code == 403
    )

    for headers in (desk_b, reader_b):
        assert app_client.get(f"/v1/dossiers/{dossier_id}", headers=headers).status_code == 404
        assert app_client.get("/v1/dossiers", headers=headers).json()["total"] == 0
    assert app_client.get(f"/v1/documents/{document_id}", headers=reader_b).status_code == 404
    assert app_client.get(f"/v1/dossiers/{dossier_id}", headers=desk_a).status_code == 200


def test_the_openapi_schema_shows_the_key_scheme_on_every_route_but_health_and_sign_in(
    app_client: TestClient,
) -> None:
    schema = app_client.get("/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            keyed = {"ApiKey": []} in operation.get("security", [])
            assert keyed == (path not in OPEN_PATHS), path
