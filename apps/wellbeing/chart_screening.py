"""A small line chart of a person's screenings over time, drawn on the server as SVG (no script, nothing fetched).

Readable without colour: everything is black or grey; each line has its own marker shape (circle, square,
triangle) and dash pattern, named in the legend with the same shape, and every value is written beside its
marker.  The page shows the same numbers as a table under the chart, which is what a screen reader reads (the
chart's title and description say so).  Pure Python (no Django), like ``domain/geo/svg.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

MARKERS = ("circle", "square", "triangle")
DASHES = ("", "6 4", "2 3")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | None]
    """One value per point in time; ``None``: no value then (the line breaks there)."""
    marker: str = "circle"
    dash: str = ""
    label_dy: int = -9
    """Where the values are written, above (negative) or below the marker."""


def _marker(shape: str, x: float, y: float, size: float = 5) -> str:
    if shape == "square":
        return (
            f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" '
            'fill="#fff" stroke="#000" stroke-width="2"/>'
        )
    if shape == "triangle":
        points = f"{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} {x + size + 1:.1f},{y + size:.1f}"
        return f'<polygon points="{points}" fill="#000"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="#000"/>'


def line_chart(
    *, title: str, description: str, x_labels: Sequence[str], series: Sequence[Series], lowest: int, highest: int,
    chart_id: str = "chart", width: int = 640,
) -> str:  # fmt: skip
    """The SVG (a string of markup, every text escaped) of ``series`` over ``x_labels`` on a scale from ``lowest``
    to ``highest``; a grid line at every whole number when there are at most 12, else at every other one."""
    if highest <= lowest:
        raise ValueError("the scale needs highest > lowest")
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("every series needs one value per label")
    rotate = len(x_labels) > 5
    left, right, top = 44, 28, 48
    bottom = 78 if rotate else 36
    plot_h = 200
    height = top + plot_h + bottom
    plot_w = width - left - right

    def x_of(i: int) -> float:
        return left + plot_w / 2 if len(x_labels) == 1 else left + 16 + i * (plot_w - 32) / (len(x_labels) - 1)

    def y_of(value: int) -> float:
        return top + (highest - value) / (highest - lowest) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="screening-chart" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    step = 1 if highest - lowest <= 12 else 2
    for value in range(lowest, highest + 1, step):
        y = y_of(value)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#000"/>')
    for i, label in enumerate(x_labels):
        x, y = x_of(i), top + plot_h + 18
        turn = f' transform="rotate(-35 {x:.1f} {y:.1f})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{turn} fill="#333">{escape(label)}</text>')
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_of(i), y_of(value)))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="2"{dash}/>')
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x, y = x_of(i), y_of(value)
            out.append(_marker(s.marker, x, y))
            out.append(f'<text x="{x + 8:.1f}" y="{y + s.label_dy + 4:.1f}" font-weight="bold">{value}</text>')
    # the legend, above the chart: the marker shape and the dash of each line, and its name
    x = left
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(f'<line x1="{x}" x2="{x + 28}" y1="18" y2="18" stroke="#000" stroke-width="2"{dash}/>')
        out.append(_marker(s.marker, x + 14, 18))
        out.append(f'<text x="{x + 36}" y="22">{escape(s.label)}</text>')
        x += 44 + 8 * len(s.label)
    out.append("</svg>")
    return "\n".join(out)
