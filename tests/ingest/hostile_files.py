"""Hostile and broken uploads, made by code: what a desk, a failed download or an attacker sends.

Each maker returns the file's bytes; ``HOSTILE`` names them with the file name they arrive
under. Kept small: the bombs are small files that claim huge pixel counts.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

import pikepdf
from PIL import Image, ImageDraw


def good_page(number: int) -> bytes:
    """A small PNG with a few printed words: the page each hostile file's dossier must still
    get digitized."""
    image = Image.new("L", (900, 220), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 60), f"HO SO SO {number:04d} - TRANG TOT", fill=0, font_size=48)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def plain_pdf(pages: int = 1, size: tuple[float, float] = (595, 842)) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=size)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def hand_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF written object by object, with a correct cross-reference table, so that stream
    bytes and dictionaries are exactly as given (no library re-encodes them)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref,
    )  # fmt: skip
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def one_page_pdf(contents: bytes) -> bytes:
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
        b"/Contents 4 0 R >>",
        contents,
    ])  # fmt: skip


def predictor_bomb(columns: int = 100_000_000) -> bytes:
    """A content stream whose decode parameters claim rows of ``columns`` 255-colour pixels
    (qpdf 12 refuses 100 million at once, but takes 15 s over a million)."""
    parameters = b"/Predictor 15 /Columns %d /Colors 255 /BitsPerComponent 16" % columns
    data = zlib.compress(b"\x00" * 4096)
    return one_page_pdf(_stream(b"/Filter /FlateDecode /DecodeParms << %s >>" % parameters, data))


def _jpeg(size: tuple[int, int] = (16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_claiming(width: int, height: int) -> bytes:
    """A tiny JPEG whose frame header claims ``width`` x ``height``."""
    data = bytearray(_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_bomb_in_pdf() -> bytes:
    """One page drawing one JPEG that claims 60000 x 60000 pixels (3.6 gigapixels)."""
    image = jpeg_claiming(60000, 60000)
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
        _stream(b"/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", image),
    ])  # fmt: skip


def png_of(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A 1-bit grey PNG of ``width`` x ``height``; its pixel data is zlib of blank rows, real
    unless ``rows`` replaces it (a bomb claiming more than its data holds)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    if rows is None:
        compressor = zlib.compressobj(9)
        row = b"\x00" + b"\xff" * ((width + 7) // 8)
        rows = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def tiff_bomb() -> bytes:
    """A TIFF whose one frame claims 100000 x 100000 pixels, with a few bytes of data."""
    buffer = io.BytesIO()
    Image.new("1", (64, 64), 1).save(buffer, format="TIFF", compression="group4")
    data = bytearray(buffer.getvalue())
    # Patch ImageWidth (256) and ImageLength (257) in the first directory.
    (offset,) = struct.unpack("<I", data[4:8])
    (count,) = struct.unpack("<H", data[offset : offset + 2])
    for entry in range(count):
        at = offset + 2 + 12 * entry
        (tag,) = struct.unpack("<H", data[at : at + 2])
        if tag in (256, 257):
            data[at + 2 : at + 12] = struct.pack("<HII", 4, 1, 100_000)  # LONG
    return bytes(data)


def many_frames(frames: int = 2000) -> bytes:
    """A TIFF of ``frames`` blank 8 x 8 frames sharing one strip, written directly (Pillow
    takes seconds to append 2000 frames)."""
    strip = 8
    first = strip + 8
    out = bytearray(b"II*\x00" + struct.pack("<I", first) + b"\x00" * 8)
    tags = [(256, 8), (257, 8), (258, 1), (259, 1), (262, 0), (273, strip), (277, 1),
            (278, 8), (279, 8)]  # fmt: skip
    size = 2 + 12 * len(tags) + 4
    for frame in range(frames):
        following = first + size * (frame + 1) if frame + 1 < frames else 0
        out += struct.pack("<H", len(tags))
        out += b"".join(struct.pack("<HHII", tag, 4, 1, value) for tag, value in tags)
        out += struct.pack("<I", following)
    return bytes(out)


def encrypted(user: str) -> bytes:
    pdf = pikepdf.open(io.BytesIO(plain_pdf()))
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner-secret", user=user))
    return buffer.getvalue()


def with_javascript_and_attachment() -> bytes:
    pdf = pikepdf.open(io.BytesIO(plain_pdf()))
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    pdf.Root.OpenAction = pdf.make_indirect(action)
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a scan")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def zero_pages() -> bytes:
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])  # fmt: skip


def broken_xref() -> bytes:
    data = bytearray(plain_pdf(pages=2))
    start = data.rindex(b"xref")
    data[start + 10 : start + 60] = b"9" * 50  # offsets overwritten; readers must rebuild it
    return bytes(data)


def zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def random_bytes() -> bytes:
    return random.Random(7).randbytes(4096)


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "empty": ("empty.pdf", lambda: b""),
    "random bytes": ("random.pdf", random_bytes),
    "header only": ("header.pdf", lambda: b"%PDF-1.7\n"),
    "truncated": ("truncated.pdf", lambda: plain_pdf(pages=3)[: len(plain_pdf(pages=3)) * 2 // 3]),
    "broken xref": ("xref.pdf", broken_xref),
    "user password": ("locked.pdf", lambda: encrypted("open-sesame")),
    "empty user password": ("owner-only.pdf", lambda: encrypted("")),
    "javascript and attachment": ("active.pdf", with_javascript_and_attachment),
    "zero pages": ("nothing.pdf", zero_pages),
    "200 x 200 inch page": ("poster.pdf", lambda: plain_pdf(size=(14400, 14400))),
    "30000 x 30000 image": ("huge.png", lambda: png_of(30000, 30000)),
    "png bomb": ("bomb.png", lambda: png_of(100_000, 100_000, zlib.compress(b"\x00" * 1000))),
    "tiff bomb": ("bomb.tif", tiff_bomb),
    "jpeg bomb in pdf": ("bomb.pdf", jpeg_bomb_in_pdf),
    "2000-frame tiff": ("frames.tif", many_frames),
    "html named .jpg": ("photo.jpg", lambda: b"<!DOCTYPE html><html><body>404</body></html>"),
    "jpeg with pdf appended": ("polyglot.jpg", lambda: _jpeg((640, 480)) + plain_pdf()),
    "pdf with zip appended": ("polyglot.pdf", lambda: plain_pdf() + zip_of("a.txt", b"hi")),
    "zip named .pdf": ("archive.pdf", lambda: zip_of("scan.pdf", plain_pdf())),
    "predictor bomb": ("predictor.pdf", predictor_bomb),
}
"""Case -> (file name sent, maker of the bytes)."""


def nested_forms(depth: int = 28) -> bytes:
    """A page drawing a form that draws the next form twice, ``depth`` times over: a file of
    two kilobytes asking for 2**depth strokes (the "billion laughs" of PDF)."""
    forms = []
    for level in range(depth):
        number = 5 + level
        if level + 1 < depth:
            resources, content = b"<< /XObject << /G %d 0 R >> >>" % (number + 1), b"/G Do /G Do"
        else:
            resources, content = b"<< >>", b"0 0 m 595 842 l S"
        forms.append(_stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources "
                             + resources, content))  # fmt: skip
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /G 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"", b"/G Do"),
        *forms,
    ])  # fmt: skip


SLOW = ("slow.pdf", nested_forms)
"""A file whose reading takes longer than the test's ``parse_seconds`` (poppler takes more
than a minute to draw 2**16 strokes this way, with 28 MB of memory)."""

GREEDY = {
    "169-megapixel image": ("greedy.png", lambda: png_of(13_000, 13_000)),
    "predictor, a million columns": ("rows.pdf", lambda: predictor_bomb(columns=1_000_000)),
}
"""Files under every size limit that need more than the test's ``parse_memory_mib`` to read: a
real image that fills 169 MB a copy, a content stream whose rows take 510 MB each."""

HOSTILE_NAMES = {
    "dot-dot name": "../../etc/passwd.png",
    "nul in name": "scan\x00.png",
    "300-character name": "x" * 300 + ".png",
    "non-utf-8 name": "h\udcf4 s\udcef.png",  # bytes that were not UTF-8, as servers decode them
}
"""Case -> a hostile file name, sent with an ordinary page."""
