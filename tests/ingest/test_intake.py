"""What intake keeps of a file's name (its own name, printable, composed, bounded) and of a
file too large to take."""

from __future__ import annotations

import hashlib
import io

import pytest

from ingest.intake import IncomingFile, clean_filename, receive_dossier
from ingest.services import Services
from models.status import DocumentStatus
from storage import repository
from storage.objects import original_key, refused_head_key


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\scans\\hồ sơ.pdf", "hồ sơ.pdf"),
        ("scan\x00\x07 1.png", "scan 1.png"),  # a NUL would reach SQL
        ("\udcff\udcfe.png", ".png"),  # non-UTF-8 bytes, as the server decodes them
        ("ho\u0301 so\u031b.pdf", "hó sơ.pdf"),  # decomposed marks, composed
        ("", "unnamed"),
        ("\x00", "unnamed"),
    ],
)
def test_a_file_name_is_cleaned(sent: str, kept: str) -> None:
    assert clean_filename(sent) == kept


def test_a_long_file_name_is_cut_to_255_characters() -> None:
    assert len(clean_filename("x" * 300 + ".pdf")) == 255


def test_a_file_over_the_size_limit_keeps_its_first_block_only_and_its_dossier_goes_on(
    services: Services,
) -> None:
    services.settings = services.settings.model_copy(update={"max_upload_bytes": 200 * 1024})
    big = b"%PDF-1.7\n" + bytes(range(256)) * 1024  # 256 KiB
    small = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    _, received = receive_dossier(
        services,
        repository.NewDossier("SIZE-1", "1.001612", "PVHCC"),
        [IncomingFile("big.pdf", io.BytesIO(big)), IncomingFile("a.png", io.BytesIO(small))],
    )
    too_large, other = (item.document for item in received)
    assert (too_large.status, too_large.error_code) == (DocumentStatus.FAILED, "file_too_large")
    assert "only its first 64 KiB are kept" in (too_large.error_reason or "")
    sha = hashlib.sha256(big).hexdigest()
    assert services.store.get_bytes(refused_head_key(sha)) == big[: 64 * 1024]
    assert not services.store.exists(original_key(sha))
    assert other.status == DocumentStatus.RECEIVED  # queued for OCR like any other
    assert services.store.get_bytes(original_key(other.sha256)) == small
