"""``sohoa verify FILE`` from the shell: a signed copy is valid (exit 0), an altered one is not
(exit 1), and a file that is not a PDF is refused with a reason (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.demo_agency import AgencyCredentials
from ingest.services import Services
from ingest.signed_copies import sign_copy
from models.config import Settings
from tests.ingest.signed_documents import add_read_card
from tests.signing import signing


@pytest.fixture
def settings(settings: Settings, agency: AgencyCredentials) -> Settings:
    return signing(settings, agency)


def sohoa_verify(
    settings: Settings, agency: AgencyCredentials, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SOHOA_DATA_DIR": str(settings.data_dir),
        "SOHOA_DATABASE_URL": settings.effective_database_url,
        "SOHOA_SIGNING_PKCS12": str(agency.pkcs12),
        "SOHOA_SIGNING_PKCS12_PASSWORD": agency.password,
    }
    return subprocess.run(
        [sys.executable, "-m", "api", "verify", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_verify_from_the_shell(
    services: Services, settings: Settings, agency: AgencyCredentials, tmp_path: Path
) -> None:
    card = add_read_card(services, tmp_path)
    copy = sign_copy(services, card.document_id)
    assert copy is not None
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(services.store.get_bytes(copy.object_key))

    valid = sohoa_verify(settings, agency, "--json", str(signed))
    assert valid.returncode == 0, valid.stderr
    verdict = json.loads(valid.stdout)
    assert verdict["valid"] and verdict["receipt_code"] == card.receipt_code
    assert verdict["document_id"] == card.document_id and verdict["version"] == 1

    data = bytearray(signed.read_bytes())
    data[data.index(b"\xff\xd8\xff") + 300] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(data))
    refused = sohoa_verify(settings, agency, str(altered))
    assert refused.returncode == 1 and "not valid" in refused.stdout
    assert "changed after signing" in refused.stdout

    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"PK\x03\x04 a zip, not a pdf")
    unreadable = sohoa_verify(settings, agency, str(garbage))
    assert unreadable.returncode == 2 and "not a PDF" in unreadable.stdout
