"""The PDF/A-2b markers of a signed copy, checked with pikepdf (veraPDF does not install here):
the output intent with an ICC profile, XMP claiming part 2 level B with the copy's identity
described by an extension schema, and no claim where the original's fonts are not embedded."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pikepdf
from PIL import ImageCms

from ocr.archival_pdf import CopyIdentity, archive, conformance_of, identity_of

IDENTITY = CopyIdentity("doc-1", "dossier-1", "000.00.12.H56-261204-0001", 3, "Đơn đề nghị.pdf")
AT = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)


def test_an_image_page_is_claimed_pdfa_2b_with_its_identity() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    outcome = archive(pdf, IDENTITY, creator="sohoa", producer="pyHanko 0.38.0", at=AT)
    assert outcome.conformance == "2B" and outcome.obstacles == ()
    (intent,) = pdf.Root.OutputIntents
    profile = ImageCms.ImageCmsProfile(io.BytesIO(intent.DestOutputProfile.read_bytes()))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
    assert conformance_of(pdf) == "2B"
    assert identity_of(pdf) == {
        "documentId": "doc-1", "dossierId": "dossier-1",
        "receiptCode": "000.00.12.H56-261204-0001", "version": "3",
    }  # fmt: skip
    packet = pdf.Root.Metadata.read_bytes().decode()
    assert "<pdfaSchema:prefix>sohoa</pdfaSchema:prefix>" in packet
    with pdf.open_metadata() as meta:
        assert meta["dc:title"] == "Đơn đề nghị.pdf"
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer) == "pyHanko 0.38.0"
        assert meta["xmp:CreatorTool"] == str(pdf.docinfo.Creator) == "sohoa"


def test_a_font_the_original_does_not_embed_keeps_the_claim_out() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica))
    outcome = archive(pdf, IDENTITY, creator="sohoa", producer="pyHanko 0.38.0", at=AT)
    assert outcome.conformance is None
    assert outcome.obstacles == ("page 1: font /F1 is not embedded",)
    assert conformance_of(pdf) is None and identity_of(pdf)["documentId"] == "doc-1"
    assert pdf.Root.OutputIntents  # the rest of the markers are there all the same
