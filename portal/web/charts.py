"""Charts drawn on the server as SVG: the geometry is computed here, the markup is
``templates/_macros/charts.html`` (``column_chart``, ``share_bar``).

No script and no style attribute (the CSP allows neither): sizes are SVG presentation
attributes, colours come from classes in portal.css. A chart is a picture of figures the page
also gives as a table (the caller's job), so it needs no JavaScript, and a screen reader reads
the SVG's title and description, then the table. Labels are the caller's, already in the
page's language; the ticks' numbers are formatted by the macro.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: The widest a column is drawn, in the drawing's units.
MAX_COLUMN = 40.0


@dataclass(frozen=True)
class Column:
    #: What the x axis says under the column ("" when the axis skips it), and its full name
    #: (the column's tooltip).
    label: str
    title: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    #: The plot's box inside the drawing (axis labels live outside it).
    left: float
    top: float
    right: float
    bottom: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]

    @property
    def label_y(self) -> float:
        return self.bottom + 7  # the labels hang from this line


def tick_step(maximum: float, count: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1) dividing 0..``maximum`` into
    about ``count`` intervals."""
    if maximum <= 0:
        return 1
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(1, step)


def column_chart(points: Sequence[tuple[str, str, float]], *, width: int = 560,
                 height: int = 220, max_labels: int = 6) -> ColumnChart:
    """Vertical columns for ``points`` of (axis label, full label, value) in order, on a y
    axis from 0 to a round number; at most ``max_labels`` axis labels, evenly spread, the
    first and last always among them."""
    # Room for tick numbers ("1,500") on the left and dates below, at a phone's larger text.
    left, right, top, bottom = 56.0, width - 8.0, 12.0, height - 32.0
    step = tick_step(max((v for _, _, v in points), default=0))
    ceiling = step * max(1, math.ceil(max((v for _, _, v in points), default=0) / step))
    scale = (bottom - top) / ceiling
    slot = (right - left) / max(1, len(points))
    # A few columns stay columns, not blocks: at most MAX_COLUMN wide, centred in their slot.
    bar_width = min(MAX_COLUMN, slot - min(4.0, slot * 0.2))
    shown = labelled(len(points), max_labels)
    columns = []
    for n, (label, title, value) in enumerate(points):
        bar = value * scale
        columns.append(Column(label=label if n in shown else "", title=title, value=value,
                              x=round(left + n * slot + (slot - bar_width) / 2, 2),
                              y=round(bottom - bar, 2), width=round(bar_width, 2),
                              height=round(bar, 2)))
    ticks = tuple(Tick(value=v, y=round(bottom - v * scale, 2))
                  for v in _range(0, ceiling, step))
    return ColumnChart(width=width, height=height, left=left, top=top, right=right,
                       bottom=bottom, columns=tuple(columns), ticks=ticks)


def labelled(count: int, max_labels: int) -> set[int]:
    """Which of ``count`` columns get an axis label: every k-th from the first, and the last,
    which replaces a labelled neighbour closer than half a step (their labels would overlap)."""
    if count <= 0:
        return set()
    every = max(1, math.ceil(count / max(1, max_labels)))
    shown = set(range(0, count, every))
    last = count - 1
    previous = max(shown)
    if previous != last:
        if last - previous < every / 2 and previous > 0:
            shown.discard(previous)
        shown.add(last)
    return shown


def _range(start: float, stop: float, step: float):
    value = start
    while value <= stop + 1e-9:
        yield value
        value += step


def share(value: float, total: float) -> float:
    """``value`` as a percentage of ``total`` (0..100, one decimal; 0 of nothing)."""
    if total <= 0:
        return 0.0
    return round(min(100.0, max(0.0, value * 100 / total)), 1)
