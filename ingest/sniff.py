"""Which kind of file an upload is, judged by its first bytes, never by its name.

Scanner software, e-mail and browsers rename and mislabel files (a ``.pdf`` that is really the
HTML error page of a failed download is common), so the content decides. What we cannot process
is rejected at the desk with ``RejectedFileError``; its message names what the file looks like
when we can tell, and what is accepted, because the operator has to act on it straight away.
"""

from __future__ import annotations

import codecs

from models.errors import RejectedFileError

SNIFF_BYTES = 1024
"""How many leading bytes callers should pass: a PDF header may follow up to 1 KiB of junk."""

SUPPORTED_MEDIA_TYPES: tuple[str, ...] = (
    "application/pdf",
    "image/tiff",
    "image/jpeg",
    "image/png",
)

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/tiff": ".tif",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}

_ACCEPTED = "Accepted files are scans in PDF, TIFF (also multi-page), JPEG or PNG."

# (leading bytes, what it is, what the operator can do); checked at offset 0 before a late %PDF-,
# so that e.g. a ZIP that happens to store a PDF is still reported as a ZIP.
_KNOWN_OTHERS: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive", "unpack it and upload the scans inside"),
    (b"PK\x05\x06", "an empty ZIP archive", "upload the scans themselves"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Microsoft Office document (DOC/XLS)",
        "print it to PDF or scan the paper",
    ),
    (b"GIF87a", "a GIF image", "scan the paper again as PDF, TIFF, JPEG or PNG"),
    (b"GIF89a", "a GIF image", "scan the paper again as PDF, TIFF, JPEG or PNG"),
    (b"II+\x00", "a BigTIFF image", "save it as an ordinary TIFF or as PDF"),
    (b"MM\x00+", "a BigTIFF image", "save it as an ordinary TIFF or as PDF"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image", "save it as JPEG, PNG or PDF"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it and upload the scans inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and upload the scans inside"),
    (b"\x1f\x8b", "a gzip-compressed file", "unpack it and upload the scans inside"),
    (b"{\\rtf", "an RTF document", "print it to PDF or scan the paper"),
    (b"%!PS", "a PostScript file", "convert it to PDF"),
)


def sniff_media_type(head: bytes) -> str:
    """Return the media type of a file from its first ``SNIFF_BYTES`` bytes.

    Raises ``RejectedFileError`` with code ``empty_file`` for an empty file and
    ``unsupported_type`` for anything that is not a PDF, TIFF, JPEG or PNG.
    """
    if not head:
        raise RejectedFileError(
            f"The file is empty (0 bytes): the upload or the scan did not complete. "
            f"Scan the paper again or upload the file again. {_ACCEPTED}",
            code="empty_file",
        )
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    what, advice = _describe_unsupported(head[:SNIFF_BYTES])
    if what is None and b"%PDF-" in head[:SNIFF_BYTES]:
        # Readers accept a PDF header after up to 1 KiB of junk (mail gateways, old Mac headers).
        return "application/pdf"
    raise RejectedFileError(
        f"The file is {what or _unrecognised(head)}, not a scanned document we can read: "
        f"{advice or 'scan the paper again'}. {_ACCEPTED}",
        code="unsupported_type",
    )


def extension_for(media_type: str) -> str:
    """The file name extension (with its dot) under which to save a file of ``media_type``."""
    try:
        return _EXTENSIONS[media_type]
    except KeyError:
        raise ValueError(f"not a supported media type: {media_type!r}") from None


def _describe_unsupported(head: bytes) -> tuple[str | None, str | None]:
    """Name a file we do not accept, or (None, None) when it is not one we know."""
    if not head.strip(b"\x00"):
        return "blank (only zero bytes)", "the copy is damaged; copy or scan it again"
    if head.startswith(b"PK\x03\x04"):
        return _describe_zip(head)
    for magic, what, advice in _KNOWN_OTHERS:
        if head.startswith(magic):
            return what, advice
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "a HEIC photo (as iPhones save them)", "export or set the camera to JPEG"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "a WebP image", "save it as JPEG, PNG or PDF"
    if head.startswith(b"BM") and len(head) >= 18 and head[14] in (12, 40, 52, 56, 108, 124):
        return "a BMP image", "save it as PNG or scan the paper again as PDF"
    text = _as_text(head)
    if text is None:
        return None, None
    lowered = text.lstrip().lower()
    if lowered.startswith("<!doctype html") or "<html" in lowered:
        return (
            "a web page (HTML)",
            "the download probably failed or saved the page instead of the file; "
            "download or scan it again",
        )
    if lowered.startswith("<?xml") or lowered.startswith("<svg"):
        return "an XML or SVG file", "print it to PDF or scan the paper"
    if "%PDF-" in text:
        return None, None
    return "plain text", "print it to PDF or scan the paper"


def _describe_zip(head: bytes) -> tuple[str, str]:
    """ZIP is also the container of Office files; the first member's name tells them apart."""
    if b"word/" in head:
        what = "a Word document (DOCX)"
    elif b"xl/" in head:
        what = "an Excel workbook (XLSX)"
    elif b"mimetype" in head and b"opendocument" in head:
        what = "an OpenDocument file (ODT/ODS)"
    elif b"[Content_Types].xml" in head:
        what = "a Microsoft Office document"
    else:
        return "a ZIP archive", "unpack it and upload the scans inside"
    return what, "print it to PDF or scan the paper"


def _as_text(head: bytes) -> str | None:
    """Decode ``head`` as text if it looks like text (UTF-8 or UTF-16 with a BOM)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        # final=False: the cut at SNIFF_BYTES may fall inside a multi-byte character.
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return text if controls == 0 else None


def _unrecognised(head: bytes) -> str:
    return f"of an unknown kind (it starts with bytes {head[:8].hex(' ')})"
