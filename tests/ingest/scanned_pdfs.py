"""Image-only PDFs as scanners write them in their lossless modes, made with pikepdf and Pillow:
Flate grey (with or without PNG predictors) and CCITT Group 4 bilevel."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from PIL import Image


def flate_pdf(
    path: Path, images: Sequence[Image.Image], dpi: int = 300, *, predictor: bool = True
) -> Path:
    """One page per grey image, each a Flate image filling it; with ``predictor`` the data are
    PNG rows (a filter byte before each), as most scanners and img2pdf write them."""
    with pikepdf.new() as pdf:
        for image in images:
            width, height = image.size
            raw = image.convert("L").tobytes()
            stream, parameters = pikepdf.Stream(pdf, b""), None
            if predictor:
                raw = b"".join(b"\x00" + raw[y * width : (y + 1) * width] for y in range(height))
                parameters = pikepdf.Dictionary(Predictor=15, Colors=1, Columns=width)
            stream.write(
                zlib.compress(raw), filter=pikepdf.Name.FlateDecode, decode_parms=parameters
            )
            stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            stream.Width, stream.Height, stream.BitsPerComponent = width, height, 8
            stream.ColorSpace = pikepdf.Name.DeviceGray
            _add_image_page(pdf, stream, width * 72 / dpi, height * 72 / dpi)
        pdf.save(path)
    return path


def ccitt_pdf(path: Path, images: Sequence[Image.Image], dpi: int = 300) -> Path:
    """One page per image, made bilevel and written by Pillow as CCITT Group 4."""
    with pikepdf.new() as pdf:
        singles = []
        for image in images:
            buffer = io.BytesIO()
            image.convert("1", dither=Image.Dither.NONE).save(buffer, "PDF", resolution=dpi)
            singles.append(pikepdf.open(buffer))
            pdf.pages.extend(singles[-1].pages)
        pdf.save(path)
        for single in singles:
            single.close()
    return path


def _add_image_page(pdf: pikepdf.Pdf, image: pikepdf.Stream, width: float, height: float) -> None:
    page = pdf.add_blank_page(page_size=(width, height))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = pdf.make_stream(f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode())
