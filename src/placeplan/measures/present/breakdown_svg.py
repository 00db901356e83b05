"""A breakdown as a horizontal bar chart in SVG: one bar per group with its 95% interval drawn as
a line with end caps, and the all-persons figure as a dashed line. Withheld groups have no bar,
only the words. NHS blue bars (#005eb8, 7:1 on white) and near-black lines meet 3:1 contrast; the
page puts the same figures in a table beside the chart. Deterministic: same input, same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from placeplan.measures.domain.breakdowns import Figure
from placeplan.measures.domain.suppression import label_for

BAR = "#005eb8"
INK = "#212b32"
GREY = "#4c6272"


def _n(x: float) -> str:
    return f"{x:.2f}"


def render_bars(
    figures: Sequence[Figure],
    title: str,
    chart_id: str,
    *,
    total: Decimal | None = None,
    unit: str = "",
    width: int = 640,
) -> str:
    """`figures` as an SVG element named by its <title> (id `chart_id`-title)."""
    label_w, right, row_h, top = 190.0, 90.0, 34.0, 8.0
    plot_w = width - label_w - right
    height = int(top * 2 + row_h * max(len(figures), 1) + 18)
    shown = [f for f in figures if not f.withheld]
    extent = [float(f.value) for f in shown]
    extent += [f.interval.upper for f in shown if f.interval is not None]
    if total is not None:
        extent.append(float(total))
    hi = max(extent, default=1.0) or 1.0
    hi *= 1.05

    def sx(v: float) -> float:
        return label_w + plot_w * max(v, 0.0) / hi

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" class="pp-breakdown-chart">',
        f'<title id="{chart_id}-title">{escape(title)} (bar chart; the same figures are in '
        "the table)</title>",
        f'<line x1="{_n(label_w)}" y1="{_n(top)}" x2="{_n(label_w)}" '
        f'y2="{_n(top + row_h * len(figures))}" stroke="{INK}" stroke-width="1"/>',
    ]
    for i, f in enumerate(figures):
        y = top + i * row_h
        mid = y + row_h / 2
        out.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(mid + 5)}" text-anchor="end" font-size="14" '
            f'fill="{INK}">{escape(f.label[:26])}</text>'
        )
        if f.withheld:
            out.append(
                f'<text x="{_n(label_w + 8)}" y="{_n(mid + 5)}" font-size="13" '
                f'fill="{GREY}" font-style="italic">{label_for(f.small)}</text>'
            )
            continue
        end = sx(float(f.value))
        out.append(
            f'<rect x="{_n(label_w)}" y="{_n(y + 7)}" width="{_n(max(end - label_w, 1.0))}" '
            f'height="{_n(row_h - 14)}" fill="{BAR}"><title>{escape(f.label)}: '
            f"{f.value:,.1f}{escape(unit)}</title></rect>"
        )
        if f.interval is not None:
            lo, up = sx(f.interval.lower), sx(f.interval.upper)
            out.append(
                f'<g stroke="{INK}" stroke-width="1.5"><line x1="{_n(lo)}" y1="{_n(mid)}" '
                f'x2="{_n(up)}" y2="{_n(mid)}"/><line x1="{_n(lo)}" y1="{_n(mid - 6)}" '
                f'x2="{_n(lo)}" y2="{_n(mid + 6)}"/><line x1="{_n(up)}" y1="{_n(mid - 6)}" '
                f'x2="{_n(up)}" y2="{_n(mid + 6)}"/></g>'
            )
        tip = max(end, sx(f.interval.upper) if f.interval is not None else end)
        out.append(
            f'<text x="{_n(tip + 6)}" y="{_n(mid + 5)}" font-size="13" fill="{INK}">'
            f"{f.value:,.1f}</text>"
        )
    if total is not None:
        x = sx(float(total))
        bottom = top + row_h * len(figures)
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="{INK}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{_n(x)}" y="{_n(bottom + 15)}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">all people {float(total):,.1f}</text>'
        )
    out.append("</svg>")
    return "".join(out)
