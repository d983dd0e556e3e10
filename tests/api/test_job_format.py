"""Jobs the API enqueues are stored in Redis as JSON, never as pickles, and still run."""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Callable

from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from ingest import queues
from ingest.services import Services
from models.status import DOCUMENT_READ
from storage import repository
from storage.database import transaction
from tests.access import desk_headers

FORM = {"receipt_code": "JSON-0001", "procedure_code": "1.001612", "agency": "PVHCC"}
PICKLE_PROTOCOL_2_OR_LATER = 0x80  # the first byte of every pickle rq would write


def small_page() -> bytes:
    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "CONG HOA XA HOI CHU NGHIA VIET NAM", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def stored_fields(services: Services, job_id: str) -> dict[bytes, bytes]:
    fields: dict[bytes, bytes] = services.redis.hgetall(f"rq:job:{job_id}")  # type: ignore[assignment]
    assert fields, f"no job {job_id} in Redis"
    return fields


def test_a_job_enqueued_by_the_api_is_stored_as_json_and_runs(
    client: TestClient, services: Services, work: Callable[[], None]
) -> None:
    response = client.post(
        "/v1/dossiers",
        data=FORM,
        files=[("files", ("page.png", small_page()))],
        headers=desk_headers(services.sessions),
    )
    assert response.status_code == 202, response.text
    document_id = response.json()["documents"][0]["id"]
    job_id = queues.prepare_job_id(document_id)

    data = zlib.decompress(stored_fields(services, job_id)[b"data"])
    assert data[0] != PICKLE_PROTOCOL_2_OR_LATER
    func_name, _instance, args, kwargs = json.loads(data)
    assert (func_name, args, kwargs) == ("ingest.jobs.prepare", [document_id], {})

    work()
    with transaction(services.sessions) as session:
        assert repository.get_document(session, document_id).status in DOCUMENT_READ
    job = queues.fetch(job_id, services.redis)
    assert job.return_value() is None
    for field, value in stored_fields(services, job_id).items():
        raw = zlib.decompress(value) if field == b"data" else value
        assert raw[:1] != bytes([PICKLE_PROTOCOL_2_OR_LATER]), f"{field!r} is a pickle"
