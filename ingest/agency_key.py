"""The agency's signing key, certificate and chain, as the settings give them.

Two sources are read: a PKCS#12 file (``SOHOA_SIGNING_PKCS12``, with its password), or a PEM
pair (``SOHOA_SIGNING_CERTIFICATE`` and ``SOHOA_SIGNING_KEY``, with ``SOHOA_SIGNING_CHAIN`` for
the certificates up to a root). Either way the result is a pyHanko ``Signer``, which is the seam
for a key that never leaves a hardware token: ``pyhanko.sign.pkcs11.PKCS11Signer`` (with the
``python-pkcs11`` package and the token's module, slot and key label) is also a ``Signer``, and
``load_agency_key`` is the one place that would build it; nothing downstream changes.

A setting that names a missing file, a wrong password or a key that does not match its
certificate stops the process at start (``ConfigurationError``) rather than at the first
document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper

from models.config import Settings
from models.errors import ConfigurationError


@dataclass(frozen=True)
class AgencyKey:
    """What signing needs: the signer, its certificate, the roots a copy must chain to, and the
    timestamp authority when one is set."""

    signer: Signer
    certificate: asn1_x509.Certificate
    trust_roots: tuple[asn1_x509.Certificate, ...]
    timestamper: TimeStamper | None

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, in hex: how a signing certificate is known."""
    return hashlib.sha256(certificate.dump()).hexdigest()


def certificate_pem(certificate: asn1_x509.Certificate) -> str:
    return pem.armor("CERTIFICATE", certificate.dump()).decode()


def load_certificate_pem(text: str) -> asn1_x509.Certificate:
    _, _, der = pem.unarmor(text.encode())
    return asn1_x509.Certificate.load(der)


def load_agency_key(settings: Settings) -> AgencyKey | None:
    """The configured key, or None when signing is not configured."""
    if not settings.signing_configured:
        return None
    signer = _signer(settings)
    certificate = signer.signing_cert
    if certificate is None:
        raise ConfigurationError("the signing key came without its certificate")
    chain = [cert for cert in signer.cert_registry if cert.dump() != certificate.dump()]
    roots = (
        _certificates(settings.signing_trust_roots, "signing_trust_roots")
        if settings.signing_trust_roots
        else [_top_of(certificate, chain)]
    )
    url = settings.signing_timestamp_url
    return AgencyKey(
        signer=signer,
        certificate=certificate,
        trust_roots=tuple(roots),
        timestamper=HTTPTimeStamper(url) if url else None,
    )


def _signer(settings: Settings) -> Signer:
    chain = [str(settings.signing_chain)] if settings.signing_chain else None
    if settings.signing_pkcs12 is not None:
        _readable(settings.signing_pkcs12, "signing_pkcs12")
        password = settings.signing_pkcs12_password.get_secret_value().encode() or None
        signer = SimpleSigner.load_pkcs12(
            str(settings.signing_pkcs12), ca_chain_files=chain, passphrase=password
        )
        setting = "signing_pkcs12 (or its password)"
    else:
        assert settings.signing_key is not None and settings.signing_certificate is not None
        _readable(settings.signing_key, "signing_key")
        _readable(settings.signing_certificate, "signing_certificate")
        password = settings.signing_key_password.get_secret_value().encode() or None
        signer = SimpleSigner.load(
            str(settings.signing_key),
            str(settings.signing_certificate),
            ca_chain_files=chain,
            key_passphrase=password,
        )
        setting = "signing_key and signing_certificate (or the key's password)"
    if signer is None:  # pyHanko logs why and answers None
        raise ConfigurationError(f"the agency's signing key could not be opened: check {setting}")
    if not _key_matches(signer):
        raise ConfigurationError(f"the signing key is not the certificate's: check {setting}")
    return signer


def _key_matches(signer: SimpleSigner) -> bool:
    if signer.signing_cert is None:
        return False
    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public == signer.signing_cert.public_key.dump()


def _readable(path: Path, setting: str) -> None:
    if not path.is_file():
        raise ConfigurationError(f"{setting} names {path}, which is not a readable file")


def _certificates(path: Path, setting: str) -> list[asn1_x509.Certificate]:
    _readable(path, setting)
    found = list(load_certs_from_pemder([str(path)]))
    if not found:
        raise ConfigurationError(f"{setting} ({path}) holds no certificate")
    return found


def _top_of(
    certificate: asn1_x509.Certificate, chain: list[asn1_x509.Certificate]
) -> asn1_x509.Certificate:
    """The last certificate reached by following issuers from ``certificate`` through
    ``chain``: a root when the chain has one, the agency's own certificate when it is empty."""
    by_subject = {cert.subject.dump(): cert for cert in chain}
    current = certificate
    for _ in range(len(chain)):
        issuer = by_subject.get(current.issuer.dump())
        if issuer is None or issuer.dump() == current.dump():
            break
        current = issuer
    return current
