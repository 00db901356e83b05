"""A sweep's chart: the average discharge delay against demand growth, one line for each area and
capacity option (an SVG string with a title, a description, a legend and line styles as well as
colours; its figures are in the table beside it). Failed tasks and withheld figures leave gaps."""

from __future__ import annotations

from html import escape
from typing import Any

from placeplan.capacity.present.sweep import cell

COLOURS = ("#005eb8", "#d5281b", "#007f3b", "#330072", "#ffb81c", "#212b32", "#ae2573", "#00a499")
DASHES = ("", "8 4", "2 4", "12 4 2 4")

# the table beside the chart: headings and each row's cells
TABLE_COLUMNS = (
    "Area",
    "Demand growth",
    "Capacity",
    "Discharged on the ready date",
    "Average delay (days)",
    "Delayed discharges",
    "Total cost",
    "Status",
)
_KEYS = (
    "area",
    "demand_growth",
    "capacity_option",
    "share_on_drd",
    "average_delay_days",
    "delayed_discharges",
    "total_cost_pence",
)


def table_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """One row a task as the reader sees it (the CSV download keeps the raw figures)."""
    out = []
    for row in rows:
        cells = [cell(k, row) for k in _KEYS]
        if row.get("status") == "finished" and row.get("delayed_discharges") is not None:
            cells[5] = f"{row['delayed_discharges']:,.1f}"
        status = "Finished" if row.get("status") == "finished" else f"Failed: {row.get('error')}"
        out.append([*cells, status])
    return out


def _series(rows: list[dict[str, Any]]) -> dict[str, list[tuple[float, float]]]:
    lines: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        key = f"{row['area']}, {row['capacity_option']}"
        points = lines.setdefault(key, [])
        value = row.get("average_delay_days")
        if row.get("status") == "finished" and value is not None and not row.get("unbounded"):
            points.append((float(row["demand_growth"]), float(value)))
    return lines


def chart_table(rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The chart's own figures for the table beside it: a row for each line (area and capacity
    option) and a column for each demand growth; a gap in the chart is a dash here."""
    growths = sorted({float(r["demand_growth"]) for r in rows})
    lines = _series(rows)
    table = []
    for name, pts in lines.items():
        at = dict(pts)
        table.append((name, [f"{at[g]:.2f}" if g in at else "–" for g in growths]))
    return [f"{g:.0%}" for g in growths], table


def sweep_svg(rows: list[dict[str, Any]], chart_id: str = "sweep") -> str:
    lines = _series(rows)
    growths = sorted({float(r["demand_growth"]) for r in rows}) or [0.0]
    low, high = growths[0], max(growths[-1], growths[0] + 1e-9)
    top = max([v for pts in lines.values() for _, v in pts] + [0.01]) * 1.1
    left, right, top_y, base = 70.0, 560.0, 20.0, 250.0

    def x(g: float) -> float:
        return left + (right - left) * (g - low) / (high - low) if high > low else left

    def y(v: float) -> float:
        return base - (base - top_y) * v / top

    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        f'viewBox="0 0 800 {max(300, int(top_y + 16 * len(lines) + 10))}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">Average discharge delay against demand growth</title>',
        f'<desc id="{chart_id}-desc">One line for each area and capacity option: the average '
        "delay in days (people discharged on their ready date count as no delay) at each demand "
        "growth. A run whose queue grows all year has no steady figure and leaves a gap. The "
        "figures are in the table.</desc>",
    ]
    for k in range(5):
        v, yy = top * k / 4, y(top * k / 4)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#d8dde0"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" font-size="12" fill="#212b32" '
            f'text-anchor="end">{v:.2f}</text>'
        )
    for g in growths:
        parts.append(
            f'<text x="{x(g):.1f}" y="{base + 18}" font-size="12" fill="#212b32" '
            f'text-anchor="middle">{g:.0%}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2}" y="{base + 38}" font-size="12" fill="#212b32" '
        'text-anchor="middle">Demand growth</text>'
        f'<text x="14" y="{top_y - 6}" font-size="12" fill="#212b32">Days</text>'
    )
    for i, (name, pts) in enumerate(lines.items()):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[(i // len(COLOURS)) % len(DASHES)]
        if len(pts) > 1:
            path = " ".join(f"{x(g):.1f},{y(v):.1f}" for g, v in pts)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{dash}"/>'
            )
        for g, v in pts:
            parts.append(f'<circle cx="{x(g):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        ly = top_y + 16 * i
        parts.append(
            f'<line x1="575" x2="600" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="606" y="{ly + 4:.1f}" font-size="12" fill="#212b32">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
