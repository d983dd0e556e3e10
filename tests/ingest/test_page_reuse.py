"""The same page digitized once, on SQLite and PostgreSQL, through the real jobs and tesseract:
a page already read in another dossier is reused (its words copied, linked to it) when it is
the same pixels, or a re-scan whose identifiers OCR reads the same where they were; never the
same card template filled in for somebody else; never under ``force_ocr``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from api.app import create_app
from ingest.intake import IncomingFile, receive_dossier
from ingest.page_reuse import find_reuse
from ingest.pages import PageImage
from ingest.queues import ALL_QUEUES, worker
from ingest.services import Services
from models.access import Role
from models.status import DOCUMENT_READ, TextSource
from models.tables import Document, Page, SearchEntry
from ocr.fingerprint import MAX_DISTANCE, fingerprint_page, hash_distance
from samples import render_document, save_png, scan
from storage import keys, page_hashes, repository
from storage.database import transaction

pytestmark = pytest.mark.slow

AGENCY = "PVHCC Quận 1"


def card_scan(folder: Path, seed: int, scanner_seed: int) -> Path:
    """A generated chip card (the person drawn from ``seed``) as a scanner delivers it."""
    card = render_document("cccd", seed=seed).pages[0].image
    path = folder / f"card-{seed}-{scanner_seed}.png"
    save_png([scan(card, seed=scanner_seed)], path)
    return path


def digitize(services: Services, receipt: str, path: Path, *, force_ocr: bool = False) -> str:
    """Upload ``path`` as a dossier of its own, read it to the end; the document's id."""
    new = repository.NewDossier(receipt, "1.001612", AGENCY)
    incoming = IncomingFile(path.name, io.BytesIO(path.read_bytes()))
    _, (received,) = receive_dossier(services, new, [incoming], force_ocr=force_ocr)
    worker(ALL_QUEUES, services.redis, services.settings).work(burst=True)
    return received.document.id


def read(services: Services, document_id: str) -> tuple[Document, Page, dict[str, tuple]]:
    """The document (read to the end), its page, and its fields: value, status, source."""
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        fields = {
            f.name: (f.value, f.status, f.source)
            for f in repository.document_fields(session, document_id)
        }
    assert document.status in DOCUMENT_READ, document.error_reason
    return document, document.pages[0], fields


def values(fields: dict[str, tuple]) -> dict[str, tuple]:
    return {name: (value, status) for name, (value, status, _) in fields.items()}


def test_the_same_card_in_a_second_dossier_is_reused_and_linked(
    services: Services, tmp_path: Path
) -> None:
    path = card_scan(tmp_path, seed=31, scanner_seed=1)
    first, first_page, first_fields = read(services, digitize(services, "REUSE-A", path))
    second_id = digitize(services, "REUSE-B", path)
    _, page, fields = read(services, second_id)

    assert first_page.text_source == TextSource.OCR
    assert page.text_source == TextSource.REUSED
    assert page.reused_from_page_id == first_page.id
    assert page.words_key != first_page.words_key  # a words object of its own
    assert (page.word_count, page.ocr_confidence) == (
        first_page.word_count, first_page.ocr_confidence,
    )  # fmt: skip
    assert page.pixels_sha256 == first_page.pixels_sha256
    assert fields["cccd_number"][0] and values(fields) == values(first_fields)
    assert {source for _, _, source in fields.values()} == {TextSource.REUSED}
    assert services.store.get_bytes(page.words_key or "") == services.store.get_bytes(
        first_page.words_key or ""
    )
    with transaction(services.sessions) as session:  # it feeds search like any page
        query = select(SearchEntry.text).where(
            SearchEntry.document_id == second_id, SearchEntry.kind == "line"
        )
        assert len(list(session.scalars(query))) >= 5

    with transaction(services.sessions) as session:
        token = keys.issue_key(session, name="processor", roles=[Role.PROCESSOR]).token
    with TestClient(create_app(services), headers={"Authorization": f"Bearer {token}"}) as api:
        view = api.get(f"/v1/documents/{second_id}").json()["pages"][0]
        original = api.get(f"/v1/documents/{first.id}").json()["pages"][0]
    assert view["text_source"] == "reused"
    assert view["reused_from"] == {"document_id": first.id, "index": 1}
    assert original["reused_from"] is None


def test_the_same_template_for_another_person_is_read_by_ocr(
    services: Services, tmp_path: Path
) -> None:
    """Two people's chip cards are close in pHash (the reuse candidate is found), but their
    number, name and date of birth read differently, so the second card is OCRed."""
    first_id = digitize(services, "REUSE-C", card_scan(tmp_path, seed=31, scanner_seed=1))
    _, first_page, first_fields = read(services, first_id)
    other = card_scan(tmp_path, seed=32, scanner_seed=1)

    fingerprint = fingerprint_page(Image.open(other))
    assert hash_distance(fingerprint.perceptual_hash, first_page.perceptual_hash or "") <= (
        MAX_DISTANCE
    )
    with transaction(services.sessions) as session:
        found = page_hashes.similar_pages(session, fingerprint.bands, AGENCY, limit=8)
    assert [page.id for page in found] == [first_page.id]

    _, page, fields = read(services, digitize(services, "REUSE-D", other))
    assert page.text_source == TextSource.OCR and page.reused_from_page_id is None
    assert fields["cccd_number"][0] != first_fields["cccd_number"][0]


def test_force_ocr_reads_the_same_card_again(services: Services, tmp_path: Path) -> None:
    path = card_scan(tmp_path, seed=33, scanner_seed=1)
    _, first_page, _ = read(services, digitize(services, "REUSE-E", path))
    _, page, _ = read(services, digitize(services, "REUSE-F", path, force_ocr=True))
    assert page.text_source == TextSource.OCR and page.reused_from_page_id is None
    assert page.pixels_sha256 == first_page.pixels_sha256  # found, and not reused


def test_a_rescan_of_the_same_card_is_reused_once_its_identifiers_read_the_same(
    services: Services, tmp_path: Path
) -> None:
    """Another pass through the scanner (another skew, blur, noise and JPEG): not the same
    pixels, but the number, name and date of birth read again at their places agree."""
    _, first_page, first_fields = read(
        services, digitize(services, "REUSE-G", card_scan(tmp_path, seed=34, scanner_seed=1))
    )
    rescan = card_scan(tmp_path, seed=34, scanner_seed=7)
    _, page, fields = read(services, digitize(services, "REUSE-H", rescan))
    assert page.pixels_sha256 != first_page.pixels_sha256
    assert page.text_source == TextSource.REUSED
    assert page.reused_from_page_id == first_page.id
    assert values(fields) == values(first_fields)


def test_a_rescan_whose_identifier_reads_otherwise_is_not_reused(
    services: Services, tmp_path: Path
) -> None:
    """The source's CCCD number as stored differs by one digit from what the re-scan shows
    (as if the first reading had been wrong): the crop read again disagrees, so nothing is
    reused, and the similar page counts as rejected."""
    first_id = digitize(services, "REUSE-I", card_scan(tmp_path, seed=35, scanner_seed=1))
    with transaction(services.sessions) as session:
        [number] = [
            f for f in repository.document_fields(session, first_id) if f.name == "cccd_number"
        ]
        digits = number.value or ""
        number.value = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    rescan = card_scan(tmp_path, seed=35, scanner_seed=7)
    new = repository.NewDossier("REUSE-J", "1.001612", AGENCY)
    _, (received,) = receive_dossier(
        services, new, [IncomingFile(rescan.name, io.BytesIO(rescan.read_bytes()))]
    )  # received, not yet read
    with Image.open(rescan) as image:
        image.load()
        page = PageImage(index=1, image=image, dpi=300)
    search = find_reuse(services, received.document.id, page, fingerprint_page(page.image))
    assert search.reuse is None
    assert search.rejected == 1
