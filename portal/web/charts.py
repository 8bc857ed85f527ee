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


@dataclass(frozen=True)
class Bar:
    """A horizontal bar: its label sits above it, its figure after it."""

    label: str
    value: float
    percent: float
    #: The label's baseline, the bar's top, its length (of ``BarChart.span``).
    text_y: float
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float
    span: float
    bar_height: float
    bars: tuple[Bar, ...]


#: One row of a bar chart: a label above a bar and room between rows.
ROW = 44.0
BAR = 16.0


def bar_chart(points: Sequence[tuple[str, float, float]], *, width: int = 560) -> BarChart:
    """Horizontal bars for ``points`` of (label, value, percent 0..100), one row each, the
    label above its bar (option texts are long, and Georgian longer still). A bar's length is
    its percent of the widest possible (so charts of one page compare); the figure follows it."""
    left, span = 4.0, width - 4.0 - 120.0
    bars = []
    for n, (label, value, percent) in enumerate(points):
        top = 8 + n * ROW
        bars.append(Bar(label=label, value=value, percent=percent, text_y=round(top + 13, 2),
                        y=round(top + 20, 2),
                        width=round(span * max(0.0, min(100.0, percent)) / 100, 2)))
    return BarChart(width=width, height=int(16 + len(points) * ROW), left=left, span=span,
                    bar_height=BAR, bars=tuple(bars))


@dataclass(frozen=True)
class Segment:
    series: int
    value: float
    percent: float
    x: float
    width: float


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: float
    text_y: float
    y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LegendItem:
    series: int
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    left: float
    span: float
    bar_height: float
    rows: tuple[StackedRow, ...]
    legend: tuple[LegendItem, ...]


def stacked_chart(rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[str], *,
                  width: int = 560) -> StackedChart:
    """100% stacked horizontal bars: each of ``rows`` (label, a value per series, in the
    order of ``series``) is one bar split by its shares; a legend of the series on top
    (series get classes ``chart-series-<n>``, up to ten)."""
    left, span = 4.0, width - 8.0
    legend = []
    x, y = left, 14.0
    for n, label in enumerate(series):
        room = 24 + 8 * len(label)
        if x + room > width and x > left:
            x, y = left, y + 20
        legend.append(LegendItem(series=n, label=label, x=round(x, 2), y=round(y, 2)))
        x += room
    start = y + 18
    drawn = []
    for n, (label, values) in enumerate(rows):
        top = start + n * ROW
        total = float(sum(values))
        at = left
        segments = []
        for s, value in enumerate(values):
            part = share(value, total)
            length = span * value / total if total else 0.0
            segments.append(Segment(series=s, value=value, percent=part, x=round(at, 2),
                                    width=round(length, 2)))
            at += length
        drawn.append(StackedRow(label=label, total=total, text_y=round(top + 13, 2),
                                y=round(top + 20, 2), segments=tuple(segments)))
    return StackedChart(width=width, height=int(start + len(rows) * ROW + 4), left=left,
                        span=span, bar_height=BAR, rows=tuple(drawn), legend=tuple(legend))
