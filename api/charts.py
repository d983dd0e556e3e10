"""Bar charts drawn on the server as SVG geometry: the dashboard's template draws the
rectangles these compute, so the page needs no script and no chart library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHART_WIDTH, CHART_HEIGHT = 720.0, 180.0
LABEL_HEIGHT = 18.0


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    label: str
    """Shown under the column; empty to leave it out."""
    values: tuple[float, ...]
    """One per series, drawn over each other, the first the tallest."""
    heights: tuple[float, ...]


@dataclass(frozen=True)
class Columns:
    width: float
    height: float
    """Of the drawing area, above the labels."""
    top: float
    """The value the full height stands for."""
    columns: list[Column]


def columns(
    series: Sequence[tuple[str, tuple[float, ...]]],
    label_every: int = 1,
    width: float = CHART_WIDTH,
    height: float = CHART_HEIGHT,
) -> Columns:
    """A column per (label, values); every ``label_every``-th label shown."""
    top = max((max(values, default=0.0) for _, values in series), default=0.0) or 1.0
    step = width / max(len(series), 1)
    gap = min(step * 0.2, 6.0)
    drawn = [
        Column(
            x=index * step + gap / 2,
            width=step - gap,
            label=label if index % label_every == 0 else "",
            values=values,
            heights=tuple(height * value / top for value in values),
        )
        for index, (label, values) in enumerate(series)
    ]
    return Columns(width, height, top, drawn)
