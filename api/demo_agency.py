"""A demonstration agency's signing certificate: a CA of its own and the agency's key under it.

``make demo`` signs its copies with these, so that signed copies can be seen and verified on one
machine; the CA is trusted by nobody else, and the files say so in their names. A real agency
configures the certificate its CA issued it (``SOHOA_SIGNING_PKCS12``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_AGENCY = "Trung tâm Phục vụ hành chính công (demo)"


@dataclass(frozen=True)
class AgencyCredentials:
    pkcs12: Path
    password: str
    ca_certificate: Path
    """PEM of the CA that issued the agency's certificate: the root a verifier trusts."""


def write_agency_credentials(
    folder: Path,
    *,
    agency: str = DEMO_AGENCY,
    ca_name: str = "sohoa demo CA",
    password: str = "demo",
    days: int = 3650,
) -> AgencyCredentials:
    """Write ``agency.p12`` (the agency's key, certificate and the CA) and ``ca.pem``."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(_name(ca_name), _name(ca_name), ca_key, ca_key.public_key(), now, days)
    key = ec.generate_private_key(ec.SECP256R1())
    agency_certificate = _certificate(
        _name(agency), ca.subject, ca_key, key.public_key(), now, days, authority=False
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"agency",
        key,
        agency_certificate,
        [ca],
        serialization.BestAvailableEncryption(password.encode()),
    )
    credentials = AgencyCredentials(folder / "agency.p12", password, folder / "ca.pem")
    credentials.pkcs12.write_bytes(bundle)
    credentials.ca_certificate.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return credentials


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime,
    days: int,
    *,
    authority: bool = True,
) -> x509.Certificate:
    usage = x509.KeyUsage(
        digital_signature=not authority, content_commitment=not authority,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=authority, crl_sign=authority, encipher_only=False, decipher_only=False,
    )  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        .add_extension(usage, critical=True)
    )
    return builder.sign(issuer_key, hashes.SHA256())
