"""Signed archival copies on SQLite and PostgreSQL: PDF/A-2b markers, a PAdES signature that
pyHanko's validator accepts, the original's images byte for byte, no active content, a new
version for a correction with the earlier one still valid, and verdicts on presented files."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pydantic import SecretStr, ValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from sqlalchemy import update

from api.demo_agency import AgencyCredentials, write_agency_credentials
from ingest import queues
from ingest import review as desk
from ingest.agency_key import load_agency_key
from ingest.pades import REASON
from ingest.reconciler import reconcile
from ingest.services import Services
from ingest.signed_copies import sign_copy
from ingest.verification import verify_copy
from models.config import Settings
from models.errors import ConfigurationError, RejectedFileError, UnavailableError
from models.status import DocumentStatus, Resolution, TextSource
from models.tables import Page, ReviewTask, SignedCopy, utcnow
from storage import repository, review, signed_copies
from storage.database import transaction
from tests.ingest.signed_documents import MISREAD, RIGHT, ReadCard, add_read_card
from tests.signing import TEST_AGENCY, signing, validated

OPERATOR = "operator-key"


@pytest.fixture
def settings(settings: Settings, agency: AgencyCredentials) -> Settings:
    return signing(settings, agency)


@pytest.fixture
def card(services: Services, tmp_path: Path) -> ReadCard:
    return add_read_card(services, tmp_path)


def signed_bytes(services: Services, document_id: str, version: int) -> bytes:
    with transaction(services.sessions) as session:
        key = signed_copies.get_version(session, document_id, version).object_key
    return services.store.get_bytes(key)


def text_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return " ".join(done.stdout.decode().split())


def correct_the_name(services: Services, document_id: str) -> None:
    with transaction(services.sessions) as session:
        (task,) = session.query(ReviewTask).filter_by(document_id=document_id).all()
        review.claim(session, [task.id], OPERATOR, timedelta(minutes=5))
        session.refresh(task)
        decision = desk.Decision(Resolution.CORRECTED, value=RIGHT)
        desk.resolve(session, services.document_types, task, OPERATOR, decision)


def image_streams(data: bytes) -> list[bytes]:
    """The raw (still encoded) data of every image in the file."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sorted(
            obj.read_raw_bytes()
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image
        )


def test_the_signed_copy_is_archival_signed_and_keeps_the_scan(
    services: Services, card: ReadCard, agency: AgencyCredentials, tmp_path: Path
) -> None:
    copy = sign_copy(services, card.document_id)
    assert copy is not None and copy.version == 1 and copy.pdfa == "2B"
    data = signed_bytes(services, card.document_id, 1)
    status = validated(data, agency.ca_certificate)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == TEST_AGENCY
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        with pdf.open_metadata() as meta:
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            assert meta["pdf:Producer"] == str(pdf.docinfo["/Producer"])
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert fonts and all(
            "/FontFile2" in descendant.FontDescriptor
            for font in fonts
            for descendant in font.DescendantFonts
        )
        assert "/OpenAction" not in pdf.Root and not pdf.attachments  # no active content
        (signature,) = pdf.Root.AcroForm.Fields
        assert str(signature.V.Reason) == REASON and str(signature.V.Location) == "Hà Nội"
        assert str(signature.T) == f"Sohoa_{card.document_id}_v1"
        assert str(signature.V.M).startswith("D:20")  # the signing time
    assert image_streams(data) == image_streams(card.original)  # byte for byte
    assert MISREAD in text_of(data, tmp_path)


def test_one_byte_changed_fails_validation(
    services: Services, card: ReadCard, agency: AgencyCredentials
) -> None:
    sign_copy(services, card.document_id)
    data = bytearray(signed_bytes(services, card.document_id, 1))
    jpeg = data.index(b"\xff\xd8\xff")  # inside the page's image, which the signature covers
    data[jpeg + 500] ^= 0x01
    status = validated(bytes(data), agency.ca_certificate)
    assert not status.intact and not status.bottom_line
    verdict = verify_copy(services, io.BytesIO(bytes(data)))
    assert not verdict.valid and not verdict.intact and verdict.signed
    assert "changed after signing" in verdict.problems[0]


def test_a_correction_is_a_new_version_and_the_first_still_validates(
    services: Services, card: ReadCard, agency: AgencyCredentials, tmp_path: Path
) -> None:
    first = sign_copy(services, card.document_id)
    again = sign_copy(services, card.document_id)  # nothing changed: no new version
    assert first is not None and again is not None and again.id == first.id
    before = signed_bytes(services, card.document_id, 1)
    correct_the_name(services, card.document_id)
    with transaction(services.sessions) as session:
        assert repository.get_document(session, card.document_id).status == (
            DocumentStatus.VERIFIED
        )
    second = sign_copy(services, card.document_id)
    assert second is not None and second.version == 2
    assert sign_copy(services, card.document_id).version == 2  # type: ignore[union-attr]
    after = signed_bytes(services, card.document_id, 2)
    assert signed_bytes(services, card.document_id, 1) == before  # never changed
    for data in (before, after):
        assert validated(data, agency.ca_certificate).bottom_line
    assert MISREAD in text_of(before, tmp_path)
    corrected = text_of(after, tmp_path)
    assert "Họ và tên: Nguyễn Văn An" in corrected  # the value as settled (names normalised)
    assert MISREAD not in corrected
    assert image_streams(after) == image_streams(card.original)
    for version, data in ((1, before), (2, after)):
        verdict = verify_copy(services, io.BytesIO(data))
        assert verdict.valid and verdict.known_version, verdict.problems
        assert (verdict.version, verdict.latest_version) == (version, 2)
        assert (verdict.document_id, verdict.dossier_id) == (card.document_id, card.dossier_id)
        assert verdict.receipt_code == card.receipt_code


def test_verdicts_on_unsigned_foreign_and_garbage_files(
    services: Services, card: ReadCard, tmp_path: Path
) -> None:
    unsigned = verify_copy(services, io.BytesIO(card.original))
    assert not unsigned.signed and not unsigned.valid and "no signature" in unsigned.problems[0]
    with pytest.raises(RejectedFileError, match="not a PDF") as refused:
        verify_copy(services, io.BytesIO(b"GIF89a not a pdf at all"))
    assert refused.value.code == "not_a_pdf"
    with pytest.raises(RejectedFileError) as cut:
        verify_copy(services, io.BytesIO(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"))
    assert cut.value.code == "unreadable_pdf"
    # a copy signed by another agency's key, under another CA
    other = write_agency_credentials(tmp_path / "other", agency="Giả mạo", ca_name="Other CA")
    other_services = Services.from_settings(signing(services.settings, other))
    try:
        sign_copy(other_services, card.document_id)
        foreign = signed_bytes(services, card.document_id, 1)
    finally:
        other_services.engine.dispose()
    with transaction(services.sessions) as session:  # as if it had never been stored here
        session.query(SignedCopy).delete()
    verdict = verify_copy(services, io.BytesIO(foreign))
    assert verdict.intact and not verdict.signed_by_this_service and not verdict.valid
    assert verdict.certificate is not None and "Giả mạo" in verdict.certificate.subject


def test_a_key_that_does_not_open_stops_the_process_at_start(
    settings: Settings, tmp_path: Path
) -> None:
    wrong = settings.model_copy(update={"signing_pkcs12_password": SecretStr("not it")})
    with pytest.raises(ConfigurationError, match="signing_pkcs12"):
        load_agency_key(wrong)
    missing = settings.model_copy(update={"signing_pkcs12": tmp_path / "none.p12"})
    with pytest.raises(ConfigurationError, match="not a readable file"):
        load_agency_key(missing)


def test_an_unreachable_timestamp_authority_is_retried_and_stores_nothing(
    services: Services, card: ReadCard
) -> None:
    settings = services.settings.model_copy(
        update={"signing_timestamp_url": "http://127.0.0.1:9/tsa"}  # nothing listens on 9
    )
    services.agency_key = load_agency_key(settings)
    with pytest.raises(UnavailableError, match="timestamp authority") as unreachable:
        sign_copy(services, card.document_id)
    assert unreachable.value.retryable
    with transaction(services.sessions) as session:
        assert signed_copies.versions(session, card.document_id) == []


def test_the_reconciler_queues_the_signing_of_a_read_document_left_unsigned(
    services: Services, card: ReadCard
) -> None:
    worker = queues.worker(queues.ALL_QUEUES, services.redis, services.settings)
    reconcile(services)  # read just now: not stale yet
    worker.work(burst=True)
    with transaction(services.sessions) as session:
        assert signed_copies.versions(session, card.document_id) == []
    reconcile(services, now=utcnow() + timedelta(hours=1))  # its signing job was lost
    worker.work(burst=True)
    with transaction(services.sessions) as session:
        (copy,) = signed_copies.versions(session, card.document_id)
    assert copy.version == 1


def test_a_correction_on_a_page_whose_text_is_its_own_layer_is_not_laid_over_it(
    services: Services, card: ReadCard
) -> None:
    with transaction(services.sessions) as session:
        session.execute(
            update(Page)
            .where(Page.document_id == card.document_id)
            .values(text_source=TextSource.TEXT_LAYER)
        )
    first = sign_copy(services, card.document_id)
    correct_the_name(services, card.document_id)
    again = sign_copy(services, card.document_id)
    assert first is not None and again is not None and again.version == first.version == 1


def test_a_pem_pair_signs_as_the_pkcs12_file_does(
    services: Services, card: ReadCard, agency: AgencyCredentials, tmp_path: Path
) -> None:
    key, certificate, _ = pkcs12.load_key_and_certificates(
        agency.pkcs12.read_bytes(), agency.password.encode()
    )
    assert key is not None and certificate is not None
    key_file, certificate_file = tmp_path / "agency.key", tmp_path / "agency.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"pem secret"),
        )
    )
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    pair = services.settings.model_copy(
        update={
            "signing_pkcs12": None,
            "signing_key": key_file,
            "signing_key_password": SecretStr("pem secret"),
            "signing_certificate": certificate_file,
            "signing_chain": agency.ca_certificate,
        }
    )
    services.agency_key = load_agency_key(pair)
    copy = sign_copy(services, card.document_id)
    assert copy is not None
    assert validated(signed_bytes(services, card.document_id, 1), agency.ca_certificate).bottom_line
    with pytest.raises(ValidationError, match="not both"):
        Settings(signing_pkcs12=agency.pkcs12, signing_key=key_file,
                 signing_certificate=certificate_file, _env_file=None)  # fmt: skip
