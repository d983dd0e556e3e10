"""Whether a PDF is a copy this service signed, unmodified since, and of which document.

The signature is judged by pyHanko (``ingest.pades``) against the roots the settings trust and
the certificates that signed stored versions (so that a copy signed before the agency's
certificate was renewed still verifies). The copy's own metadata names the document, dossier
and receipt code it is a copy of; the database says whether the file is, byte for byte, a
version this service stored, and which version of that document is the newest.

The file is untrusted, like an upload: pyHanko and qpdf read it in a sandboxed child
(``ingest.sandbox``, under ``SOHOA_PARSE_MEMORY_MIB`` and ``SOHOA_PARSE_SECONDS``). Bytes that are
not a PDF, or a PDF that cannot be read, are refused (``RejectedFileError``, 422) with a sentence
saying what was sent; an unsigned or altered PDF is answered with a verdict that says why it is
not valid.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

import pikepdf
from asn1crypto import x509 as asn1_x509

from ingest.agency_key import certificate_fingerprint, load_certificate_pem
from ingest.fingerprint import fingerprint
from ingest.pades import NotSignedError, SignatureCheck, check_signature
from ingest.sandbox import Channel, Limits, Sandbox
from ingest.services import Services
from models.errors import RejectedFileError
from models.signing_schemas import CertificatePublic, CopyVerdict
from ocr.archival_pdf import identity_of
from storage import signed_copies
from storage.database import transaction

PDF_MAGIC = b"%PDF-"


def verify_copy(services: Services, stream: BinaryIO) -> CopyVerdict:
    """The verdict on the PDF read from ``stream``."""
    printed = fingerprint(stream)
    if PDF_MAGIC not in printed.head[:1024]:
        what = (
            f"it starts with bytes {printed.head[:8].hex(' ')}" if printed.head else "it is empty"
        )
        raise RejectedFileError(
            f"the file is not a PDF ({what}): send the signed copy as it was downloaded from "
            f"/v1/documents/{{id}}/signed.pdf",
            code="not_a_pdf",
        )
    with transaction(services.sessions) as session:
        known = [load_certificate_pem(pem) for pem in signed_copies.signing_certificates(session)]
        stored = signed_copies.find_by_sha256(session, printed.sha256)
    ours = known + ([services.agency_key.certificate] if services.agency_key else [])
    roots = list(services.agency_key.trust_roots) if services.agency_key else []
    anchors = [cert.dump() for cert in roots + ours]
    judged = _judged(stream, anchors, Limits.from_settings(services.settings))
    if judged is None:
        return _unsigned()
    check, identity = judged
    document_id = identity.get("documentId")
    latest = None
    if document_id:
        with transaction(services.sessions) as session:
            newest = signed_copies.latest(session, document_id)
            latest = newest.version if newest else None
    by_us = certificate_fingerprint(check.certificate) in {
        certificate_fingerprint(cert) for cert in ours
    }
    problems = _problems(check, by_us)
    return CopyVerdict(
        valid=not problems,
        signed=True,
        intact=check.intact,
        unmodified_since_signing=check.covers_whole_file,
        trusted=check.trusted,
        signed_by_this_service=by_us,
        known_version=stored is not None,
        certificate=_certificate(check.certificate),
        signed_at=check.signed_at,
        timestamped=check.timestamped,
        reason=check.reason,
        location=check.location,
        document_id=document_id,
        dossier_id=identity.get("dossierId"),
        receipt_code=identity.get("receiptCode"),
        version=int(identity["version"]) if identity.get("version", "").isdigit() else None,
        latest_version=latest,
        problems=problems,
    )


def _problems(check: SignatureCheck, by_us: bool) -> list[str]:
    problems = []
    if not check.intact:
        problems.append("the signed content was changed after signing, or the signature is bad")
    if not check.covers_whole_file:
        problems.append("content was added to the file after it was signed")
    if not by_us:
        problems.append("it was signed by a certificate that is not this service's")
    elif check.intact and not check.trusted:
        problems.append("the signing certificate does not chain to a root this service trusts")
    return problems


def _unsigned() -> CopyVerdict:
    return CopyVerdict(
        valid=False, signed=False, intact=False, unmodified_since_signing=False, trusted=False,
        signed_by_this_service=False, known_version=False, certificate=None, signed_at=None,
        timestamped=False, reason=None, location=None, document_id=None, dossier_id=None,
        receipt_code=None, version=None, latest_version=None,
        problems=["the PDF carries no signature: it is not a signed copy of this service"],
    )  # fmt: skip


def _judged(
    stream: BinaryIO, roots: list[bytes], limits: Limits
) -> tuple[SignatureCheck, dict[str, str]] | None:
    """The signature's check and the copy's identity, read in a sandboxed child (the file is
    untrusted, as an upload is); None for a PDF without a signature. Certificates cross the
    pipe as DER: asn1crypto's parsed objects do not survive pickling into a fresh process."""
    with tempfile.TemporaryDirectory(prefix="sohoa-verify-") as folder:
        path = Path(folder) / "presented.pdf"
        with path.open("wb") as copy:
            shutil.copyfileobj(stream, copy)
        with Sandbox(_judge, (str(path), roots), limits, reader="the PDF reader") as sandbox:
            judged: tuple[SignatureCheck, dict[str, str]] | None = sandbox.receive()
    return judged


def _judge(channel: Channel, path: str, roots: list[bytes]) -> None:
    """In the child: judge the last signature and read the identity; send both, or None."""
    data = Path(path).read_bytes()
    try:
        check = check_signature(data, [asn1_x509.Certificate.load(der) for der in roots])
    except NotSignedError:
        channel.send(None)
        return
    except Exception as e:  # a parser's error on a hostile file, whatever its kind
        raise RejectedFileError(
            f"the PDF cannot be read ({type(e).__name__}: {e}): it is damaged or cut short; "
            f"download the signed copy again",
            code="unreadable_pdf",
        ) from None
    channel.send((check, _identity(data)))


def _identity(data: bytes) -> dict[str, str]:
    """The copy's identity from its XMP; empty when the file's metadata cannot be read."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return identity_of(pdf)
    except (pikepdf.PdfError, ValueError):
        return {}


def _certificate(certificate: asn1_x509.Certificate) -> CertificatePublic:
    validity = certificate["tbs_certificate"]["validity"]
    return CertificatePublic(
        subject=certificate.subject.human_friendly,
        issuer=certificate.issuer.human_friendly,
        serial_number=format(certificate.serial_number, "x"),
        sha256=certificate_fingerprint(certificate),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
    )
