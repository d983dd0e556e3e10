"""A request over the size cap is refused while it streams in, and nothing of it is kept."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from api.app import create_app
from ingest.services import Services
from storage import repository
from storage.database import transaction

FORM = {"receipt_code": "000.00.12.H56-261202-0011", "procedure_code": "1.001612", "agency": "X"}
LIMIT = 64 * 1024


def small_app(services: Services) -> TestClient:
    services.settings = services.settings.model_copy(update={"max_request_bytes": LIMIT})
    return TestClient(create_app(services))


def nothing_kept(services: Services) -> bool:
    with transaction(services.sessions) as session:
        _, total = repository.list_dossiers(session)
    return total == 0 and not list((services.settings.data_dir / "objects").rglob("originals/*"))


def test_a_body_declared_too_large_is_refused_before_it_is_read(services: Services) -> None:
    with small_app(services) as client:
        scan = b"\x89PNG\r\n\x1a\n" + b"0" * (2 * LIMIT)
        response = client.post("/v1/dossiers", data=FORM, files={"files": ("a.png", scan)})
    assert response.status_code == 413
    assert "larger than the 64 KiB" in response.json()["error"]["message"]
    assert nothing_kept(services)


def test_a_streamed_body_is_cut_off_when_it_passes_the_cap(services: Services) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n'
        for _ in range(8):
            yield b"0" * (LIMIT // 2)

    with small_app(services) as client:
        response = client.post(
            "/v1/dossiers",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "http_413"
    assert nothing_kept(services)
