"""PAdES signatures on signed copies, through pyHanko: making one, and judging one.

A copy is signed with an invisible signature field (PAdES baseline B, ``ETSI.CAdES.detached``,
SHA-256), its reason ``Số hóa hồ sơ``, the location from the settings, the signing time in the
signature dictionary and, when a timestamp authority is set, an RFC 3161 timestamp over the
signature (baseline T). The copy's identity (document, dossier, receipt code, version) is in its
XMP (``ocr.archival_pdf``), inside the bytes the signature covers, and the field is named after
the document and version.

Judging a file answers the questions a reader of a copy asks: is it signed, are the signed
bytes unchanged, was nothing added after the signature, does the signer's certificate chain to
a root we trust, and which certificate it is. Revocation is not checked here (the service runs
on a closed network): a revoked agency certificate is a matter for the trust roots given.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ingest.agency_key import AgencyKey
from models.errors import EngineError, UnavailableError
from ocr.archival_pdf import SOHOA_NAMESPACE

REASON = "Số hóa hồ sơ"
"""The reason every copy is signed for: digitization of the dossier."""

PRODUCER = VENDOR
"""The producer a signed copy's information dictionary and XMP name alike: pyHanko writes the
final revision and puts its own name in both, so the archival step names it too."""


def field_name(document_id: str, version: int) -> str:
    return f"Sohoa_{document_id}_v{version}"


def sign_pdf(source: Path, out: Path, key: AgencyKey, *, name: str, location: str) -> None:
    """Sign ``source`` into ``out`` (an incremental update: the bytes before it are kept)."""
    ET.register_namespace("sohoa", SOHOA_NAMESPACE)  # pyHanko rewrites the XMP with ElementTree
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=REASON,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    try:
        with source.open("rb") as stream, out.open("wb") as target:
            writer = IncrementalPdfFileWriter(stream, strict=False)
            signers.sign_pdf(
                writer, meta, signer=key.signer, timestamper=key.timestamper, output=target
            )
    except TimestampRequestError as e:
        raise UnavailableError(f"the timestamp authority did not answer: {e}") from e
    except (SigningError, PdfError) as e:
        raise EngineError(f"the copy could not be signed: {e}", code="signing_failed") from e


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko found of a file's last signature."""

    field_name: str
    intact: bool
    """The signed bytes hash to what was signed, and the signature over that hash is good."""
    trusted: bool
    """The signer's certificate chains to one of the trust roots."""
    covers_whole_file: bool
    """Nothing was added to the file after the signature."""
    certificate_der: bytes
    signed_at: datetime | None
    timestamped: bool
    reason: str | None
    location: str | None

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.certificate_der)


class NotSignedError(Exception):
    """The PDF carries no signature."""


def check_signature(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Judge the last signature of the PDF ``data``.

    Raises ``NotSignedError`` for a PDF without signatures, and whatever pyHanko's parser
    raises for bytes it cannot read (``PdfError`` mostly): callers read untrusted files in a
    sandbox (``ingest.verification``) and refuse them there."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        raise NotSignedError("the PDF carries no signature")
    signature = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    dictionary = signature.sig_object
    return SignatureCheck(
        field_name=signature.field_name,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        certificate_der=status.signing_cert.dump(),
        signed_at=status.timestamp_validity.timestamp
        if status.timestamp_validity
        else status.signer_reported_dt,
        timestamped=status.timestamp_validity is not None,
        reason=_text(dictionary.get("/Reason")),
        location=_text(dictionary.get("/Location")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
