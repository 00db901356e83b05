"""An XmR chart as an SVG string, in Making Data Count colours, for pages and reports.

The MDC grey (#a6a6a6) and blue (#00b0f0) fall below 3:1 contrast on white, so point types also
differ by shape and outline: common cause a small grey circle; improvement a larger blue circle
outlined in dark blue; concern an orange diamond outlined in dark orange; neutral a purple square.
The variation and assurance icons are simple labelled shapes (a circle with a letter and a title).
Output is deterministic: same chart, same bytes. The page puts the data table beside it.
"""

from __future__ import annotations

from html import escape

from placeplan.measures.domain.spc import PointType, SpcChart

GREY = "#a6a6a6"
BLUE = "#00b0f0"
ORANGE = "#e46c0a"
PURPLE = "#490092"
RED = "#de1b1b"
INK = "#1f1f1f"

_STYLE: dict[PointType, tuple[str, str, str, str]] = {
    # point type -> (shape, fill, outline, label)
    "common_cause": ("circle", GREY, "#595959", "common cause"),
    "special_cause_improvement": ("circle-large", BLUE, "#004c6d", "special cause: improvement"),
    "special_cause_concern": ("diamond", ORANGE, "#7a3805", "special cause: concern"),
    "special_cause_neutral": ("square", PURPLE, "#2a0055", "special cause: neutral"),
}
_VARIATION_ICON = {
    "common_cause": (GREY, "C", "Common cause variation"),
    "improvement": (BLUE, "I", "Special cause variation: improvement"),
    "concern": (ORANGE, "!", "Special cause variation: concern"),
    "neutral": (PURPLE, "N", "Special cause variation: neither better nor worse"),
}
_ASSURANCE_ICON = {
    "pass": (BLUE, "P", "Assurance: the process will consistently meet the target"),
    "fail": (ORANGE, "F", "Assurance: the process will consistently miss the target"),
    "inconsistent": (GREY, "?", "Assurance: the process will inconsistently meet the target"),
}


def _n(x: float) -> str:
    return f"{x:.2f}"


def _marker(kind: PointType, x: float, y: float, title: str) -> str:
    shape, fill, outline, _label = _STYLE[kind]
    tip = f"<title>{escape(title)}</title>"
    if shape == "circle":
        body = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5"'
    elif shape == "circle-large":
        body = f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5"'
    elif shape == "diamond":
        pts = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y)} {_n(x)},{_n(y + 6)} {_n(x - 6)},{_n(y)}"
        body = f'<polygon points="{pts}"'
    else:
        body = f'<rect x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9"'
    return (
        f'{body} fill="{fill}" stroke="{outline}" stroke-width="1.5" '
        f'data-type="{kind}">{tip}</{body.split()[0][1:]}>'
    )


def _icon(cx: float, colour: str, letter: str, label: str, kind: str) -> str:
    return (
        f'<g class="icon icon-{kind}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="{_n(cx)}" cy="22" r="14" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'
        f'<text x="{_n(cx)}" y="27" text-anchor="middle" font-size="14" font-weight="bold" '
        f'fill="{INK}">{escape(letter)}</text></g>'
    )


def _tick_label(value: float, unit: str) -> str:
    """An axis label people read at a glance: thousands with commas, never exponent notation."""
    shown = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return f"{shown}{unit}"


def render_svg(
    chart: SpcChart, title: str, *, width: int = 720, height: int = 360, unit: str = ""
) -> str:
    """The chart as a standalone SVG element with `role="img"` and an accessible name.

    One piece: every element is placed on the same scales and axis margin, worked out at the top,
    and written in drawing order."""
    points = chart.points
    values = [p.value for p in points]
    extent = values + [p.lower for p in points] + [p.upper for p in points]
    if chart.target is not None:
        extent.append(chart.target)
    lo, hi = min(extent), max(extent)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    ticks = [(v, _tick_label(v, unit)) for v in (lo + pad, (lo + hi) / 2, hi - pad)]
    # Wide enough for the longest axis label at 10px (about 5.6px a character), so none is cut.
    left = max(64.0, 12.0 + 5.6 * max(len(label) for _, label in ticks))
    right, top, bottom = 16.0, 48.0, 40.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(i: int) -> float:
        return left + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def sy(v: float) -> float:
        return top + plot_h * (hi - v) / (hi - lo)

    name = f"{title}: SPC chart of {len(points)} points, {chart.variation.replace('_', ' ')}"
    if chart.assurance != "none":
        name += f", assurance {chart.assurance}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="spc-title spc-desc" '
        f'class="spc-chart">',
        f'<title id="spc-title">{escape(name)}</title>',
        '<desc id="spc-desc">Mean and process limits per segment; points coloured and shaped '
        "by type; the data table beside the chart gives every value.</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_n(left)}" y="20" font-size="14" fill="{INK}">{escape(title)}</text>',
        f'<line x1="{_n(left)}" y1="{_n(top + plot_h)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(top + plot_h)}" stroke="{INK}"/>',
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(top + plot_h)}" '
        f'stroke="{INK}"/>',
    ]
    for v, label in ticks:
        out.append(
            f'<text x="{_n(left - 6)}" y="{_n(sy(v) + 4)}" text-anchor="end" font-size="10" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    # mean and limits, one set per segment
    segments: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        segments.setdefault(p.segment, []).append(i)
    for seg, idx in segments.items():
        first, last = points[idx[0]], idx[-1]
        x1, x2 = sx(idx[0]), sx(last)
        dash = ' stroke-dasharray="2 3"' if first.trial else ""
        for label, value, style in (
            ("mean", first.mean, f'stroke="{INK}" stroke-width="1.5"'),
            ("upper", first.upper, f'stroke="{GREY}" stroke-dasharray="6 4"'),
            ("lower", first.lower, f'stroke="{GREY}" stroke-dasharray="6 4"'),
        ):
            out.append(
                f'<line class="{label}" data-segment="{seg}" x1="{_n(x1)}" y1="{_n(sy(value))}" '
                f'x2="{_n(x2)}" y2="{_n(sy(value))}" {style}{dash if label == "mean" else ""}>'
                f"<title>{label} {value:.4g}{'' if not first.trial else ' (trial)'}</title></line>"
            )
    if chart.target is not None:
        ty = sy(chart.target)
        out.append(
            f'<line class="target" x1="{_n(left)}" y1="{_n(ty)}" x2="{_n(left + plot_w)}" '
            f'y2="{_n(ty)}" stroke="{RED}" stroke-width="1.5" stroke-dasharray="8 3">'
            f"<title>target {chart.target:.4g}</title></line>"
        )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{_n(sx(i))},{_n(sy(p.value))}" for i, p in enumerate(points)
    )
    out.append(f'<path d="{path}" fill="none" stroke="{GREY}" stroke-width="1"/>')
    for i, p in enumerate(points):
        label = f"{p.period}: {p.value:.4g}{unit}, {_STYLE[p.type][3]}"
        out.append(_marker(p.type, sx(i), sy(p.value), label))
    colour, letter, label = _VARIATION_ICON[chart.variation]
    if chart.variation_side != "none":
        label += f" ({chart.variation_side})"
    out.append(_icon(width - 70, colour, letter, label, "variation"))
    if chart.assurance != "none":
        colour, letter, label = _ASSURANCE_ICON[chart.assurance]
        out.append(_icon(width - 32, colour, letter, label, "assurance"))
    out.append("</svg>")
    return "\n".join(out)
