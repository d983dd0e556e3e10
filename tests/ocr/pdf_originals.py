"""Originals drawn with known words, and what poppler and qpdf say of searchable PDFs."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import img2pdf
import numpy as np
import pdf2image
import pikepdf
from PIL import Image, ImageDraw, ImageFont

from ocr.searchable_pdf import PageLayer, write_searchable_pdf
from ocr.words import PageText, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 150
A4 = (1240, 1754)
"""A4 in pixels at DPI."""
LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Họ và tên: Nguyễn Văn An",
    "Số CCCD: 001085012345",
)
TOLERANCE = 3.0
"""Points a word's extracted box may be off its drawn box across its line (6 pixels at DPI)."""


# --- pages and originals ---------------------------------------------------------------------


def draw_page(
    lines: tuple[str, ...] = LINES, size: tuple[int, int] = A4, mode: str = "L"
) -> tuple[Image.Image, PageText]:
    """A page with ``lines`` in 28-pixel letters, and its words with the boxes they were drawn."""
    font = ImageFont.truetype(FONT, 28)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    words = []
    for number, line in enumerate(lines, start=1):
        x, y = 100, 100 + 45 * number
        for text in line.split():
            left, top, right, bottom = (round(v) for v in draw.textbbox((x, y), text, font=font))
            draw.text((x, y), text, font=font, fill=0)
            words.append(Word(text, 95.0, left, top, right - left, bottom - top, 1, 1, number))
            x = right + round(draw.textlength(" ", font=font))
    page = image if mode == "L" else image.convert(mode)
    return page, PageText(width=size[0], height=size[1], words=words)


def turned(image: Image.Image, text: PageText, quarter_turns: int) -> tuple[Image.Image, PageText]:
    """The page and its boxes turned clockwise by ``quarter_turns`` right angles."""
    for _ in range(quarter_turns % 4):
        height = text.height
        image = image.transpose(Image.Transpose.ROTATE_270)  # 90° clockwise
        words = [
            replace(w, left=height - (w.top + w.height), top=w.left, width=w.height, height=w.width)
            for w in text.words
        ]
        text = PageText(width=text.height, height=text.width, words=words)
    return image, text


def image_pdf(path: Path, images: list[Image.Image], dpi: int = DPI) -> Path:
    """An image-only PDF, as a scanner writes one (PNG data, Flate in the PDF)."""
    sources = []
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
        sources.append(buffer.getvalue())
    path.write_bytes(img2pdf.convert(sources))
    return path


def png_16bit_rgba(path: Path, image: Image.Image) -> Path:
    """A 16-bit RGBA PNG, which Pillow cannot write and img2pdf refuses to embed."""
    grey = np.asarray(image, dtype=np.uint16) * 257
    rgba = np.stack([grey, grey, grey, np.where(grey < 65535, 65535, 0)], axis=-1).astype(">u2")
    header = struct.pack(">IIBBBBB", image.width, image.height, 16, 6, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row.tobytes() for row in rgba))
    chunks = [(b"IHDR", header), (b"IDAT", pixels), (b"IEND", b"")]
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + b"".join(
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
            for kind, data in chunks
        )
    )
    return path


# --- what poppler and qpdf say ---------------------------------------------------------------


def pdftotext(path: Path, page: int | None = None, *options: str) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = ["pdftotext", "-enc", "UTF-8", *options, *pages, str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")


def extracted_words(path: Path, page: int = 1) -> list[tuple[str, tuple[float, ...]]]:
    """(text, (x_min, y_min, x_max, y_max) in points from the top left of the shown page)."""
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pdftotext(path, page, "-cropbox", "-bbox"),
    )
    return [(text, tuple(float(v) for v in box)) for *box, text in found]


def assert_words_on_their_boxes(
    path: Path, text: PageText, page: int = 1, rotation: int = 0
) -> None:
    """Poppler's word boxes, scaled to the page image, lie on the drawn ones.

    Along the line, to the point. Across it, every word is reported at the line's height
    (words of a line share a font size), so a word stays within its line's band and a word of
    letters within TOLERANCE of its own box; a hyphen's box is a sliver in the middle of the line.
    """
    width, height = shown_size(path, page)
    sx, sy = width / text.width, height / text.height
    drawn = [(w.left * sx, w.top * sy, (w.left + w.width) * sx, (w.top + w.height) * sy)
             for w in text.words]  # fmt: skip
    found = extracted_words(path, page)
    if rotation == 270:  # poppler puts blocks of upward text last-first: pair by place instead
        found = [min(found, key=lambda f: _distance(f[1], d)) for d in drawn]
    assert [t for t, _ in found] == [w.text for w in text.words]
    along, across = ((0, 2), (1, 3)) if rotation in (0, 180) else ((1, 3), (0, 2))
    for (word_text, box), word, own in zip(found, text.words, drawn, strict=True):
        line = [d for w, d in zip(text.words, drawn, strict=True) if _line(w) == _line(word)]
        low, high = min(d[across[0]] for d in line), max(d[across[1]] for d in line)
        assert low - 1 <= box[across[0]] and box[across[1]] <= high + 1, word_text
        checked = across + along if any(char.isalnum() for char in word_text) else along
        tolerances = {i: 1.0 if i in along else TOLERANCE for i in checked}
        assert all(abs(box[i] - own[i]) <= tol for i, tol in tolerances.items()), (word_text, box)


def _distance(box: tuple[float, ...], other: tuple[float, ...]) -> float:
    return sum(abs(a - b) for a, b in zip(box, other, strict=True))


def _line(word: Word) -> tuple[int, int, int]:
    return word.block, word.paragraph, word.line


def text_lines(path: Path, page: int | None = None) -> list[str]:
    """The lines pdftotext prints, without the blank ones it puts between blocks."""
    return [line for line in pdftotext(path, page).splitlines() if line.strip()]


def shown_size(path: Path, page: int = 1) -> tuple[float, float]:
    """Width and height in points of a page as displayed: CropBox, turned by /Rotate."""
    with pikepdf.open(path) as pdf:
        shown = pdf.pages[page - 1]
        left, bottom, right, top = (float(v) for v in shown.cropbox)
        width, height = abs(right - left), abs(top - bottom)
        return (height, width) if shown.rotation % 180 else (width, height)


def searchable(
    original: Path, media_type: str, layers: list[PageLayer], image_dpi: list[int | None]
) -> Path:
    """The searchable PDF of ``original``, written beside it and checked by qpdf."""
    out = original.with_name("searchable.pdf")
    write_searchable_pdf(original, media_type, layers, out, image_dpi=image_dpi)
    result = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def page_boxes(path: Path) -> list[tuple[list[float], list[float], int]]:
    with pikepdf.open(path) as pdf:
        return [
            ([float(v) for v in p.mediabox], [float(v) for v in p.cropbox], p.rotation)
            for p in pdf.pages
        ]


def embedded_images(path: Path, page: int = 1) -> list[Image.Image]:
    with pikepdf.open(path) as pdf:
        images = pdf.pages[page - 1].get_images().values()
        return [as_pil(image) for image in images]


def as_pil(image: pikepdf.Object) -> Image.Image:
    assert isinstance(image, pikepdf.Stream)
    return pikepdf.PdfImage(image).as_pil_image()


def render(path: Path) -> list[Image.Image]:
    return pdf2image.convert_from_path(path, dpi=DPI, grayscale=True)


def same_pixels(left: Image.Image, right: Image.Image) -> bool:
    return left.size == right.size and np.array_equal(np.asarray(left), np.asarray(right))
