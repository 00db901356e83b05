"""The bridge as a waterfall and the year-by-year position as lines, in SVG drawn on the
server. NHS blue (#005eb8) for gains, dark red (#8a1538) for costs, near-black (#212b32) for
subtotals and the axis: each 3:1 or more against white. Every chart has a <title> and the page
puts its figures in a table beside it. Deterministic: same input, same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from placeplan.finance.domain.compute import Step
from placeplan.finance.present.tables import shown

GAIN = "#005eb8"
COST = "#8a1538"
INK = "#212b32"
GREY = "#4c6272"


def _n(x: float) -> str:
    return f"{x:.1f}"


def _open(chart_id: str, title: str, width: int, height: int, what: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title" class="pp-finance-chart">',
        f'<title id="{chart_id}-title">{escape(title)} ({what}; the same figures are in the '
        "table)</title>",
    ]


def waterfall(steps: Sequence[Step], title: str, chart_id: str, width: int = 760) -> str:
    """Each step a bar from the running position to the next; subtotals from zero."""
    label_h, top, bottom_pad, left = 150.0, 16.0, 8.0, 70.0
    plot_h = 260.0
    height = int(top + plot_h + label_h + bottom_pad)
    running, spans = 0, []
    for step in steps:
        if step.subtotal:
            spans.append((0, step.amount))
            running = step.amount
        else:
            spans.append((running, running + step.amount))
            running += step.amount
    values = [v for span in spans for v in span] + [0]
    lo, hi = min(values), max(values)
    extent = (hi - lo) or 1

    def sy(v: int) -> float:
        return top + plot_h * (hi - v) / extent

    slot = (width - left - 10) / max(len(steps), 1)
    out = _open(chart_id, title, width, height, "waterfall chart")
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(sy(0))}" x2="{width - 10}" y2="{_n(sy(0))}" '
        f'stroke="{INK}" stroke-width="1"/>'
        f'<text x="{_n(left - 6)}" y="{_n(sy(0) + 4)}" font-size="12" text-anchor="end" '
        f'fill="{INK}">£0</text>'
    )
    for i, (step, (a, b)) in enumerate(zip(steps, spans, strict=True)):
        x = left + i * slot + slot * 0.15
        colour = INK if step.subtotal else GAIN if step.amount >= 0 else COST
        y, h = sy(max(a, b)), max(abs(sy(a) - sy(b)), 1.0)
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(slot * 0.7)}" height="{_n(h)}" '
            f'fill="{colour}"><title>{escape(step.label)}: £{shown(step.amount)}k</title></rect>'
        )
        cx, ly = x + slot * 0.35, top + plot_h + 10
        out.append(
            f'<text x="{_n(cx)}" y="{_n(ly)}" font-size="11" fill="{INK}" text-anchor="end" '
            f'transform="rotate(-60 {_n(cx)} {_n(ly)})">{escape(step.label[:34])}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def position_lines(
    series: Sequence[tuple[str, int, int]], title: str, chart_id: str, width: int = 640
) -> str:
    """The do-nothing and proposal total positions by year, with £0 marked."""
    left, right, top, plot_h = 80.0, 130.0, 16.0, 220.0
    height = int(top + plot_h + 40)
    values = [v for _, a, b in series for v in (a, b)] + [0]
    lo, hi = min(values), max(values)
    extent = (hi - lo) or 1
    step = (width - left - right) / max(len(series) - 1, 1)

    def sy(v: int) -> float:
        return top + plot_h * (hi - v) / extent

    out = _open(chart_id, title, width, height, "line chart")
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(sy(0))}" x2="{_n(width - right)}" y2="{_n(sy(0))}" '
        f'stroke="{GREY}" stroke-width="1" stroke-dasharray="4 3"/>'
        f'<text x="{_n(left - 6)}" y="{_n(sy(0) + 4)}" font-size="12" text-anchor="end" '
        f'fill="{INK}">£0</text>'
    )
    for i, (year, _, _) in enumerate(series):
        out.append(
            f'<text x="{_n(left + i * step)}" y="{_n(top + plot_h + 24)}" font-size="12" '
            f'text-anchor="middle" fill="{INK}">{escape(year)}</text>'
        )
    for index, (name, colour, dash) in enumerate(
        (("Do nothing", COST, "6 4"), ("Proposal", GAIN, ""))
    ):
        figures = [row[2] if index else row[1] for row in series]
        points = [(left + i * step, sy(v)) for i, v in enumerate(figures)]
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"{dashed}/>'
        )
        for (x, y), row, v in zip(points, series, figures, strict=True):
            out.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"><title>{escape(name)}, '
                f"{escape(row[0])}: £{shown(v)}k</title></circle>"
            )
        if points:
            x, y = points[-1]
            out.append(
                f'<text x="{_n(x + 10)}" y="{_n(y + 4)}" font-size="13" fill="{colour}">'
                f"{escape(name)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def tornado(
    rows: Sequence[tuple[str, int, int]], centre: int, title: str, chart_id: str, width: int = 700
) -> str:
    """One bar per assumption from its final position at the low end of its range to the high
    end, widest first, about the model's own final position (`centre`)."""
    label_w, right, row_h, top = 210.0, 20.0, 30.0, 10.0
    height = int(top * 2 + row_h * max(len(rows), 1) + 20)
    values = [v for _, a, b in rows for v in (a, b)] + [centre]
    lo, hi = min(values), max(values)
    extent = (hi - lo) or 1
    plot_w = width - label_w - right

    def sx(v: int) -> float:
        return label_w + plot_w * (v - lo) / extent

    out = _open(chart_id, title, width, height, "tornado chart")
    for i, (name, at_low, at_high) in enumerate(rows):
        y = top + i * row_h
        a, b = sorted((sx(at_low), sx(at_high)))
        out.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(y + row_h / 2 + 5)}" text-anchor="end" '
            f'font-size="13" fill="{INK}">{escape(name[:30])}</text>'
            f'<rect x="{_n(a)}" y="{_n(y + 6)}" width="{_n(max(b - a, 1.0))}" '
            f'height="{_n(row_h - 12)}" fill="{GAIN}"><title>{escape(name)}: £{shown(at_low)}k '
            f"to £{shown(at_high)}k</title></rect>"
        )
    x = sx(centre)
    bottom = top + row_h * len(rows)
    out.append(
        f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="{INK}" '
        f'stroke-width="2" stroke-dasharray="5 3"/><text x="{_n(x)}" y="{_n(bottom + 15)}" '
        f'font-size="12" text-anchor="middle" fill="{INK}">as modelled £{shown(centre)}k</text>'
    )
    out.append("</svg>")
    return "".join(out)
