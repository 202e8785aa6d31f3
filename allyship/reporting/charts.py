"""Charts drawn on the server as SVG: no JavaScript, no CDN, nothing inline for the CSP.

Each chart is an `<svg role="img">` named by its `<title>` and described in words by its
`<desc>`; the page shows the same numbers in a table beside it. Geometry is worked out
here and formatted as plain strings, so the templates only place them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
BAR_AREA = 400  # the rest of the width holds the value text
BAR_HEIGHT = 18
ROW_HEIGHT = 50
COLUMN_CHART_HEIGHT = 220
COLUMN_TOP = 24
COLUMN_BOTTOM = 36


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    label_y: str
    bar_y: str
    width: str
    value_x: str
    value_y: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    track_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, float | None]], unit: str = "%"
) -> BarChart:
    """Horizontal bars from 0 to 100 (percentages): one row per label, its value beside it."""
    bars = []
    parts = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        shown = "no data" if value is None else f"{round(value)}{unit}"
        width = 0.0 if value is None else BAR_AREA * max(0.0, min(float(value), 100.0)) / 100
        bars.append(
            Bar(
                label=label,
                text=shown,
                label_y=_n(top + 16),
                bar_y=_n(top + 24),
                width=_n(width),
                value_x=_n(BAR_AREA + 8),
                value_y=_n(top + 24 + BAR_HEIGHT - 4),
            )
        )
        parts.append(f"{label}: {shown}")
    description = f"{title}. " + ("; ".join(parts) if parts else "No data yet") + "."
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(len(rows), 1) * ROW_HEIGHT,
        track_width=BAR_AREA,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    value_y: str
    show_label: bool


@dataclass(frozen=True)
class ColumnChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    baseline_y: str
    label_y: str
    columns: list[Column]


def week_label(week: datetime.date) -> str:
    return f"{week.day} {week:%b}"


def weekly_column_chart(
    *, chart_id: str, title: str, points: Sequence[tuple[datetime.date, int]]
) -> ColumnChart:
    """A column per week, its count above it; every other week labelled below the axis."""
    plot_height = COLUMN_CHART_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    biggest = max((count for _, count in points), default=0) or 1
    slot = WIDTH / max(len(points), 1)
    columns = []
    for index, (week, count) in enumerate(points):
        height = plot_height * count / biggest
        x = index * slot + slot * 0.15
        columns.append(
            Column(
                label=week_label(week),
                count=count,
                x=_n(x),
                y=_n(COLUMN_TOP + plot_height - height),
                width=_n(slot * 0.7),
                height=_n(height),
                label_x=_n(index * slot + slot / 2),
                value_y=_n(COLUMN_TOP + plot_height - height - 6),
                show_label=(len(points) - 1 - index) % 2 == 0,
            )
        )
    total = sum(count for _, count in points)
    if points:
        busiest = max(points, key=lambda point: point[1])
        description = (
            f"{title}: {total} in the {len(points)} weeks from {week_label(points[0][0])} to "
            f"{week_label(points[-1][0])}; the busiest week, starting {week_label(busiest[0])}, "
            f"had {busiest[1]}."
        )
    else:
        description = f"{title}: no data yet."
    return ColumnChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=COLUMN_CHART_HEIGHT,
        baseline_y=_n(COLUMN_TOP + plot_height),
        label_y=_n(COLUMN_CHART_HEIGHT - 12),
        columns=columns,
    )
