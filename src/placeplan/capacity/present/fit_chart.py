"""The fitted lengths of stay drawn against the observed ones: the empirical CDF (the share of
stays of at most so many days) and each fit's, as an SVG with a title, a description, a legend
and line styles as well as colours; the table beside it (and its CSV) holds the same three
figures at evenly spaced days."""

from __future__ import annotations

import math
from html import escape

import numpy as np

from placeplan.capacity.domain.fitting import KINDS, NAMES, Fitted, FloatArray, empirical_cdf

TABLE_COLUMNS = ["Days", "Observed share", "Lognormal fit", "Gamma fit"]
CSV_COLUMNS = ["days", "observed_share_at_most", "lognormal_cdf", "gamma_cdf"]
STYLE = {"observed": ("#212b32", ""), "lognormal": ("#005eb8", "8 4"), "gamma": ("#d5281b", "2 3")}
_STEPS = (1, 2, 5)


def _step(top: float, rows: int = 16) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `rows` points up to `top`."""
    raw = max(top, 1e-9) / rows
    power = 10 ** math.floor(math.log10(raw))
    for m in _STEPS:
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


def table_days(days: FloatArray) -> FloatArray:
    top = float(days[-1])
    step = _step(top)
    return np.arange(0.0, math.ceil(top / step) * step + step / 2, step)


def cdf_rows(days: FloatArray, fitted: Fitted) -> list[list[float]]:
    """[days, observed share, lognormal, gamma] at evenly spaced days (the table, the CSV)."""
    xs = table_days(days)
    observed = empirical_cdf(days, xs)
    fits = [fitted.fits[k].cdf(xs) for k in KINDS]
    return [[float(x), float(observed[i]), *(float(f[i]) for f in fits)] for i, x in enumerate(xs)]


def table_rows(days: FloatArray, fitted: Fitted) -> list[list[str]]:
    return [[f"{r[0]:g}", *(f"{v:.1%}" for v in r[1:])] for r in cdf_rows(days, fitted)]


def csv_rows(days: FloatArray, fitted: Fitted) -> list[list[str]]:
    return [[f"{r[0]:g}", *(f"{v:.6f}" for v in r[1:])] for r in cdf_rows(days, fitted)]


def cdf_svg(days: FloatArray, fitted: Fitted, chart_id: str = "fit") -> str:
    xs_table = table_days(days)
    top_x = float(xs_table[-1]) or 1.0
    xs = np.linspace(0.0, top_x, 241)
    left, right, top_y, base = 60.0, 560.0, 20.0, 250.0

    def x(v: float) -> float:
        return left + (right - left) * v / top_x

    def y(p: float) -> float:
        return base - (base - top_y) * p

    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        'viewBox="0 0 800 300" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">Observed and fitted lengths of stay</title>',
        f'<desc id="{chart_id}-desc">The share of stays of at most so many days: the '
        f"{fitted.observations} observed stays as a solid black step, the lognormal fit dashed "
        "blue, the gamma fit dotted red. The figures are in the table.</desc>",
    ]
    for k in range(5):
        p = k / 4
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(p):.1f}" y2="{y(p):.1f}" stroke="#d8dde0"/>'
            f'<text x="{left - 6}" y="{y(p) + 4:.1f}" font-size="12" fill="#212b32" '
            f'text-anchor="end">{p:.0%}</text>'
        )
    labelled = xs_table[:: max(1, len(xs_table) // 8)]
    for v in labelled:
        parts.append(
            f'<text x="{x(float(v)):.1f}" y="{base + 18}" font-size="12" fill="#212b32" '
            f'text-anchor="middle">{float(v):g}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2}" y="{base + 38}" font-size="12" fill="#212b32" '
        'text-anchor="middle">Length of stay (days)</text>'
    )
    observed = empirical_cdf(days, xs)
    step_points = [f"{x(0.0):.1f},{y(0.0):.1f}"]
    for i in range(1, len(xs)):
        step_points.append(f"{x(float(xs[i])):.1f},{y(float(observed[i - 1])):.1f}")
        step_points.append(f"{x(float(xs[i])):.1f},{y(float(observed[i])):.1f}")
    lines = {"observed": " ".join(step_points)}
    for kind in KINDS:
        curve = fitted.fits[kind].cdf(xs)
        lines[kind] = " ".join(
            f"{x(float(a)):.1f},{y(float(b)):.1f}" for a, b in zip(xs, curve, strict=True)
        )
    legend = {
        "observed": "Observed stays",
        **{k: f"{NAMES[k]} fit" for k in KINDS},
    }
    for i, (key, points) in enumerate(lines.items()):
        colour, dash = STYLE[key]
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
        ly = top_y + 18 * i
        parts.append(
            f'<line x1="580" x2="610" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="616" y="{ly + 4:.1f}" font-size="12" fill="#212b32">'
            f"{escape(legend[key])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
