"""What a digitized document offers besides its text: searchable PDF, hOCR, page images, and
pages whose words come from the PDF's own text layer."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import delete, select

from ingest.page_images import prune_page_images
from ingest.services import Services
from models.status import DOCUMENT_READ
from models.tables import ReviewTask
from samples import degrade, render_document, save_pdf, save_png, scan
from storage import repository
from storage.database import transaction
from tests.ingest.scanned_pdfs import ccitt_pdf, flate_pdf

pytestmark = pytest.mark.slow

FORM = {"receipt_code": "000.00.12.H56-261127-0042", "procedure_code": "1.001612", "agency": "X"}


def upload(client: TestClient, path: Path, **form: str) -> dict:
    files = [("files", (path.name, path.read_bytes()))]
    response = client.post("/v1/dossiers", data={**FORM, **form}, files=files)
    assert response.status_code == 202, response.text
    return response.json()


def document_view(client: TestClient, accepted: dict) -> dict:
    view = client.get(f"/v1/documents/{accepted['documents'][0]['id']}").json()
    assert view["status"] in DOCUMENT_READ, view
    return view


def pdftotext(path: Path) -> str:
    """The text in the order the PDF lays it down (as a viewer selects it), spaces collapsed."""
    result = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True)
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def scanned_pdf(tmp_path: Path) -> Path:
    form = render_document("don_de_nghi", seed=21, pages=2)
    path = tmp_path / "don.pdf"
    save_pdf([scan(page.image, seed=n) for n, page in enumerate(form.pages)], path)
    return path


def test_searchable_pdf_keeps_the_pages_and_adds_their_text(
    client: TestClient, work: Callable[[], None], scanned_pdf: Path, tmp_path: Path
) -> None:
    accepted = upload(client, scanned_pdf)
    work()
    document = document_view(client, accepted)
    response = client.get(f"/v1/documents/{document['id']}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    searchable = tmp_path / "searchable.pdf"
    searchable.write_bytes(response.content)
    with pikepdf.open(scanned_pdf) as before, pikepdf.open(searchable) as after:
        assert len(after.pages) == len(before.pages)
        for old, new in zip(before.pages, after.pages, strict=True):
            assert [float(v) for v in new.mediabox] == [float(v) for v in old.mediabox]
    text = pdftotext(searchable)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert line in text
    ocr_text = client.get(f"/v1/documents/{document['id']}/text").text
    assert " ".join(ocr_text.split()) == text


def test_hocr_and_page_image_of_a_page(
    client: TestClient, work: Callable[[], None], scanned_pdf: Path
) -> None:
    accepted = upload(client, scanned_pdf)
    work()
    document = document_view(client, accepted)
    base = f"/v1/documents/{document['id']}/pages/1"
    hocr = client.get(f"{base}/hocr")
    assert hocr.status_code == 200
    root = ET.fromstring(hocr.content)
    words = [e for e in root.iter() if e.get("class") == "ocrx_word"]
    assert len(words) == len(client.get(base).json()["words"])
    assert "bbox" in words[0].get("title", "")
    image = client.get(f"{base}/image")
    assert image.headers["content-type"] == "image/jpeg"  # the scan's own JPEG, kept as it is
    assert image.content.startswith(b"\xff\xd8")


@pytest.mark.parametrize("kind", ["flate", "ccitt"])
def test_the_page_images_of_a_lossless_scan_are_its_own_pixels(
    client: TestClient, work: Callable[[], None], tmp_path: Path, kind: str
) -> None:
    """Each page of a lossless scanned PDF is drawn by its own job; its stored image, written
    after OCR, holds the scan's pixels, and the page's size is theirs."""
    form = render_document("don_de_nghi", seed=22, pages=2)
    scans = [scan(page.image, seed=n) for n, page in enumerate(form.pages)]
    path = tmp_path / f"{kind}.pdf"
    if kind == "flate":
        flate_pdf(path, scans)
    else:
        scans = [image.point(lambda v: 255 if v >= 160 else 0) for image in scans]
        ccitt_pdf(path, scans)
    accepted = upload(client, path)
    work()
    document = document_view(client, accepted)
    for page, image in zip(document["pages"], scans, strict=True):
        base = f"/v1/documents/{document['id']}/pages/{page['index']}"
        assert len(client.get(base).json()["words"]) > 20
        response = client.get(f"{base}/image")
        assert response.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(response.content)) as stored:
            assert (page["width"], page["height"]) == stored.size == image.size
            assert np.array_equal(np.asarray(stored.convert("L")), np.asarray(image))


def test_a_scans_text_layer_is_kept_and_checked_unless_ocr_is_forced(
    client: TestClient, work: Callable[[], None], scanned_pdf: Path, tmp_path: Path
) -> None:
    """sohoa's own searchable PDF is a scan with a text layer: uploaded again, its words come
    from that layer, checked against OCR of the scan; with force_ocr they are read again."""
    accepted = upload(client, scanned_pdf)
    work()
    document = document_view(client, accepted)
    searchable = tmp_path / "again.pdf"
    searchable.write_bytes(client.get(f"/v1/documents/{document['id']}/pdf").content)
    ocr_text = client.get(f"/v1/documents/{document['id']}/text").text

    again_accepted = upload(client, searchable, receipt_code="AGAIN-1")
    work()
    again = document_view(client, again_accepted)
    assert {page["text_source"] for page in again["pages"]} == {"scan_text_layer"}
    assert all(page["rotation"] == 0 for page in again["pages"])  # its image was OCRed too
    reused = client.get(f"/v1/documents/{again['id']}/text").text
    assert sorted(reused.split()) == sorted(ocr_text.split())  # poppler orders blocks its way

    forced_file = tmp_path / "forced.pdf"
    forced_file.write_bytes(searchable.read_bytes() + b"\n")  # other bytes: a new document
    forced = upload(client, forced_file, force_ocr="true", receipt_code="FORCED-1")
    work()
    view = document_view(client, forced)
    assert view["force_ocr"] is True
    assert {page["text_source"] for page in view["pages"]} == {"ocr"}


def test_a_turned_page_is_read_upright_and_its_boxes_stay_on_the_scan(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    page = render_document("khai_sinh", seed=31).pages[0]
    path = tmp_path / "turned.png"
    save_png([degrade(page.image, "rotate90", seed=1)], path)
    accepted = upload(client, path)
    work()
    document = document_view(client, accepted)
    recorded = document["pages"][0]
    assert recorded["rotation"] == 270  # turned 90° counter-clockwise, 270° clockwise
    assert recorded["text_source"] == "ocr"
    words = client.get(f"/v1/documents/{document['id']}/pages/1").json()
    assert (words["width"], words["height"]) == (page.image.height, page.image.width)
    title = next(w for w in words["words"] if w["text"] == "NAM")
    assert title["height"] > title["width"]  # a word of a turned line is tall and narrow


def test_only_the_pages_under_review_keep_their_image_and_the_others_are_drawn_again(
    client: TestClient, work: Callable[[], None], services: Services, scanned_pdf: Path
) -> None:
    accepted = upload(client, scanned_pdf)
    work()
    document_id = document_view(client, accepted)["id"]
    with transaction(services.sessions) as session:
        pages = list(repository.get_document(session, document_id).pages)
        in_review = {t.field.page for t in session.scalars(select(ReviewTask)) if not t.closed}
    assert [page.index for page in pages] == [1, 2]
    assert not services.store.exists(f"documents/{document_id}/searchable.pdf")
    for page in pages:  # each kept while a field on it waits, drawn again otherwise
        assert services.store.exists(page.image_key) == (page.index in in_review)
        drawn = client.get(f"/v1/documents/{document_id}/pages/{page.index}/image")
        with Image.open(io.BytesIO(drawn.content)) as image:
            assert image.size == (page.width, page.height)
        services.store.put_bytes(page.image_key, drawn.content, drawn.headers["content-type"])

    with transaction(services.sessions) as session:  # a field of page 1 sent to review
        field = next(f for f in repository.document_fields(session, document_id) if f.page == 1)
        session.execute(delete(ReviewTask).where(ReviewTask.document_id == document_id))
        session.add(ReviewTask(field_id=field.id, document_id=document_id,
                               dossier_id=accepted["dossier_id"], document_type="don_de_nghi",
                               field_name=field.name))  # fmt: skip
    assert prune_page_images(services, document_id) == 1
    assert [services.store.exists(page.image_key) for page in pages] == [True, False]
    with transaction(services.sessions) as session:  # its review done
        for task in session.scalars(select(ReviewTask)):
            task.closed = True
    assert prune_page_images(services, document_id) == 1
    assert not any(services.store.exists(page.image_key) for page in pages)
