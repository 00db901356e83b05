"""The cheapest-capacity chart: total cost, capacity cost and the cost of delays (acute and
interim) against the capacity tried, with the optimum marked (an SVG string with a title, a
description, a legend and line styles as well as colours; its figures are in the table beside it)."""

from __future__ import annotations

from html import escape
from typing import Any

from placeplan.core.money import format_pence

LINES = (
    ("total_cost_pence", "Total cost", "#212b32", ""),
    ("capacity_cost_pence", "Cost of the places", "#005eb8", "8 4"),
    ("delays_pence", "Cost of acute delays and interim care", "#d5281b", "2 4"),
)


def _value(point: dict[str, Any], key: str) -> float:
    if key == "delays_pence":
        return float(
            (point["delay_cost_pence"].get("value") or 0)
            + (point["interim_cost_pence"].get("value") or 0)
        )
    raw = point[key]
    return float((raw.get("value") if isinstance(raw, dict) else raw) or 0)


def label(point: dict[str, Any]) -> str:
    return " and ".join(str(c) for c in point["capacity"])


def cost_svg(doc: dict[str, Any], chart_id: str = "cheapest") -> str:
    points = doc["points"]
    n = max(len(points), 1)
    left, right, top_y, base = 90.0, 780.0, 20.0, 250.0
    top = max([_value(p, k) for p in points for k, *_ in LINES] + [1.0]) * 1.05
    step = (right - left) / max(n - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{left + i * step:.1f},{base - (base - top_y) * v / top:.1f}"

    title = f"Cost against capacity for {' and '.join(doc['names'])}"
    best = doc["optimum"]["capacity"]
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        'viewBox="0 0 800 330" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Lines for the total cost, the cost of the places and the '
        "cost of acute delays and interim care at each capacity tried; the cheapest capacity, "
        f"{escape(' and '.join(map(str, best)))}, is marked. The figures are in the table.</desc>",
    ]
    for k in range(5):
        v = top * k / 4
        y = base - (base - top_y) * k / 4
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde0"/>'
            f'<text x="{left - 6}" y="{y + 5:.1f}" font-size="12" fill="#212b32" '
            f'text-anchor="end">{escape(format_pence(int(v), whole_pounds=True))}</text>'
        )
    every = max(1, n // 10)
    for i, p in enumerate(points):
        if i % every == 0:
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{base + 18}" font-size="12" fill="#212b32" '
                f'text-anchor="middle">{escape(label(p))}</text>'
            )
        if p["capacity"] == best:
            x = left + i * step
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_y}" y2="{base}" stroke="#007f3b" '
                'stroke-width="2"/>'
                f'<text x="{x + 4:.1f}" y="{top_y + 12}" font-size="12" fill="#007f3b">cheapest'
                "</text>"
            )
    for key, _name, colour, dash in LINES:
        pts = " ".join(xy(i, _value(p, key)) for i, p in enumerate(points))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3"{dashed}/>'
        )
    for j, (_, name, colour, dash) in enumerate(LINES):
        x = left + j * 240
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x:.1f}" x2="{x + 30:.1f}" y1="300" y2="300" stroke="{colour}" '
            f'stroke-width="3"{dashed}/><text x="{x + 36:.1f}" y="305" font-size="12" '
            f'fill="#212b32">{escape(name)}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="325" font-size="12" fill="#212b32" '
        'text-anchor="middle">Capacity (places)</text></svg>'
    )
    return "".join(parts)


CHEAPEST_COLUMNS = [
    "capacity",
    "capacity_cost_pence",
    "delay_cost_pence",
    "interim_cost_pence",
    "total_cost_pence",
    "total_cost_low_pence",
    "total_cost_high_pence",
    "delayed_bed_days_per_month",
    "interim_days_per_month",
    "grows_without_bound",
]


def cheapest_rows(doc: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            label(p),
            p["capacity_cost_pence"],
            p["delay_cost_pence"].get("value"),
            p["interim_cost_pence"].get("value"),
            p["total_cost_pence"].get("value"),
            p["total_cost_pence"].get("low"),
            p["total_cost_pence"].get("high"),
            p["delayed_bed_days_per_month"].get("value"),
            p["interim_days_per_month"].get("value"),
            "yes" if p["unbounded"] else "no",
        ]
        for p in doc["points"]
    ]
