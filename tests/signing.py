"""The agency's signing credentials for tests: a test CA and an agency certificate under it,
generated with ``cryptography`` (``api.demo_agency``), and settings that sign with them."""

from __future__ import annotations

import io
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pydantic import SecretStr
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from api.demo_agency import AgencyCredentials
from models.config import Settings

TEST_AGENCY = "UBND phường Hoàn Kiếm (test)"


def signing(settings: Settings, credentials: AgencyCredentials) -> Settings:
    """``settings`` signing with ``credentials``."""
    return settings.model_copy(
        update={
            "signing_pkcs12": credentials.pkcs12,
            "signing_pkcs12_password": SecretStr(credentials.password),
            "signing_location": "Hà Nội",
        }
    )


def validated(data: bytes, ca_certificate: Path) -> PdfSignatureStatus:
    """pyHanko's own validator on the last signature of ``data``, trusting only the test CA."""
    _, _, der = pem.unarmor(ca_certificate.read_bytes())
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[-1], context)
