"""A scanned PDF page's own image, taken out of the PDF instead of drawing the page.

Most scanned PDFs hold each page as one image filling it, as the scanner wrote it: JPEG
(``DCTDecode``), lossless grey or colour (``FlateDecode``) or bilevel CCITT fax (Group 3 or 4).
Drawing such a page with poppler at 300 dpi (0.2-0.6 s) only re-creates the image's pixels,
resampled; decoding the image itself takes 0.03-0.12 s and gives them exactly, at the scan's
own resolution. The image's bytes are also kept as the stored page image where a browser shows
them as they are (a JPEG; Flate data with PNG predictors, which is a PNG's own data, wrapped in
a PNG), and a bilevel page is stored as a 1-bit PNG (0.04 s to write, against 0.1-0.4 s for a
grey one). A page that is anything else (text, several images,
a turned or cropped page, masks, odd colours, JBIG2) gives None and is drawn.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from dataclasses import dataclass
from typing import cast

import pikepdf
from PIL import Image

from ingest.page_image import IMAGE_DATA_ERRORS, EncodedPage, PageImage, image_bomb, to_grey

MIN_SCAN_DPI, MAX_SCAN_DPI = 70, 4800
"""Resolutions a scanned page's own image may have to be taken as it is."""

_DCT, _FLATE, _CCITT = pikepdf.Name.DCTDecode, pikepdf.Name.FlateDecode, pikepdf.Name.CCITTFaxDecode
_PNG_COLOUR_TYPES = {"/DeviceGray": (1, 0), "/DeviceRGB": (3, 2)}
"""Colour space -> (components, PNG colour type) of the Flate images a PNG can wrap."""
_CCITT_PARAMETERS = {"/K", "/Columns", "/Rows", "/BlackIs1"}
"""The fax parameters Pillow's decoder is given by pikepdf; a page using others is drawn."""


@dataclass(frozen=True)
class ScannedImage:
    """The one image a page is made of: its pixel size and resolution, known before decoding."""

    image: pikepdf.Object
    width: int
    height: int
    dpi: int


def scanned_image(page: pikepdf.Page) -> ScannedImage | None:
    """The page's image, when the page is nothing but one plain image filling it exactly.

    An image declaring more pixels than Pillow decodes safely is refused (``image_bomb``)
    whatever the page size it claims, as decoding it would be."""
    try:
        placed = _single_placed_image(page)
    except (pikepdf.PdfError, RuntimeError, TypeError, ValueError, KeyError):
        return None  # poppler will say what is wrong, if anything is
    if placed is None:
        return None
    image, (width_pt, height_pt) = placed
    width, height = int(image.Width), int(image.Height)
    if width * height > 2 * (Image.MAX_IMAGE_PIXELS or 0):  # where Pillow refuses to decode
        raise image_bomb(Image.DecompressionBombError(f"({width * height} pixels)"))
    x_dpi, y_dpi = width * 72 / width_pt, height * 72 / height_pt
    if abs(x_dpi - y_dpi) > 0.01 * x_dpi or not MIN_SCAN_DPI <= x_dpi <= MAX_SCAN_DPI:
        return None
    return ScannedImage(image, width, height, round(x_dpi))


def decode_scanned_image(scanned: ScannedImage, index: int) -> PageImage | None:
    """Page ``index`` as its image's own pixels in grey, or None if the data do not decode
    (poppler then draws the page, and says what is wrong if anything is)."""
    try:
        decoded = _decode(scanned)
    except Image.DecompressionBombError as e:
        raise image_bomb(e) from e
    except (pikepdf.PdfError, RuntimeError, NotImplementedError, *IMAGE_DATA_ERRORS):
        # qpdf refuses some streams with a bare RuntimeError (absurd /DecodeParms, say)
        return None
    if decoded is None or decoded[0].size != (scanned.width, scanned.height):
        return None
    pixels, encoded = decoded
    return PageImage(index=index, image=to_grey(pixels), dpi=scanned.dpi, encoded=encoded)


def _decode(scanned: ScannedImage) -> tuple[Image.Image, EncodedPage | None] | None:
    image, filters = scanned.image, _filters(scanned.image)
    if filters == [_DCT]:
        data = image.read_raw_bytes()
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as decoded:
            decoded.load()
            pixels = to_grey(decoded)
        return pixels, EncodedPage(data, "image/jpeg", "jpg")
    if scanned.width * scanned.height > (Image.MAX_IMAGE_PIXELS or 0):
        return None  # poppler draws it at the page's size, without holding all its pixels
    if filters == [_FLATE]:
        mode = "L" if image.ColorSpace == pikepdf.Name.DeviceGray else "RGB"
        pixels = Image.frombytes(mode, (scanned.width, scanned.height), image.read_bytes())
        return pixels, _as_png(image, scanned)
    pixels = pikepdf.PdfImage(cast(pikepdf.Stream, image)).as_pil_image()  # CCITT: Pillow
    pixels.load()
    buffer = io.BytesIO()
    pixels.save(buffer, format="PNG", compress_level=1, dpi=(scanned.dpi, scanned.dpi))
    return pixels, EncodedPage(buffer.getvalue(), "image/png", "png")


def _as_png(image: pikepdf.Object, scanned: ScannedImage) -> EncodedPage | None:
    """The Flate data of ``image`` in a PNG file, when they are a PNG's image data already:
    8-bit samples, each row behind its PNG filter byte (``/Predictor`` 10 and up)."""
    params = image.get("/DecodeParms", pikepdf.Dictionary())
    components, colour_type = _PNG_COLOUR_TYPES[str(image.ColorSpace)]
    if (
        int(params.get("/Predictor", 1)) < 10
        or int(params.get("/Colors", 1)) != components
        or int(params.get("/BitsPerComponent", 8)) != 8
        or int(params.get("/Columns", 1)) != scanned.width
    ):
        return None
    header = struct.pack(">IIBBBBB", scanned.width, scanned.height, 8, colour_type, 0, 0, 0)
    data = b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"pHYs", struct.pack(">IIB", *(2 * [math.ceil(scanned.dpi / 0.0254)]), 1)),
            _png_chunk(b"IDAT", image.read_raw_bytes()),
            _png_chunk(b"IEND", b""),
        )
    )
    return EncodedPage(data, "image/png", "png")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _single_placed_image(page: pikepdf.Page) -> tuple[pikepdf.Object, tuple[float, float]] | None:
    """The one plain image XObject the page draws over exactly its whole crop box, if so."""
    if int(page.obj.get("/Rotate", 0)) % 360:
        return None
    instructions = pikepdf.parse_content_stream(page)
    if any(isinstance(i, pikepdf.ContentStreamInlineImage) for i in instructions):
        return None
    operands = {str(i.operator): list(i.operands) for i in instructions}
    if [str(i.operator) for i in instructions] not in (["q", "cm", "Do", "Q"], ["cm", "Do"]):
        return None
    matrix = [float(v) for v in operands["cm"]]
    image = page.obj.Resources.XObject.get(str(operands["Do"][0]))
    left, bottom, right, top = (float(v) for v in page.cropbox)
    a, b, c, d, e, f = matrix
    fills = all(
        abs(x - y) < 0.5 for x, y in ((a, right - left), (d, top - bottom), (e, left), (f, bottom))
    )
    if image is None or b or c or not fills or not _plain(image):
        return None
    return image, (a, d)


def _plain(image: pikepdf.Object) -> bool:
    """An image whose samples are the page's grey (or colour) levels as they are."""
    if image.get("/Subtype") != pikepdf.Name.Image or any(
        key in image for key in ("/Decode", "/SMask", "/Mask", "/ImageMask")
    ):
        return False
    filters, bits = _filters(image), int(image.get("/BitsPerComponent", 0))
    colour = str(image.get("/ColorSpace"))
    if filters in ([_DCT], [_FLATE]):
        return bits == 8 and colour in _PNG_COLOUR_TYPES
    if filters == [_CCITT]:
        given = image.get("/DecodeParms", pikepdf.Dictionary())
        params = given[0] if isinstance(given, pikepdf.Array) and len(given) == 1 else given
        return (
            bits == 1
            and colour == "/DeviceGray"
            and isinstance(params, pikepdf.Dictionary)
            and set(params.keys()) <= _CCITT_PARAMETERS
        )
    return False


def _filters(image: pikepdf.Object) -> list[pikepdf.Name]:
    value = image.get("/Filter")
    if isinstance(value, pikepdf.Array):
        return [pikepdf.Name(str(v)) for v in value]
    return [] if value is None else [pikepdf.Name(str(value))]
