"""A searchable PDF made archival: the markers of PDF/A-2b, and the document's identity in XMP.

PDF/A-2b (ISO 19005-2, level B: the pages' appearance is preserved) asks of a file an output
intent with an ICC profile, so that device colours have a meaning; an XMP metadata packet that
says which part and level it claims, agreeing with the document information dictionary; every
font embedded; and no scripts, actions or attachments. Our searchable PDF already meets the last
(``ocr.active_content``) and embeds its own glyphless font; the original's pages are kept byte
for byte, so a font the sender did not embed cannot be embedded here without changing the page.
``archive`` therefore lists such fonts (and LZW streams, which PDF/A forbids and which would have
to be re-encoded) as obstacles, and claims PDF/A only when there are none.

The identity of the copy (document, dossier, receipt code, version) is written to XMP under the
``sohoa`` namespace, described by a PDF/A extension schema as the standard asks of properties it
does not define. A signature over the file covers it.

The ICC profile is littleCMS's sRGB (through Pillow), 588 bytes: scanners deliver sRGB or grey.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Dictionary, Name
from PIL import ImageCms

SOHOA_NAMESPACE = "https://sohoa.dev/ns/signed-copy/1.0/"
"""The XMP namespace of a signed copy's identity (``sohoa:documentId`` and its siblings)."""

PDFA_PART, PDFA_CONFORMANCE = "2", "B"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
IDENTITY_PROPERTIES = {
    "documentId": "the document's id in the sohoa service that signed this copy",
    "dossierId": "the id of the dossier (hồ sơ) the document belongs to",
    "receiptCode": "the dossier's receipt code (mã hồ sơ) given at the one-stop desk",
    "version": "the signed version of the copy: 1, then one more for each correction",
}


@dataclass(frozen=True)
class CopyIdentity:
    """What the copy is a copy of, written into its XMP."""

    document_id: str
    dossier_id: str
    receipt_code: str
    version: int
    title: str

    def properties(self) -> dict[str, str]:
        return {
            "documentId": self.document_id,
            "dossierId": self.dossier_id,
            "receiptCode": self.receipt_code,
            "version": str(self.version),
        }


@dataclass(frozen=True)
class Archival:
    """The outcome of ``archive``: whether PDF/A-2b is claimed, and why not if it is not."""

    obstacles: tuple[str, ...]

    @property
    def conformance(self) -> str | None:
        """``2B`` when claimed, None when an obstacle kept the claim out."""
        return None if self.obstacles else PDFA_PART + PDFA_CONFORMANCE


def archive(
    pdf: pikepdf.Pdf, identity: CopyIdentity, *, creator: str, producer: str, at: datetime
) -> Archival:
    """Add the output intent, the XMP packet and the matching information dictionary to
    ``pdf``, claiming PDF/A-2b where nothing in the original's pages stands in the way.
    ``producer`` is the program that writes the file's last revision (the signer), ``creator``
    the one that made its content."""
    obstacles = tuple(obstacles_to_pdfa(pdf))
    pdf.Root.OutputIntents = pikepdf.Array([_output_intent(pdf)])
    stamp = at.astimezone().isoformat(timespec="seconds")
    packet = _xmp_packet(identity, (creator, producer), stamp, claim=not obstacles)
    metadata = pikepdf.Stream(pdf, packet.encode())
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = pdf.make_indirect(metadata)
    moment = _pdf_date(at)
    pdf.trailer.Info = pdf.make_indirect(
        Dictionary(
            Title=pikepdf.String(identity.title),
            Producer=pikepdf.String(producer),
            Creator=pikepdf.String(creator),
            CreationDate=pikepdf.String(moment),
            ModDate=pikepdf.String(moment),
        )
    )
    return Archival(obstacles)


def obstacles_to_pdfa(pdf: pikepdf.Pdf) -> list[str]:
    """What in the pages keeps them from PDF/A-2b without changing them: fonts not embedded,
    LZW-compressed streams."""
    found: list[str] = []
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in _fonts(page.obj.get("/Resources")):
            if not _embedded(font):
                found.append(f"page {number}: font {name} is not embedded")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and Name.LZWDecode in _filters(obj):
            found.append(f"object {obj.objgen[0]}: LZW-compressed stream")
    return found


def identity_of(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The ``sohoa`` properties of a PDF's XMP (empty when it has none)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        return {
            key: str(meta[f"{{{SOHOA_NAMESPACE}}}{key}"])
            for key in IDENTITY_PROPERTIES
            if f"{{{SOHOA_NAMESPACE}}}{key}" in meta
        }


def conformance_of(pdf: pikepdf.Pdf) -> str | None:
    """The PDF/A part and level a PDF's XMP claims (``2B``), or None."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        part, level = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    return f"{part}{level}" if part and level else None


def _fonts(
    resources: object, seen: set[tuple[int, int]] | None = None
) -> list[tuple[str, Dictionary]]:
    """Every font of a resource dictionary, its form XObjects' included (each visited once)."""
    seen = set() if seen is None else seen
    if not isinstance(resources, Dictionary):
        return []
    found = []
    fonts = resources.get("/Font")
    if isinstance(fonts, Dictionary):
        found += [(str(name), font) for name, font in fonts.items() if isinstance(font, Dictionary)]
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, Dictionary):
        for xobject in xobjects.values():
            if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != Name.Form:
                continue
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            found += _fonts(xobject.get("/Resources"), seen)
    return found


def _embedded(font: pikepdf.Object) -> bool:
    """Whether the font's program is in the file: a Type3 font is its own program."""
    if not isinstance(font, Dictionary):
        return False
    if font.get("/Subtype") == Name.Type3:
        return True
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array) and len(descendants):
        return all(_embedded(descendant) for descendant in descendants)
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _filters(stream: pikepdf.Stream) -> list[object]:
    value = stream.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return list(value)
    return [] if value is None else [value]


def _output_intent(pdf: pikepdf.Pdf) -> Dictionary:
    profile = pikepdf.Stream(pdf, _srgb_profile())
    profile.N = 3
    return pdf.make_indirect(
        Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
            Info=pikepdf.String(OUTPUT_CONDITION),
            DestOutputProfile=pdf.make_indirect(profile),
        )
    )


def _srgb_profile() -> bytes:
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def _pdf_date(at: datetime) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSS+HH'mm'``) of the same moment as the XMP's."""
    local = at.astimezone()
    offset = local.strftime("%z")
    return local.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def _xmp_packet(
    identity: CopyIdentity, programs: tuple[str, str], stamp: str, *, claim: bool
) -> str:
    title = escape(identity.title)
    tool, producer = (escape(program) for program in programs)
    pdfa = (
        f"<pdfaid:part>{PDFA_PART}</pdfaid:part>"
        f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>"
        if claim
        else ""
    )
    own = "".join(
        f"<sohoa:{key}>{escape(value)}</sohoa:{key}>"
        for key, value in identity.properties().items()
    )
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"
 xmlns:sohoa="{SOHOA_NAMESPACE}">
{pdfa}
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<xmp:CreateDate>{stamp}</xmp:CreateDate>
<xmp:ModifyDate>{stamp}</xmp:ModifyDate>
<xmp:MetadataDate>{stamp}</xmp:MetadataDate>
<xmp:CreatorTool>{tool}</xmp:CreatorTool>
<pdf:Producer>{producer}</pdf:Producer>
{own}
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>sohoa signed copy</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{SOHOA_NAMESPACE}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>sohoa</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>{_property_descriptions()}</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _property_descriptions() -> str:
    return "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{escape(description)}</pdfaProperty:description>"
        "</rdf:li>"
        for name, description in IDENTITY_PROPERTIES.items()
    )
