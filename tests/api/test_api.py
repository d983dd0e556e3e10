"""The API's contract without OCR: health, readiness, errors as JSON, validation."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ingest.services import Services
from models.errors import UnavailableError


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "queue": "ok", "object_store": "ok"}


def test_unknown_ids_answer_404_in_json(client: TestClient) -> None:
    for path in ("/v1/dossiers/nope", "/v1/documents/nope", "/v1/documents/nope/text"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"].endswith("not_found")


def test_an_upload_without_its_form_fields_is_explained(client: TestClient) -> None:
    response = client.post("/v1/dossiers", files={"files": ("a.png", b"x")})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "receipt_code" in error["message"]


def test_a_receipt_code_must_look_like_one(client: TestClient) -> None:
    response = client.post(
        "/v1/dossiers",
        data={"receipt_code": "../../etc", "procedure_code": "1.0", "agency": "x"},
        files={"files": ("a.png", b"x")},
    )
    assert response.status_code == 422


def test_listing_is_paged(client: TestClient) -> None:
    body = client.get("/v1/dossiers", params={"limit": 5}).json()
    assert body == {"items": [], "total": 0, "limit": 5, "offset": 0}
    assert client.get("/v1/dossiers", params={"limit": 0}).status_code == 422


def test_openapi_is_served(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/dossiers" in paths
    assert "/v1/documents/{document_id}/pages/{index}" in paths


class StoreDown:
    """An object store that cannot be reached, whose errors name where it lives."""

    def __getattr__(self, name: str) -> Any:
        def unreachable(*_: Any, **__: Any) -> None:
            raise UnavailableError("object folder /srv/sohoa/objects on 10.1.2.3 is unreachable")

        return unreachable


def test_an_unreachable_part_answers_503_naming_no_path_or_host(
    client: TestClient, services: Services
) -> None:
    services.store = StoreDown()  # type: ignore[assignment]
    response = client.post(
        "/v1/dossiers",
        data={"receipt_code": "000.00.12.H56-261202-0009", "procedure_code": "1.001612",
              "agency": "PVHCC"},
        files={"files": ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
    )  # fmt: skip
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "/srv" not in response.text and "10.1.2.3" not in response.text
    ready = client.get("/readyz").json()
    assert ready["checks"]["object_store"] == "unreachable"
    assert "/srv" not in str(ready)
