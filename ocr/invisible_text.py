"""An invisible, selectable text layer over one PDF page, as tesseract's PDF renderer draws it.

Each word is shown in text render mode 3 (neither filled nor stroked) with tesseract's
*glyphless* font: a TrueType font whose glyphs have no outlines, so nothing is ever painted and
any viewer can still select, search and copy. The font is a Type0 font with the Identity-H
encoding: every character code is two bytes, the UTF-16BE code unit of the character (all
Vietnamese letters are in the Basic Multilingual Plane), and a ToUnicode CMap maps each code back
to the same code point, so extraction returns exactly the text we wrote.

Geometry. Word boxes are pixels of the page image the words were read from (origin top left).
That image is the page *as displayed*: a PDF page rendered through its CropBox and /Rotate, or an
image file turned upright by its EXIF orientation. So a box is placed by its fractions of the
displayed page, which holds whatever the page size, CropBox origin, /Rotate, UserUnit or a
non-square resolution. Inside the layer one unit is one image pixel, with y pointing up.

The words of a line share one font size and sit on one straight baseline fitted to their box
bottoms, because extractors such as poppler and pdf.js put words of one size on near-equal
baselines into one line, and a hyphen, a descender or a dot below must not break it; a skewed
scan gives a sloping baseline. The size is the typical height of the line's words above that
baseline, and the font's Ascent 1000 and Descent -1 make extractors report each word from its
top down to the baseline. Horizontal scaling (Tz) stretches every word to its box's length; a
space stretched over the gap to the next word separates the words of a line, so that copied
text has spaces too.
"""

from __future__ import annotations

import statistics
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from models.errors import EngineError
from ocr.tessdata import tessdata_candidates
from ocr.words import PageText, Word

GLYPHLESS_FONT_FILE = "pdf.ttf"
"""Tesseract's glyphless font, installed beside its language data (tesseract-ocr package)."""

CHAR_ADVANCE = 0.5
"""How far each character advances, in units of the font size (the font's /DW is 500)."""

ROTATIONS = (0, 90, 180, 270)

_FONT_NAME = "GlyphLessFont"
_MAX_SLOPE = 0.1
"""Steepest baseline taken as skew (about 6 degrees); steeper fits come from too few words."""
_MIN_RISE = 0.25
"""Least rise, end to end in line heights, that a fitted baseline needs to be taken as skew."""
_MIN_SPACE = 0.01
"""Width of a space between overlapping boxes, in font sizes: present for extraction, no more."""

# Text matrix directions (baseline direction, glyph up direction) in the layer's y-up pixel space
# for content turned clockwise by 0, 90, 180 and 270 degrees in the page image.
_DIRECTIONS = {0: (1, 0, 0, 1), 90: (0, -1, 1, 0), 180: (-1, 0, 0, -1), 270: (0, 1, -1, 0)}


def find_glyphless_font(folders: Iterable[Path] | None = None) -> Path:
    """Return the path of tesseract's ``pdf.ttf``, searched in ``folders`` in order.

    By default: ``$TESSDATA_PREFIX`` (the tessdata folder itself, or its parent as tesseract 3
    had it), then the folders distributions install tessdata into. Missing font is a worker
    set-up fault, so it is an ``EngineError`` that says what to install.
    """
    candidates = list(tessdata_candidates() if folders is None else folders)
    for folder in candidates:
        path = Path(folder) / GLYPHLESS_FONT_FILE
        if path.is_file():
            return path
    raise EngineError(
        f"tesseract's glyphless font {GLYPHLESS_FONT_FILE} was not found in "
        f"{', '.join(str(f) for f in candidates) or 'any folder'}; install tesseract-ocr or point "
        f"TESSDATA_PREFIX at the tessdata folder that holds it",
        code="glyphless_font_missing",
    )


def add_glyphless_font(pdf: pikepdf.Pdf, font_file: Path) -> Dictionary:
    """Add the Type0 text-layer font to ``pdf`` once; every page of it can then share it."""
    font_data = font_file.read_bytes()
    font_stream = pikepdf.Stream(pdf, font_data)
    font_stream.Length1 = len(font_data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + _FONT_NAME),
        FontFile2=font_stream,
        # Ascent 1000 and Descent -1 (as tesseract's): extractors report a word as reaching one
        # font size above its baseline and nothing below it.
        Ascent=1000,
        Descent=-1,
        CapHeight=1000,
        Flags=5,
        FontBBox=Array([0, 0, 500, 1000]),
        ItalicAngle=0,
        StemV=80,
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/" + _FONT_NAME),
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=round(CHAR_ADVANCE * 1000),
        CIDToGIDMap=Name.Identity,
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=Name("/" + _FONT_NAME),
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pikepdf.Stream(pdf, _to_unicode_cmap()),
    )
    indirect: Dictionary = pdf.make_indirect(font)
    return indirect


def _to_unicode_cmap() -> bytes:
    """Code -> the same UTF-16 code unit, as ranges of 256 (a range may not cross a high byte).

    Surrogates are left out: we never write them (see ``encode_text``).
    """
    ranges = [
        f"<{high:02X}00> <{high:02X}FF> <{high:02X}00>"
        for high in range(256)
        if not 0xD8 <= high <= 0xDF
    ]
    blocks = [ranges[i : i + 100] for i in range(0, len(ranges), 100)]
    body = "".join(
        f"{len(block)} beginbfrange\n" + "\n".join(block) + "\nendbfrange\n" for block in blocks
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def encode_text(text: str) -> bytes:
    """Character codes for ``text``: NFC, UTF-16BE, one two-byte code per character.

    Characters outside the Basic Multilingual Plane would need two codes that extract as two
    lone surrogates, so they become U+FFFD; control characters are dropped.
    """
    text = unicodedata.normalize("NFC", text)
    kept = (
        "\ufffd" if ord(char) > 0xFFFF else char
        for char in text
        if unicodedata.category(char) != "Cc"
    )
    return "".join(kept).encode("utf-16-be")


def add_text_layer(
    pdf: pikepdf.Pdf, page: pikepdf.Page, text: PageText, rotation: int, font: Dictionary
) -> None:
    """Draw the words of ``text`` invisibly over ``page`` of ``pdf``, after what it shows.

    ``rotation`` is how far (clockwise, in degrees) the content is turned in the page image;
    words are drawn in that direction so selection runs along the printed lines. The page's
    own content is wrapped in ``q``/``Q`` first, so a graphics state it leaves behind (a
    transformation, a clip) cannot move or hide the layer. A page without words is left as is.
    """
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, not {rotation}")
    lines = _drawable_lines(text)
    if not lines:
        return
    if text.width <= 0 or text.height <= 0:
        raise ValueError(f"words on a page image of {text.width} x {text.height} pixels")
    text_object = _text_object(lines, rotation, text.height, _font_name(page, font))
    content = f"\nq\n{_numbers(_placement(page, text))} cm\n{text_object}\nQ\n"
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\n")
    stream = pikepdf.Stream(pdf, b"")
    # Compressed now, not when saved: a long document keeps every page's layer in memory.
    stream.write(zlib.compress(content.encode("ascii")), filter=Name.FlateDecode)
    page.contents_add(stream)


def _font_name(page: pikepdf.Page, font: Dictionary) -> Name:
    """The font's name in the page's /Font resources, added under a name not yet taken.

    Pages often share one /Font dictionary; the font added for an earlier page is found there.
    """
    fonts = page.resources.get(Name.Font)
    if fonts is None:
        fonts = page.resources[Name.Font] = Dictionary()
    for key, value in fonts.items():
        if value.is_indirect and value.objgen == font.objgen:
            return Name(key)
    number = 0
    while (name := Name(f"/{_FONT_NAME}{number or ''}")) in fonts:
        number += 1
    fonts[name] = font
    return name


def _placement(page: pikepdf.Page, text: PageText) -> tuple[float, ...]:
    """The matrix from the layer's y-up pixel space onto the page's user space.

    The page is seen through its CropBox (clipped to the MediaBox, as viewers and poppler do)
    and then turned clockwise by /Rotate; a pixel's fractions of the image are its fractions
    of that displayed page.
    """
    x0, y0, x1, y1 = _visible_box(page)
    width, height = x1 - x0, y1 - y0
    turn = page.rotation % 360
    if turn not in ROTATIONS:
        turn = 0  # not a quarter turn: invalid, and poppler (which rendered it) ignores it too
    shown_w, shown_h = (height, width) if turn in (90, 270) else (width, height)
    sx, sy = shown_w / text.width, shown_h / text.height
    return {
        0: (sx, 0, 0, sy, x0, y0),
        90: (0, sx, -sy, 0, x0 + width, y0),
        180: (-sx, 0, 0, -sy, x0 + width, y0 + height),
        270: (0, -sx, sy, 0, x0, y0 + height),
    }[turn]


def _visible_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The CropBox clipped to the MediaBox; the MediaBox if they do not overlap."""
    mx0, my0, mx1, my1 = _normalized(page.mediabox)
    cx0, cy0, cx1, cy1 = _normalized(page.cropbox)
    box = (max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1))
    if box[2] <= box[0] or box[3] <= box[1]:
        return (mx0, my0, mx1, my1)
    return box


def _normalized(box: pikepdf.Array) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a rectangle given by any two opposite corners."""
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _drawable_lines(text: PageText) -> list[list[tuple[Word, bytes]]]:
    """The lines of the page as (word, character codes), without words that cannot be drawn."""
    lines = []
    for _, grouped in groupby(text.words, key=lambda w: (w.block, w.paragraph, w.line)):
        line = [(w, codes) for w in grouped if (codes := encode_text(w.text)) and _fits(w)]
        if line:
            lines.append(line)
    return lines


def _text_object(
    lines: Sequence[Sequence[tuple[Word, bytes]]], rotation: int, page_height: int, font: Name
) -> str:
    operators = ["BT", "3 Tr"]
    for line in lines:
        operators += _line_operators(line, rotation, page_height, font)
    operators.append("ET")
    return "\n".join(operators)


def _line_operators(
    line: Sequence[tuple[Word, bytes]], rotation: int, page_height: int, font_name: Name
) -> list[str]:
    boxes = [_along_and_across(word, rotation) for word, _ in line]
    slope, intercept = _baseline(boxes)
    heights = [slope * (a0 + a1) / 2 + intercept - top for a0, a1, top, _ in boxes]
    size = max(1.0, statistics.median(heights))
    operators = [f"{font_name} {_number(size)} Tf"]
    for index, ((_, codes), (start, end, _, _)) in enumerate(zip(line, boxes, strict=True)):
        x, y = _image_point(start, slope * start + intercept, rotation)
        scale = 100 * (end - start) / (len(codes) // 2 * CHAR_ADVANCE * size)
        matrix = (*_DIRECTIONS[rotation], x, page_height - y)
        operators.append(f"{_numbers(matrix)} Tm {_number(scale)} Tz <{codes.hex()}> Tj")
        if index + 1 < len(line):
            gap = max(boxes[index + 1][0] - end, _MIN_SPACE * size)
            operators.append(f"{_number(100 * gap / (CHAR_ADVANCE * size))} Tz <0020> Tj")
    return operators


def _baseline(boxes: Sequence[tuple[int, int, int, int]]) -> tuple[float, float]:
    """The line's baseline as ``across = slope * along + intercept``, fitted to the box bottoms.

    Theil-Sen (medians of slopes and of intercepts), so that the bottom of a hyphen, a word
    with a descender or a dot below does not shift it. Two words cannot tell skew from a
    descender, and a tilt that moves the baseline less than ``_MIN_RISE`` of the line's height
    from end to end is such noise too: those lines are taken as level.
    """
    middles = [((a0 + a1) / 2, bottom) for a0, a1, _, bottom in boxes]
    slopes = [
        (d2 - d1) / (a2 - a1)
        for i, (a1, d1) in enumerate(middles)
        for a2, d2 in middles[i + 1 :]
        if a2 != a1
    ]
    slope = statistics.median(slopes) if len(middles) > 2 else 0.0
    length = max(a1 for _, a1, _, _ in boxes) - min(a0 for a0, _, _, _ in boxes)
    height = statistics.median(bottom - top for _, _, top, bottom in boxes)
    if abs(slope) > _MAX_SLOPE or abs(slope) * length < _MIN_RISE * height:
        slope = 0.0
    return slope, statistics.median(d - slope * a for a, d in middles)


def _fits(word: Word) -> bool:
    return word.width > 0 and word.height > 0


def _along_and_across(word: Word, rotation: int) -> tuple[int, int, int, int]:
    """(start, end, top, bottom) of the word's box in its line's own frame, in pixels.

    "Along" runs in reading direction, "across" from the glyph tops towards the baseline; for
    upright text they are x and y.
    """
    left, top, right, bottom = word.left, word.top, word.left + word.width, word.top + word.height
    return {
        0: (left, right, top, bottom),
        90: (top, bottom, -right, -left),
        180: (-right, -left, -bottom, -top),
        270: (-bottom, -top, left, right),
    }[rotation]


def _image_point(along: float, across: float, rotation: int) -> tuple[float, float]:
    """Back from the line's frame to image pixels (x, y down)."""
    return {
        0: (along, across),
        90: (-across, along),
        180: (-along, -across),
        270: (across, -along),
    }[rotation]


def _numbers(values: Sequence[float]) -> str:
    return " ".join(_number(value) for value in values)


def _number(value: float) -> str:
    """A PDF number: no exponent, no needless digits, no ``-0``."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
