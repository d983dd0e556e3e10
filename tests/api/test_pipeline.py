"""End to end through the API with a real worker (rq burst), real tesseract, real databases."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.jobs import prepare
from ingest.reconciler import reconcile
from ingest.services import Services
from models.status import DOCUMENT_READ
from models.tables import utcnow
from samples import render_document, save_jpeg, save_pdf, save_png, scan
from storage.text_folding import folded_tokens
from tests.conftest import SESSION_CLAIM

pytestmark = pytest.mark.slow

FORM = {
    "receipt_code": "000.00.12.H56-261127-0007",
    "procedure_code": "1.001612",
    "agency": "PVHCC",
}


def words_of(text: str) -> set[str]:
    return {w.strip(".,:;()/").lower() for w in unicodedata.normalize("NFC", text).split()}


def recall(truth: str, ocr: str) -> float:
    """Share of the ground truth's words of 3+ letters that OCR found."""
    wanted = {w for w in words_of(truth) if len(w) >= 3}
    return len(wanted & words_of(ocr)) / len(wanted)


@pytest.fixture
def sample_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """A 3-page scanned PDF application form and a JPEG of a CCCD card, with their truth."""
    form = render_document("don_de_nghi", seed=11, pages=3)
    card = render_document("cccd", seed=12)
    pdf, jpeg = tmp_path / "don-de-nghi.pdf", tmp_path / "cccd.jpg"
    save_pdf([scan(page.image, seed=n) for n, page in enumerate(form.pages)], pdf)
    save_jpeg([scan(card.pages[0].image, seed=5)], jpeg)
    return {"pdf": (pdf, form.text), "jpeg": (jpeg, card.text)}


def upload(client: TestClient, *paths: Path) -> dict:
    files = [("files", (path.name, path.read_bytes())) for path in paths]
    response = client.post("/v1/dossiers", data=FORM, files=files)
    assert response.status_code == 202, response.text
    return response.json()


def test_a_dossier_is_digitized_end_to_end(
    client: TestClient, work: Callable[[], None], sample_files: dict[str, tuple[Path, str]]
) -> None:
    (pdf, pdf_truth), (jpeg, jpeg_truth) = sample_files["pdf"], sample_files["jpeg"]
    accepted = upload(client, pdf, jpeg)
    assert [d["status"] for d in accepted["documents"]] == ["received", "received"]
    work()
    view = client.get(accepted["status_url"]).json()
    assert view["status"] in ("digitized", "needs_review")  # needs_review: fields wait
    assert (view["pages_done"], view["pages_total"]) == (4, 4)
    documents = {d["filename"]: d for d in view["documents"]}
    assert documents[pdf.name]["media_type"] == "application/pdf"
    assert documents[pdf.name]["page_count"] == 3
    assert documents[jpeg.name]["media_type"] == "image/jpeg"
    for path, truth in ((pdf, pdf_truth), (jpeg, jpeg_truth)):
        document = documents[path.name]
        assert document["status"] in DOCUMENT_READ
        assert document["mean_confidence"] > 70
        text = client.get(f"/v1/documents/{document['id']}/text").text
        assert recall(truth, text) > 0.8, text
        for page in document["pages"]:
            words = client.get(f"/v1/documents/{document['id']}/pages/{page['index']}").json()
            assert words["words"], f"page {page['index']} of {path.name} has no words"
            first = words["words"][0]
            assert 0 <= first["left"] < words["width"] and 0 <= first["top"] < words["height"]
        original = client.get(f"/v1/documents/{document['id']}/original")
        assert original.content == path.read_bytes()
        line = max(text.splitlines(), key=len)  # its pages' lines are in the search index
        query = " ".join(folded_tokens(line)[:8])
        hits = client.get("/v1/search", params={"q": query}).json()["items"]
        assert any(h["document_id"] == document["id"] and h["kind"] == "line" for h in hits)


def test_the_same_upload_twice_is_stored_once(
    client: TestClient,
    work: Callable[[], None],
    services: Services,
    sample_files: dict[str, tuple[Path, str]],
) -> None:
    pdf, jpeg = sample_files["pdf"][0], sample_files["jpeg"][0]
    first = upload(client, pdf, jpeg)
    work()
    second = upload(client, pdf, jpeg)
    work()
    assert second["dossier_id"] == first["dossier_id"]
    assert [d["duplicate"] for d in second["documents"]] == [True, True]
    assert [d["id"] for d in second["documents"]] == [d["id"] for d in first["documents"]]
    view = client.get(first["status_url"]).json()
    assert len(view["documents"]) == 2
    assert view["pages_total"] == 4
    assert sum(len(d["pages"]) for d in view["documents"]) == 4
    originals = services.settings.objects_dir / "originals"
    assert len([p for p in originals.iterdir() if not p.name.startswith(".")]) == 2


def test_bad_files_are_refused_with_reasons_and_the_rest_carries_on(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    good = tmp_path / "cccd.png"
    save_png([render_document("cccd", seed=3).pages[0].image], good)
    full_pdf = tmp_path / "full.pdf"
    save_pdf([render_document("khai_sinh", seed=4).pages[0].image], full_pdf)
    bad = {
        "empty.pdf": b"",
        "notes.pdf": "Hồ sơ này là một tệp văn bản, không phải bản quét.\n".encode() * 20,
        "truncated.pdf": full_pdf.read_bytes()[: full_pdf.stat().st_size // 2],
    }
    files = [("files", (name, data)) for name, data in bad.items()]
    files.append(("files", (good.name, good.read_bytes())))
    accepted = client.post("/v1/dossiers", data=FORM, files=files).json()
    work()
    view = client.get(accepted["status_url"]).json()
    assert view["status"] == "needs_review"
    documents = {d["filename"]: d for d in view["documents"]}
    assert documents["cccd.png"]["status"] in DOCUMENT_READ
    assert documents["empty.pdf"]["error_code"] == "empty_file"
    assert documents["notes.pdf"]["error_code"] == "unsupported_type"
    assert documents["truncated.pdf"]["status"] == "failed"
    for name, data in bad.items():
        document = documents[name]
        assert document["status"] == "failed"
        assert len(document["error_reason"]) > 20, document
        assert client.get(f"/v1/documents/{document['id']}/original").content == data


def lose_everything_queued(services: Services) -> None:
    """Redis loses everything it was to deliver (this session's hold on the database stays)."""
    for key in services.redis.scan_iter():
        if key != SESSION_CLAIM.encode():
            services.redis.delete(key)


def test_jobs_run_twice_change_nothing_and_lost_work_is_reconciled(
    client: TestClient, work: Callable[[], None], services: Services, tmp_path: Path
) -> None:
    image = tmp_path / "cccd.jpg"
    save_jpeg([render_document("cccd", seed=8).pages[0].image], image)
    accepted = upload(client, image)
    lose_everything_queued(services)
    work()
    document_id = accepted["documents"][0]["id"]
    assert client.get(f"/v1/documents/{document_id}").json()["status"] == "received"
    assert reconcile(services) == []  # not stale yet
    later = utcnow().replace(year=utcnow().year + 1)
    assert reconcile(services, now=later) == [document_id]
    work()
    done = client.get(f"/v1/documents/{document_id}").json()
    assert done["status"] in DOCUMENT_READ
    prepare(document_id)
    work()
    assert client.get(f"/v1/documents/{document_id}").json() == done
