"""A fan chart as an SVG string: a measure by month across replications, for the run page.

The median is a thick dark line with a marker per month; the middle 50% of replications is a
mid-blue band edged with solid blue lines, the middle 95% a pale band edged with dotted dark grey
lines; capacity, when given, is a dashed red step line. Every element that carries meaning is
told apart by line style and named in the legend, not by colour alone, and every line and edge is
at least 3:1 against white (NHS blue #005eb8 6.3:1, dark grey #425563 7.6:1, red #d5281b 5.0:1,
ink #212b32 14.7:1); the band fills are decoration under their edges. Output is deterministic:
same data, same bytes. The page puts the data table (every value) beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from placeplan.capacity.present.months import month_parts, month_words

INK = "#212b32"
BLUE = "#005eb8"
GREY = "#425563"
RED = "#d5281b"
BAND_50 = "#9ec5ea"
BAND_95 = "#e3eef9"
RULE = "#d8dde0"


def _n(x: float) -> str:
    return f"{x:.1f}"


def _num(v: Any) -> float | None:
    if isinstance(v, (int, float)) and math.isfinite(float(v)):
        return float(v)
    return None


def _nice_top(hi: float) -> float:
    """A round axis maximum at or above hi."""
    if hi <= 0:
        return 1.0
    mag = 10.0 ** math.floor(math.log10(hi))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * mag >= hi:
            return step * mag
    return 10.0 * mag


def fan_svg(
    rows: Sequence[Mapping[str, Any]],
    title: str,
    *,
    ident: str,
    measure: str,
    capacity: Sequence[float] | None = None,
    width: int = 760,
    height: int = 336,
) -> str:
    """The fan chart of `rows` ({month, p2_5, p25, p50, p75, p97_5} per month) as an SVG element.

    `ident` makes the element ids unique on a page with several charts; `measure` names the
    quantity in the accessible description (e.g. "places occupied").

    One piece (about 160 lines): one SVG drawn top to bottom (axes, bands, lines, legend, the
    accessible title and description), every part from the same scales."""
    left, right, top, bottom = 56.0, 16.0, 56.0, 56.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(rows), 1)
    values = [_num(r.get(k)) for r in rows for k in ("p2_5", "p25", "p50", "p75", "p97_5")]
    extent = [v for v in values if v is not None]
    extent += [float(c) for c in (capacity or []) if _num(c) is not None]
    hi = _nice_top(max(extent + [0.0]) * 1.05)

    def sx(i: float) -> float:
        return left + plot_w * (i + 0.5) / n

    def sy(v: float) -> float:
        return top + plot_h * (1.0 - v / hi)

    t_id, d_id = f"{ident}-title", f"{ident}-desc"
    medians = [_num(r.get("p50")) for r in rows]
    known = [(r["month"], m) for r, m in zip(rows, medians, strict=True) if m is not None]
    summary = (
        f"median from {known[0][1]:.1f} in {month_words(str(known[0][0]))} to "
        f"{known[-1][1]:.1f} in {month_words(str(known[-1][0]))}"
        if known
        else "no values"
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{t_id}" '
        f'aria-describedby="{d_id}" '
        f'class="pp-fan-chart">',
        f'<title id="{t_id}">{escape(title)}</title>',
        f'<desc id="{d_id}">Fan chart of {escape(measure)} by month across replications: '
        f"{escape(summary)}. The dark line is the median, the darker band the middle 50% of "
        "replications, the pale band the middle 95%"
        + ("; the dashed line is capacity" if capacity else "")
        + ". The table beside the chart gives every value.</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for k in range(5):
        v = hi * k / 4
        y = sy(v)
        out.append(
            f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{RULE}"/>'
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(f"{v:,.4g}")}</text>'
        )
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(top + plot_h)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(top + plot_h)}" stroke="{INK}"/>'
    )
    for i, r in enumerate(rows):
        # the month's name over its year: "Apr 2025" side by side would not fit 12 months
        name, year = month_parts(str(r["month"]))
        out.append(
            f'<text x="{_n(sx(i))}" y="{_n(top + plot_h + 18)}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{escape(name)}'
            f'<tspan x="{_n(sx(i))}" dy="15">{escape(year)}</tspan></text>'
        )

    def band(lo_key: str, hi_key: str) -> list[tuple[float, float, float]]:
        pts = []
        for i, r in enumerate(rows):
            lo, up = _num(r.get(lo_key)), _num(r.get(hi_key))
            if lo is not None and up is not None:
                pts.append((sx(i), sy(lo), sy(up)))
        return pts

    def edge(points: list[tuple[float, float]]) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)

    for lo_key, hi_key, fill, stroke, dash, name in (
        ("p2_5", "p97_5", BAND_95, GREY, ' stroke-dasharray="2 3"', "middle 95%"),
        ("p25", "p75", BAND_50, BLUE, "", "middle 50%"),
    ):
        pts = band(lo_key, hi_key)
        if not pts:
            continue
        poly = [(x, yu) for x, _, yu in pts] + [(x, yl) for x, yl, _ in reversed(pts)]
        out.append(
            f'<polygon class="band-{hi_key}" points="{edge(poly)}" fill="{fill}" stroke="none">'
            f"<title>{escape(name)} of replications</title></polygon>"
        )
        for side in (1, 2):
            line = [(p[0], p[side]) for p in pts]
            out.append(
                f'<polyline points="{edge(line)}" fill="none" stroke="{stroke}" '
                f'stroke-width="1.5"{dash}/>'
            )
    if capacity:
        steps: list[tuple[float, float]] = []
        for i, c in enumerate(capacity[: len(rows)]):
            cv = _num(c)
            if cv is None:
                continue
            x0, x1 = left + plot_w * i / n, left + plot_w * (i + 1) / n
            steps += [(x0, sy(cv)), (x1, sy(cv))]
        out.append(
            f'<polyline class="capacity" points="{edge(steps)}" fill="none" stroke="{RED}" '
            f'stroke-width="2" stroke-dasharray="8 4"><title>capacity</title></polyline>'
        )
    line = [(sx(i), sy(m)) for i, m in enumerate(medians) if m is not None]
    if line:
        out.append(
            f'<polyline class="median" points="{edge(line)}" fill="none" stroke="{INK}" '
            f'stroke-width="3"/>'
        )
    for i, m in enumerate(medians):
        if m is None:
            continue
        r = rows[i]
        tip = f"{month_words(str(r['month']))}: median {m:.1f}"
        lo, up = _num(r.get("p2_5")), _num(r.get("p97_5"))
        if lo is not None and up is not None:
            tip += f", 95% of replications {lo:.1f} to {up:.1f}"
        out.append(
            f'<circle cx="{_n(sx(i))}" cy="{_n(sy(m))}" r="3.5" fill="{INK}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    # legend: each entry drawn in its own style and named
    x = left
    legend = [
        ("median", f'<line x1="0" y1="0" x2="22" y2="0" stroke="{INK}" stroke-width="3"/>'),
        (
            "middle 50%",
            f'<rect x="0" y="-6" width="22" height="12" fill="{BAND_50}" stroke="{BLUE}" '
            f'stroke-width="1.5"/>',
        ),
        (
            "middle 95%",
            f'<rect x="0" y="-6" width="22" height="12" fill="{BAND_95}" stroke="{GREY}" '
            f'stroke-width="1.5" stroke-dasharray="2 3"/>',
        ),
    ]
    if capacity:
        legend.append(
            (
                "capacity",
                f'<line x1="0" y1="0" x2="22" y2="0" stroke="{RED}" stroke-width="2" '
                f'stroke-dasharray="8 4"/>',
            )
        )
    out.append(f'<text x="{_n(left)}" y="18" font-size="14" fill="{INK}">{escape(title)}</text>')
    for label, mark in legend:
        out.append(
            f'<g transform="translate({_n(x)},38)" aria-hidden="true">{mark}'
            f'<text x="28" y="4" font-size="12" fill="{INK}">{escape(label)}</text></g>'
        )
        x += 40 + 7 * len(label)
    out.append("</svg>")
    return "\n".join(out)
