"""Drawing text lines on a page while recording exactly what was drawn.

The OCR benchmarks score recognised text against ``RenderedPage.lines``, so every string that
reaches the image goes through ``PageCanvas.line``, which draws it and records it in the same
step: one drawn line, one recorded line, NFC-normalised, in reading order. Long values are wrapped
here, before drawing, so a line never wraps by surprise.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

DPI = 300
A4_SIZE = (2480, 3508)  # 210 × 297 mm at 300 dpi
BODY_SIZE = 48  # pixels, 11.5 pt at 300 dpi
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/croscore"),
)
# "times" is the Times-metric serif most administrative papers are typed in (Liberation Serif,
# or Tinos), "arial" the Arial-metric sans of many certificates; both carry Vietnamese glyphs.
_FONT_FILES = {
    "serif": ("DejaVuSerif.ttf", "NotoSerif-Regular.ttf"),
    "serif-bold": ("DejaVuSerif-Bold.ttf", "NotoSerif-Bold.ttf"),
    "serif-italic": ("DejaVuSerif-Italic.ttf", "NotoSerif-Italic.ttf"),
    "sans": ("DejaVuSans.ttf", "NotoSans-Regular.ttf"),
    "sans-bold": ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf"),
    "times": ("LiberationSerif-Regular.ttf", "Tinos-Regular.ttf"),
    "times-bold": ("LiberationSerif-Bold.ttf", "Tinos-Bold.ttf"),
    "times-italic": ("LiberationSerif-Italic.ttf", "Tinos-Italic.ttf"),
    "arial": ("LiberationSans-Regular.ttf", "Arimo-Regular.ttf"),
    "arial-bold": ("LiberationSans-Bold.ttf", "Arimo-Bold.ttf"),
}
Align = Literal["left", "center", "right"]
Continuation = Literal["hanging", "value", "margin"]
"""Where a wrapped "Label: value" continues: indented a little under the label (``hanging``),
under the value's first letter (``value``), or back at the left margin (``margin``)."""


def points(size: float) -> int:
    """A type size in points as pixels at 300 dpi: 13 pt is 54 px."""
    return round(size * DPI / 72)


@dataclass(frozen=True)
class RenderedPage:
    """One page image (mode "L", 300 dpi) and the text lines drawn on it, in reading order."""

    image: Image.Image
    lines: list[str]


# What a document builder returns: the pages and the field values exactly as printed.
Built = tuple[list[RenderedPage], dict[str, str]]


@lru_cache(maxsize=64)
def font(style: str, size: int) -> ImageFont.FreeTypeFont:
    """A font with Vietnamese glyphs, laid out without Raqm so output is the same everywhere.

    Precomposed (NFC) Vietnamese letters need no shaping, and the basic layout engine does not
    depend on which optional libraries Pillow was built with.
    """
    for name in _FONT_FILES[style]:
        for folder in _FONT_DIRS:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    raise FileNotFoundError(
        f"no {style} font with Vietnamese glyphs; install fonts-dejavu-core (scripts/setup.sh)"
    )


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Split ``text`` at spaces into lines no wider than ``width`` pixels (long words stay whole).

    Where a line must break, it breaks after a comma if one falls in its last 40 %, so an address
    splits between its parts ("..., quận Hoàn Kiếm," / "TP. Hà Nội") as a clerk would write it.
    """
    lines: list[str] = []
    current: list[str] = []
    for word in text.split():
        if current and face.getlength(" ".join([*current, word])) > width:
            cut = _comma_break(current, face, width)
            lines.append(" ".join(current[:cut]))
            current = current[cut:]
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def _comma_break(words: list[str], face: ImageFont.FreeTypeFont, width: float) -> int:
    """How many of ``words`` to keep on the line: up to the last comma that is not too early."""
    for cut in range(len(words) - 1, 0, -1):
        if words[cut - 1].endswith(","):
            if face.getlength(" ".join(words[:cut])) >= 0.6 * width:
                return cut
            break
    return len(words)


def wrap_balanced(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Like ``wrap`` but with lines of similar length, for centred titles."""
    lines = wrap(text, face, width)
    low, high = width / 2, width
    while len(lines) > 1 and high - low > 4:
        middle = (low + high) / 2
        if len(wrap(text, face, middle)) == len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, face, high) if len(lines) > 1 else lines


class PageCanvas:
    """A white page with a text cursor that moves down line by line inside the margins."""

    def __init__(
        self,
        size: tuple[int, int] = A4_SIZE,
        margins: tuple[int, int, int, int] = (354, 236, 236, 260),
        spacing: float = 1.45,
    ) -> None:
        """``margins`` are left, top, right, bottom in pixels (A4 default: 3 cm left, 2 cm else).

        ``spacing`` is the default distance between baselines as a multiple of the font size.
        """
        self.spacing = spacing
        self.image = Image.new("L", size, 255)
        self.draw = ImageDraw.Draw(self.image)
        self.left, self.top, right, bottom = margins
        self.right = size[0] - right
        self.bottom = size[1] - bottom
        self.y = float(self.top)
        self.lines: list[str] = []

    @property
    def width(self) -> int:
        return self.right - self.left

    def line(
        self,
        text: str,
        face: ImageFont.FreeTypeFont,
        align: Align = "left",
        indent: int = 0,
        spacing: float | None = None,
        column: tuple[int, int] | None = None,
    ) -> None:
        """Draw one line at the cursor and record it; ValueError if it overflows the page.

        ``column`` narrows the margins for this line, e.g. to centre a signature block in the
        right half of the page.
        """
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        size = face.size
        if self.y + size * 1.3 > self.bottom:
            raise ValueError(f"page full at line {text!r}")
        left, right = column or (self.left, self.right)
        length = face.getlength(text)
        if length > right - left - indent + 1:
            raise ValueError(f"line wider than the page: {text!r}")
        x = {
            "left": left + indent,
            "center": left + (right - left - length) / 2,
            "right": right - length,
        }[align]
        self.draw.text((round(x), round(self.y + size)), text, font=face, fill=0, anchor="ls")
        self.lines.append(text)
        self.y += size * (spacing or self.spacing)

    def paragraph(
        self,
        text: str,
        face: ImageFont.FreeTypeFont,
        indent: int = 0,
        hanging: int = 0,
        align: Align = "left",
    ) -> None:
        """Draw ``text`` wrapped to the margins; continuation lines are indented by ``hanging``."""
        if align == "center":
            for part in wrap_balanced(text, face, self.width - indent):
                self.line(part, face, align=align, indent=indent)
            return
        first, *rest = wrap(text, face, self.width - indent) or [""]
        self.line(first, face, align=align, indent=indent)
        for part in wrap(" ".join(rest), face, self.width - indent - hanging):
            self.line(part, face, align=align, indent=indent + hanging)

    def field(
        self,
        label: str,
        value: str,
        face: ImageFont.FreeTypeFont,
        continuation: Continuation = "hanging",
    ) -> None:
        """A "Label: value" line, wrapped as ``continuation`` says a filled-in form wraps."""
        hanging = {
            "hanging": round(face.size * 1.5),
            "value": round(face.getlength(f"{label}: ")),
            "margin": 0,
        }[continuation]
        self.paragraph(f"{label}: {value}", face, hanging=hanging)

    def label_above(self, label: str, value: str, face: ImageFont.FreeTypeFont) -> None:
        """A label on its own line with the value on the lines under it, indented."""
        self.line(f"{label}:", face)
        self.paragraph(value, face, indent=round(face.size * 1.5))

    def table_row(
        self,
        label: str,
        value: str,
        face: ImageFont.FreeTypeFont,
        split: float = 0.36,
        label_face: ImageFont.FreeTypeFont | None = None,
    ) -> None:
        """One row of a two-column ruled table: the label in the left cell, the value wrapped in
        the right one, with the row's rules drawn around both.

        Each drawn line is recorded as the label's part and the value's part side by side, the
        order a reader takes a row in.
        """
        label_face = label_face or face
        pad = round(face.size * 0.4)
        middle = self.left + round(self.width * split)
        labels = wrap(label, label_face, middle - self.left - 2 * pad)
        values = wrap(value, face, self.right - middle - 2 * pad) or [""]
        rows = max(len(labels), len(values))
        pitch = face.size * self.spacing
        top = round(self.y)
        bottom = round(self.y + pitch * rows + pad)
        if bottom > self.bottom:
            raise ValueError(f"page full at table row {label!r}")
        for number in range(rows):
            baseline = round(self.y + pad + face.size + pitch * number)
            parts = []
            if number < len(labels):
                self.draw.text(
                    (self.left + pad, baseline),
                    labels[number],
                    font=label_face,
                    fill=0,
                    anchor="ls",
                )
                parts.append(labels[number])
            if number < len(values):
                self.draw.text(
                    (middle + pad, baseline), values[number], font=face, fill=0, anchor="ls"
                )
                parts.append(values[number])
            self.lines.append(unicodedata.normalize("NFC", " ".join(" ".join(parts).split())))
        for x in (self.left, middle, self.right):
            self.draw.rectangle((x - 1, top, x + 1, bottom), fill=0)
        for y in (top, bottom):
            self.draw.rectangle((self.left - 1, y - 1, self.right + 1, y + 1), fill=0)
        self.y = float(bottom)  # the next row shares this rule

    def space(self, lines: float) -> None:
        """Leave ``lines`` body-line heights empty."""
        self.y += BODY_SIZE * 1.45 * lines

    def rule(self, length: int, thickness: int = 3) -> None:
        """A centred horizontal rule, like the line under the national motto."""
        x = self.left + (self.width - length) / 2
        y = round(self.y + BODY_SIZE * 0.1)
        self.draw.rectangle((round(x), y, round(x + length), y + thickness - 1), fill=0)
        self.y += BODY_SIZE * 0.6

    def footer(self, text: str, face: ImageFont.FreeTypeFont) -> None:
        """A centred line in the bottom margin, such as a page number; drawn after the body."""
        self.y = float(self.bottom) + (self.image.height - self.bottom - face.size) / 3
        self.bottom = self.image.height
        self.line(text, face, align="center")

    def finish(self) -> RenderedPage:
        """The page as drawn; the image carries its 300 dpi resolution."""
        self.image.info["dpi"] = (DPI, DPI)
        return RenderedPage(self.image, list(self.lines))
