"""Type sniffing by content, and the messages the reception desk sees for what we refuse."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from ingest.sniff import SUPPORTED_MEDIA_TYPES, extension_for, sniff_media_type
from models.errors import RejectedFileError


def image_head(format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (20, 20), 255).save(buffer, format=format, **params)
    return buffer.getvalue()[:1024]


def rejection(head: bytes) -> RejectedFileError:
    with pytest.raises(RejectedFileError) as caught:
        sniff_media_type(head)
    return caught.value


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        (image_head("TIFF"), "image/tiff"),
        (image_head("TIFF", compression="tiff_lzw"), "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (image_head("JPEG"), "image/jpeg"),
        (image_head("PNG"), "image/png"),
    ],
)
def test_supported_types(head: bytes, media_type: str) -> None:
    assert sniff_media_type(head) == media_type
    assert media_type in SUPPORTED_MEDIA_TYPES


@pytest.mark.parametrize("junk", [b"\r\n", b"\x00" * 128, b"X-Mailer: scanner\r\n\r\n"])
def test_pdf_header_after_junk(junk: bytes) -> None:
    assert sniff_media_type(junk + b"%PDF-1.4\n1 0 obj") == "application/pdf"


def test_pdf_header_beyond_first_kilobyte_is_not_a_pdf() -> None:
    assert rejection(b"\x01" * 1100 + b"%PDF-1.4").code == "unsupported_type"


def test_empty_file() -> None:
    error = rejection(b"")
    assert error.code == "empty_file"
    assert "empty" in error.message
    assert "PDF, TIFF" in error.message


def test_zip_archive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scan1.pdf", b"%PDF-1.4 stored, not compressed")
    error = rejection(buffer.getvalue()[:1024])
    assert error.code == "unsupported_type"
    assert "ZIP archive" in error.message


def test_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    error = rejection(buffer.getvalue()[:1024])
    assert "Word document (DOCX)" in error.message
    assert "PDF" in error.message


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title>",
        b"\xef\xbb\xbf  <html lang='vi'><body>Loi</body></html>",
    ],
)
def test_html_page(head: bytes) -> None:
    error = rejection(head)
    assert error.code == "unsupported_type"
    assert "web page (HTML)" in error.message


def test_plain_text() -> None:
    error = rejection("Họ và tên: Nguyễn Văn An\nSố CCCD: 001085012345\n".encode())
    assert "plain text" in error.message


def test_text_cut_inside_a_character_is_still_text() -> None:
    head = ("Nguyễn " * 200).encode()[:1024]
    assert "plain text" in rejection(head).message


@pytest.mark.parametrize(
    ("head", "named"),
    [
        (image_head("GIF"), "GIF image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old Microsoft Office"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "HEIC photo"),
        (image_head("BMP"), "BMP image"),
        (b"\x00" * 512, "only zero bytes"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08\x09", "unknown kind"),
    ],
)
def test_other_files_are_named(head: bytes, named: str) -> None:
    error = rejection(head)
    assert error.code == "unsupported_type"
    assert named in error.message
    assert "PDF, TIFF" in error.message


def test_extension_for() -> None:
    assert [extension_for(t) for t in SUPPORTED_MEDIA_TYPES] == [".pdf", ".tif", ".jpg", ".png"]
    with pytest.raises(ValueError):
        extension_for("text/html")
