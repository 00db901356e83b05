"""An XmR chart as an SVG string, drawn as Making Data Count draws it, for pages and reports.

Periods on the time axis (thinned to fit); the mean (black), process limits (grey, dashed) and
target (red, dashed), each labelled at the right with its value; points grey for common cause, blue
for improvement, orange for concern, purple for neither; the MDC variation and assurance icons at
the top right (`spc_icons`). A recalculation is a break in the lines with a labelled marker; a fixed
baseline is shaded and labelled; annotations are numbered markers (the page lists them); an
ambition's trajectory is a dashed line from the last point to the target at its period; at the bottom right,
whether moving ranges were screened (and why there are no limits, when there are none). Every
number uses one precision (`spc_scale.decimals`). The MDC grey and blue fall below 3:1 on white,
so point types also differ by shape and outline. Output is deterministic: same chart, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from placeplan.measures.domain.spc import PointType, SpcChart
from placeplan.measures.domain.spc_scale import (
    chart_decimals,
    period_label,
    shown,
    span,
    steps_ahead,
    thinned,
    ticks,
)
from placeplan.measures.present.spc_icons import assurance_icon, variation_icon

GREY = "#a6a6a6"
BLUE = "#00b0f0"
ORANGE = "#e46c0a"
PURPLE = "#490092"
RED = "#de1b1b"
INK = "#1f1f1f"
MUTED = "#4c6272"

_STYLE: dict[PointType, tuple[str, str, str, str]] = {
    # point type -> (shape, fill, outline, label)
    "common_cause": ("circle", GREY, "#595959", "common cause"),
    "special_cause_improvement": ("circle-large", BLUE, "#004c6d", "special cause: improvement"),
    "special_cause_concern": ("diamond", ORANGE, "#7a3805", "special cause: concern"),
    "special_cause_neutral": ("square", PURPLE, "#2a0055", "special cause: neither"),
}
POINT_TEXT = {kind: style[3] for kind, style in _STYLE.items()}


@dataclass(frozen=True)
class Marks:
    """What the person recorded about a chart: recalculations (the period each starts, with its
    reason), annotations (period and text) and the ambition's trajectory (period and target)."""

    rebases: Mapping[str, str] = field(default_factory=dict)
    annotations: Sequence[tuple[str, str]] = ()
    trajectory: tuple[str, float] | None = None


def _n(x: float) -> str:
    return f"{x:.2f}"


def extent(chart: SpcChart, marks: Marks) -> tuple[float, float]:
    """The lowest and highest value the chart plots: points, limits, target and trajectory."""
    lo, hi = span(chart)
    if marks.trajectory is not None:
        return min(lo, marks.trajectory[1]), max(hi, marks.trajectory[1])
    return lo, hi


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


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 10,
          colour: str = INK, cls: str = "") -> str:  # fmt: skip
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text{klass} x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{colour}">{escape(text)}</text>'
    )


@dataclass(frozen=True)
class _Frame:
    left: float
    top: float
    plot_w: float
    plot_h: float
    lo: float
    hi: float
    slots: float  # x positions: the points, and the trajectory's future periods

    def x(self, i: float) -> float:
        return self.left + (self.plot_w * i / self.slots if self.slots else self.plot_w / 2)

    def y(self, v: float) -> float:
        return self.top + self.plot_h * (self.hi - v) / (self.hi - self.lo)


def _frame(chart: SpcChart, marks: Marks, width: int, height: int, unit: str, key: str
           ) -> tuple[_Frame, int, list[float], float | None]:  # fmt: skip
    places = chart_decimals(chart, key)
    lo, hi = extent(chart, marks)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    marks_at = ticks(lo, hi)
    longest = max(len(shown(v, places) + unit) for v in marks_at) if marks_at else 4
    left = max(56.0, 14.0 + 5.6 * longest)
    periods = [p.period for p in chart.points]
    ahead = steps_ahead(periods[-1], marks.trajectory[0], periods) if marks.trajectory else None
    slots = max(len(periods) - 1 + (ahead or 0), 0)
    frame = _Frame(left, 64.0, width - left - 150.0, height - 64.0 - 58.0, lo, hi, slots)
    return frame, places, marks_at, ahead


def render_svg(
    chart: SpcChart,
    title: str,
    *,
    width: int = 760,
    height: int = 400,
    unit: str = "",
    unit_key: str = "",
    marks: Marks | None = None,
) -> str:
    """The chart as a standalone SVG element with `role="img"` and an accessible name.

    `unit` is the suffix printed after numbers (" days"); `unit_key` the metric's unit, which sets
    the precision with the chart's span."""
    marks = marks or Marks()
    f, places, marks_at, ahead = _frame(chart, marks, width, height, unit, unit_key)
    points = chart.points

    def num(v: float) -> str:
        return f"{shown(v, places)}{unit}"

    name = f"{title}: SPC chart of {len(points)} points from {period_label(points[0].period)} "
    name += f"to {period_label(points[-1].period)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="spc-title spc-desc" '
        f'class="spc-chart" style="max-width:100%;height:auto">',
        f'<title id="spc-title">{escape(name)}</title>',
        '<desc id="spc-desc">Mean, process limits and target labelled at the right; points '
        "coloured and shaped by type; recalculations, baseline and annotations marked; the "
        "table below the chart gives every value.</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(f.left, 20, title, size=14),
    ]
    out += _axes(chart, f, marks_at, num, height)
    out += _baseline(chart, f)
    labels: list[Label] = []
    out += _segments(chart, f, marks, num, labels)
    out += _target_and_trajectory(chart, f, marks, ahead, num, labels)
    out += _right_labels(f, labels)
    path = " ".join(
        f"{'M' if i == 0 or p.segment != points[i - 1].segment else 'L'}"
        f"{_n(f.x(i))},{_n(f.y(p.value))}"
        for i, p in enumerate(points)
    )
    out.append(f'<path d="{path}" fill="none" stroke="{GREY}" stroke-width="1.2"/>')
    for i, p in enumerate(points):
        label = f"{period_label(p.period)}: {num(p.value)}, {POINT_TEXT[p.type]}"
        out.append(_marker(p.type, f.x(i), f.y(p.value), label))
    out += _annotations(chart, f, marks)
    out.append(variation_icon(chart.variation, chart.variation_side, x=width - 96, y=6))
    out.append(assurance_icon(chart.assurance, x=width - 50, y=6))
    out.append("</svg>")
    return "\n".join(o for o in out if o)


def _axes(chart: SpcChart, f: _Frame, marks_at: list[float], num: Callable[[float], str], height: int
          ) -> list[str]:  # fmt: skip
    bottom = f.top + f.plot_h
    out = [
        f'<line x1="{_n(f.left)}" y1="{_n(bottom)}" x2="{_n(f.left + f.plot_w)}" '
        f'y2="{_n(bottom)}" stroke="{INK}"/>',
        f'<line x1="{_n(f.left)}" y1="{_n(f.top)}" x2="{_n(f.left)}" y2="{_n(bottom)}" '
        f'stroke="{INK}"/>',
    ]
    for v in marks_at:
        out.append(
            f'<line x1="{_n(f.left - 4)}" y1="{_n(f.y(v))}" x2="{_n(f.left)}" '
            f'y2="{_n(f.y(v))}" stroke="{INK}"/>'
        )
        out.append(_text(f.left - 6, f.y(v) + 4, num(v), anchor="end", cls="y-tick"))
    labels = [period_label(p.period) for p in chart.points]
    width = 6.0 * max(len(text) for text in labels) + 10
    room = f.x(len(labels) - 1) - f.left
    for i in thinned(len(labels), width, room):
        x = f.x(i)
        out.append(f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 4)}" '
                   f'stroke="{INK}"/>')  # fmt: skip
        out.append(_text(x, bottom + 16, labels[i], anchor="middle", cls="x-tick"))
    out.append(_text(f.left + f.plot_w / 2, height - 8, "Period", anchor="middle", colour=MUTED))
    out.append(_text(f.left + f.plot_w + 144, height - 8, method_note(chart), anchor="end",
                     colour=MUTED, cls="method"))  # fmt: skip
    return out


def method_note(chart: SpcChart) -> str:
    """What the chart cannot show by itself, on the chart so that it travels with it (board
    packs, PDFs): whether moving ranges were screened, and why there are no limits if none."""
    note = "Moving ranges screened" if chart.screened else "Moving ranges not screened"
    if chart.points[-1].upper is None:
        note += "; no limits: no variation"
    return note


def _baseline(chart: SpcChart, f: _Frame) -> list[str]:
    n = chart.fixed_after
    if not n:
        return []
    out = []
    starts = [
        i for i, p in enumerate(chart.points) if i == 0 or p.segment != chart.points[i - 1].segment
    ]
    for start in starts:
        end = min(start + n - 1, len(chart.points) - 1)
        x1, x2 = f.x(start), f.x(end)
        out.append(
            f'<rect class="baseline" x="{_n(x1)}" y="{_n(f.top)}" width="{_n(max(x2 - x1, 1))}" '
            f'height="{_n(f.plot_h)}" fill="#f0f4f5"/>'
        )
        out.append(_text(x1 + 3, f.top + 11, f"Baseline: first {n} points", colour=MUTED))
    return out


Label = tuple[float, str, str, str]  # y, text, colour, class: a line's label at the right


def _right_labels(f: _Frame, labels: list[Label]) -> list[str]:
    """The lines' labels at the right, moved apart where they would overlap (12px a line)."""
    placed: list[Label] = []
    for y, text, colour, cls in sorted(labels):
        if placed and y < placed[-1][0] + 12:
            y = placed[-1][0] + 12
        placed.append((y, text, colour, cls))
    return [_text(f.left + f.plot_w + 6, y, t, colour=c, cls=k) for y, t, c, k in placed]


def _segments(
    chart: SpcChart, f: _Frame, marks: Marks, num: Callable[[float], str], labels: list[Label]
) -> list[str]:
    """Mean and limits for each segment, labelled at the right for the latest; a recalculation's
    break with its label."""
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(chart.points):
        groups.setdefault(p.segment, []).append(i)
    out = []
    last_seg = max(groups)
    for seg, idx in groups.items():
        first = chart.points[idx[0]]
        x1, x2 = f.x(idx[0]), f.x(idx[-1])
        trial = " (trial limits: fewer than 13 points)" if first.trial else ""
        for cls, label, value, style in (
            ("mean", "Mean", first.mean, 'stroke="#000000" stroke-width="1.5"'),
            ("upper", "Upper process limit", first.upper, f'stroke="{GREY}" stroke-dasharray="6 4"'),
            ("lower", "Lower process limit", first.lower, f'stroke="{GREY}" stroke-dasharray="6 4"'),
        ):  # fmt: skip
            if value is None:  # a segment with no spread has no limits to draw
                continue
            dash = ' stroke-dasharray="2 3"' if first.trial and cls == "mean" else ""
            out.append(
                f'<line class="{cls}" data-segment="{seg}" x1="{_n(x1)}" y1="{_n(f.y(value))}" '
                f'x2="{_n(x2)}" y2="{_n(f.y(value))}" {style}{dash}>'
                f"<title>{label} {num(value)}{trial}</title></line>"
            )
            if seg == last_seg:
                short = {"mean": "Mean", "upper": "Upper limit", "lower": "Lower limit"}[cls]
                dy = {"mean": 4, "upper": -2, "lower": 10}[cls]
                labels.append((f.y(value) + dy, f"{short} {num(value)}", INK, f"label-{cls}"))
        if seg > 0:
            x = (f.x(idx[0] - 1) + x1) / 2
            reason = marks.rebases.get(first.period, "")
            label = f"Recalculated from {period_label(first.period)}"
            out.append(
                f'<line class="rebase" x1="{_n(x)}" y1="{_n(f.top - 6)}" x2="{_n(x)}" '
                f'y2="{_n(f.top + f.plot_h)}" stroke="{INK}" stroke-width="1.5" '
                f'stroke-dasharray="1 3"><title>{escape(label)}'
                f"{': ' + escape(reason) if reason else ''}</title></line>"
            )
            out.append(_text(x + 3, f.top - 8, label, colour=INK, cls="rebase-label"))
    return out


def _target_and_trajectory(chart: SpcChart, f: _Frame, marks: Marks, ahead: float | None,
                           num: Callable[[float], str], labels: list[Label]) -> list[str]:  # fmt: skip
    out = []
    last = len(chart.points) - 1
    if chart.target is not None:
        ty = f.y(chart.target)
        out.append(
            f'<line class="target" x1="{_n(f.left)}" y1="{_n(ty)}" x2="{_n(f.x(last))}" '
            f'y2="{_n(ty)}" stroke="{RED}" stroke-width="1.5" stroke-dasharray="8 3">'
            f"<title>Target {num(chart.target)}</title></line>"
        )
        labels.append((ty + 4, f"Target {num(chart.target)}", "#b31515", "label-target"))
    if marks.trajectory is not None and ahead:
        period, target = marks.trajectory
        end = f.x(last + ahead)
        label = f"Ambition {num(target)} by {period_label(period)}"
        out.append(
            f'<line class="trajectory" x1="{_n(f.x(last))}" y1="{_n(f.y(chart.points[-1].value))}" '
            f'x2="{_n(end)}" y2="{_n(f.y(target))}" stroke="{PURPLE}" stroke-width="1.5" '
            f'stroke-dasharray="5 3"><title>{escape(label)}</title></line>'
        )
        out.append(f'<circle cx="{_n(end)}" cy="{_n(f.y(target))}" r="3" fill="{PURPLE}"/>')
        out.append(_text(end, f.y(target) - 8, label, anchor="end", colour=PURPLE,
                         cls="label-trajectory"))  # fmt: skip
    return out


def _annotations(chart: SpcChart, f: _Frame, marks: Marks) -> list[str]:
    where = {p.period: i for i, p in enumerate(chart.points)}
    out = []
    for n, (period, text) in enumerate(marks.annotations, start=1):
        if period not in where:
            continue
        x = f.x(where[period])
        label = f"{n}. {period_label(period)}: {text}"
        out.append(
            f'<g class="annotation"><title>{escape(label)}</title>'
            f'<line x1="{_n(x)}" y1="{_n(f.top)}" x2="{_n(x)}" y2="{_n(f.top + f.plot_h)}" '
            f'stroke="{MUTED}" stroke-dasharray="2 2"/>'
            f'<circle cx="{_n(x)}" cy="{_n(f.top + f.plot_h - 10)}" r="7" fill="#ffffff" '
            f'stroke="{MUTED}"/>'
            + _text(x, f.top + f.plot_h - 6.5, str(n), anchor="middle", colour=INK)
            + "</g>"
        )
    return out
