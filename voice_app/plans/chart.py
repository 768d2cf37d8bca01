"""The scaling chart: every participant's 0-10 scale over time, as SVG drawn on the server.

No JavaScript is needed to read it, and the same figures go in a table beside it. In a
right-to-left language time runs from right to left and the scale sits on the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from voice_app.plans.services.reading import ScaleSeries

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
#: Colours with a 3:1 contrast on white, told apart by their marker shape too.
COLOURS = ("#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#b45309", "#0f766e", "#be185d")
SHAPES = ("circle", "square", "diamond", "triangle")
#: The least distance between two dates named under the axis (a date is about 60 units).
LABEL_GAP = 72
#: Each point's figure is written beside it only up to this many dates: more overlap, and
#: the table beside the chart gives every figure (each label also cost the PDF time).
MOST_VALUE_LABELS = 12


@dataclass(frozen=True)
class ChartLine:
    label: str
    colour: str
    shape: str
    points: list[tuple[float, float, int, date]]


def _x_positions(days: list[date], rtl: bool) -> dict[date, float]:
    span = max(1, (days[-1] - days[0]).days) if days else 1
    inner = WIDTH - LEFT - RIGHT
    out = {}
    for day in days:
        offset = (day - days[0]).days / span * inner if len(days) > 1 else inner / 2
        out[day] = (WIDTH - LEFT - offset) if rtl else (LEFT + offset)
    return out


def _y(value: int) -> float:
    return TOP + (10 - value) / 10 * (HEIGHT - TOP - BOTTOM)


def lines(series: list[ScaleSeries], labels: list[str], rtl: bool) -> list[ChartLine]:
    """Where each point goes; ``labels`` names each series in the reader's language."""
    days = sorted({p.on for s in series for p in s.points})
    xs = _x_positions(days, rtl)
    return [
        ChartLine(
            label,
            COLOURS[i % len(COLOURS)],
            SHAPES[i % len(SHAPES)],
            [(xs[p.on], _y(p.value), p.value, p.on) for p in s.points],
        )
        for i, (s, label) in enumerate(zip(series, labels, strict=True))
    ]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
    else:
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}"
    return f'<polygon points="{pts}" fill="{colour}"/>'


def labelled_days(xs: dict[date, float]) -> list[date]:
    """The dates named under the axis: the first, the last, and between them each one at
    least ``LABEL_GAP`` from the one named before it, so no two names overlap."""
    days = sorted(xs)
    named: list[date] = []
    for day in days:
        if not named or abs(xs[day] - xs[named[-1]]) >= LABEL_GAP:
            named.append(day)
    if days and named[-1] != days[-1]:
        if len(named) > 1:
            named.pop()  # too close to the last date, which is always named
        named.append(days[-1])
    return named


def render_svg(chart_lines: list[ChartLine], title: str, rtl: bool) -> Markup:
    """The chart as inline SVG; its title names it for assistive technology."""
    axis_x = (WIDTH - LEFT + 8) if rtl else (LEFT - 8)
    anchor = "start" if rtl else "end"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="scale-chart" role="img" aria-labelledby="scale-chart-title">',
        f'<title id="scale-chart-title">{escape(title)}</title>',
    ]
    for value in (0, 2, 4, 6, 8, 10):
        y = _y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - LEFT if rtl else WIDTH - RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#d1d5db"/>'
            f'<text x="{axis_x}" y="{y + 4:.1f}" text-anchor="{anchor}" font-size="12" '
            f'fill="#374151">{value}</text>'
        )
    days = sorted({point[3] for line in chart_lines for point in line.points})
    xs = _x_positions(days, rtl)
    for day in labelled_days(xs):
        parts.append(
            f'<text x="{xs[day]:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
            f'fill="#374151">{day.isoformat()}</text>'
        )
    with_values = len(days) <= MOST_VALUE_LABELS
    for line in chart_lines:
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in line.points)
        parts.append(f'<g class="scale-line" data-label="{escape(line.label)}">')
        if len(line.points) > 1:
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{line.colour}" '
                'stroke-width="2"/>'
            )
        for x, y, value, _ in line.points:
            parts.append(_marker(line.shape, x, y, line.colour))
            if with_values:
                parts.append(
                    f'<text class="scale-value" x="{x:.1f}" y="{y - 9:.1f}" '
                    f'text-anchor="middle" font-size="11" fill="#111827">{value}</text>'
                )
        parts.append("</g>")
    parts.append("</svg>")
    # Every text in it went through escape() above; the rest are numbers and fixed markup.
    return Markup("".join(parts))  # noqa: S704


def table_rows(series: list[ScaleSeries]) -> tuple[list[date], list[list[int | None]]]:
    """The same figures as the chart: one row per date, one column per series."""
    days = sorted({p.on for s in series for p in s.points})
    rows = []
    for day in days:
        row: list[int | None] = []
        for s in series:
            values = [p.value for p in s.points if p.on == day]
            row.append(values[-1] if values else None)
        rows.append(row)
    return days, rows
