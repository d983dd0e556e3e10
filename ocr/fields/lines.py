"""A page's words as lines, placed on the upright page whatever turn the scan had.

Field extraction reads labels at the start of lines and follows values down the page, so it
needs each line's extent along the reading direction and its place across it; tesseract's own
block order is not enough, since a speck can shuffle it. These are the geometric facts about
lines the locator's rules rest on: where the text's edges are, which lines lie under which,
which are a blank apart, which are centred on one another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ocr.words import PageText, Word

GAP_LINES = 2.6
"""Lines further apart than this many line heights (middle to middle) are not one value."""


@dataclass(frozen=True)
class Line:
    """A line of words with its place in the upright page, whatever turn the scan had:
    ``x0``..``x1`` along the reading direction, ``y`` the middle of its first word across it,
    ``height`` its words' median height."""

    page: int
    words: tuple[Word, ...]
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    height: float = 0.0
    mid_line: bool = False  # a part of a printed line that starts with a label of its own
    spans: tuple[tuple[float, float], ...] = ()  # each word's extent along the reading direction
    slope: float = 0.0  # how far the line drops across it per pixel along it: the scan's lean

    def part(self, words: Sequence[Word]) -> Line:
        """The run ``words`` of this line as a line of its own, placed where those words are."""
        start = next(i for i, word in enumerate(self.words) if word is words[0])
        end = start + len(words)
        if len(self.spans) == len(self.words):
            x0, x1 = self.spans[start][0], max(right for _, right in self.spans[start:end])
        else:  # a line built by hand: in proportion to the letters
            pitch = (self.x1 - self.x0) / max(len(self.text), 1)
            before = len(" ".join(word.text for word in self.words[:start])) + (1 if start else 0)
            x0 = self.x0 + pitch * before
            x1 = x0 + pitch * len(" ".join(word.text for word in words))
        return replace(self, words=tuple(words), x0=x0, x1=x1, spans=self.spans[start:end])

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def lines_of(pages: Sequence[PageText]) -> list[Line]:
    """The lines of ``pages`` in tesseract's order, each placed on its upright page."""
    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        groups: list[list[Word]] = []
        key: tuple[int, int, int] | None = None
        for word in page.words:
            if (word.block, word.paragraph, word.line) != key or not groups:
                groups.append([])
            key = (word.block, word.paragraph, word.line)
            groups[-1].append(word)
        upright = _upright_frame(groups)
        lines.extend(_placed(number, tuple(group), upright) for group in groups)
    return lines


_Frame = Callable[[float, float], tuple[float, float]]


def _upright_frame(groups: list[list[Word]]) -> _Frame:
    """The map from page pixels to the upright page, from the way the page's lines run: words
    come back in the coordinates of the scan, which may hold the text turned a quarter."""
    dx = dy = 0.0
    for words in groups:
        first, last = words[0], words[-1]
        dx += (last.left + last.width / 2) - (first.left + first.width / 2)
        dy += (last.top + last.height / 2) - (first.top + first.height / 2)
    if abs(dx) >= abs(dy):
        return (lambda x, y: (x, y)) if dx >= 0 else (lambda x, y: (-x, -y))
    return (lambda x, y: (y, -x)) if dy > 0 else (lambda x, y: (-y, x))


def _placed(page: int, words: tuple[Word, ...], upright: _Frame) -> Line:
    """The line's extent along the reading direction, and the middle and height of its first
    word across it: the start of a line stays put when the page leans, its end does not."""
    boxes = []
    for word in words:
        (ax, ay), (bx, by) = (
            upright(word.left, word.top),
            upright(word.left + word.width, word.top + word.height),
        )
        boxes.append((min(ax, bx), max(ax, bx), (ay + by) / 2, abs(by - ay)))
    heights = sorted(height for *_, height in boxes)
    first = min(boxes)
    last = max(boxes)
    slope = (last[2] - first[2]) / (last[0] - first[0]) if last[0] > first[0] else 0.0
    return Line(
        page,
        words,
        first[0],
        max(right for _, right, *_ in boxes),
        first[2],
        heights[len(heights) // 2],
        spans=tuple((left, right) for left, right, *_ in boxes),
        slope=slope,
    )


def lines_under(lines: list[Line], index: int) -> list[int]:
    """The lines under ``lines[index]`` on its page that share some of its width, top down: the
    page's geometry, not tesseract's block order, which a speck can shuffle."""
    line = lines[index]
    under = [
        other
        for other, candidate in enumerate(lines)
        if candidate.page == line.page
        and not candidate.mid_line
        and candidate.y > line.y + line.height / 2
        and candidate.x0 < line.x1
        and candidate.x1 > line.x0
    ]
    return sorted(under, key=lambda other: lines[other].y)


def apart(above: Line, below: Line) -> bool:
    """More than a blank line between two lines: not the same value any more."""
    return below.y - above.y > GAP_LINES * max(above.height, below.height)


def in_capitals(line: Line) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def centred_pair(above: Line, below: Line, left_edge: float) -> bool:
    """Two lines centred on one another away from the left edge, as a centred address wraps."""
    middle = (above.x0 + above.x1) / 2 - (below.x0 + below.x1) / 2
    indented = min(above.x0, below.x0) > left_edge + 3 * above.height
    return indented and abs(middle) <= 2 * above.height


@dataclass(frozen=True)
class PageGeometry:
    """Where a page's text starts and ends across it, and how it leans: words come in the
    scan's coordinates, so the rows of a leaning page's table drop from left to right."""

    left: float
    right: float
    slope: float = 0.0

    def row_offset(self, line: Line, other: Line) -> float:
        """How far ``other`` sits below ``line``'s row, the lean taken out."""
        return other.y - line.y - self.slope * (other.x0 - line.x0)


def page_geometry(lines: list[Line]) -> dict[int, PageGeometry]:
    """Each page's text edges (where its lines of three words or more start and end at the
    furthest: a speck beside the text is one "word", a line of text is not) and its lean (the
    median slope of those lines)."""
    long: dict[int, list[Line]] = {}
    for line in lines:
        if len(line.words) >= 3 or line.page not in long:
            long.setdefault(line.page, []).append(line)
    geometry = {}
    for page, page_lines in long.items():
        slopes = sorted(line.slope for line in page_lines)
        geometry[page] = PageGeometry(
            min(line.x0 for line in page_lines),
            max(line.x1 for line in page_lines),
            slopes[len(slopes) // 2],
        )
    return geometry
