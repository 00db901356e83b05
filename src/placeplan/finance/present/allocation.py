"""A need-weighted allocation as the page shows it: each area's need, shares and distance from
target, its glide path by year, and a bar chart of today's share, the share at the end of the
path and the target share. Pounds; shares as per cent to one place."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from placeplan.core.money import format_pence
from placeplan.finance.domain.allocation_form import component_count
from placeplan.finance.domain.model import year_label
from placeplan.finance.present.charts import GAIN, GREY, INK
from placeplan.finance.service import Allocated, IndexPreview

NOW = "#768692"


def _money(pence: int) -> str:
    return format_pence(pence, whole_pounds=pence % 100 == 0)


def _pct(share: Decimal) -> str:
    return f"{share * 100:.1f}%"


def area_rows(seen: Allocated) -> list[tuple[str, ...]]:
    return [
        (
            r.name,
            f"{r.need:.3f}",
            _pct(r.current_share),
            _pct(r.target_share),
            _money(r.target),
            f"{r.distance:+.1f}%",
        )
        for r in seen.areas
    ]


AREA_COLUMNS = (
    "Area", "Need index", "Share today", "Target share", "Target (first year)",
    "Distance from target",
)  # fmt: skip


def path_columns(seen: Allocated) -> tuple[str, ...]:
    years = len(seen.allocation.totals)
    first = seen.allocation.first_year
    return ("Area", *(year_label(first + i) for i in range(years)))


def path_rows(seen: Allocated) -> list[tuple[str, ...]]:
    return [(r.name, *(_money(p) for p in r.path)) for r in seen.areas]


def shares_svg(seen: Allocated, width: int = 700) -> str:
    """Three bars an area: today's share, the share in the path's last year, the target."""
    label_w, right, group_h, top = 150.0, 60.0, 66.0, 10.0
    height = int(top * 2 + group_h * len(seen.areas) + 30)
    total_last = sum(r.path[-1] for r in seen.areas) or 1
    bars = [
        (
            r.name,
            (
                ("Today", r.current_share, NOW),
                ("Last year of the path", Decimal(r.path[-1]) / total_last, GREY),
                ("Target", r.target_share, GAIN),
            ),
        )
        for r in seen.areas
    ]
    hi = max((float(v) for _, group in bars for _, v, _ in group), default=1.0) or 1.0
    plot_w = width - label_w - right
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        'role="img" aria-labelledby="shares-chart-title" class="pp-finance-chart">',
        '<title id="shares-chart-title">Each area\'s share today, at the end of the path and '
        "its target (bar chart; the same figures are in the table)</title>",
    ]
    for i, (name, group) in enumerate(bars):
        y = top + i * group_h
        out.append(
            f'<text x="{label_w - 8:.1f}" y="{y + group_h / 2:.1f}" text-anchor="end" '
            f'font-size="13" fill="{INK}">{escape(name)}</text>'
        )
        for j, (what, value, colour) in enumerate(group):
            bar_y = y + 4 + j * 19
            bar_w = max(plot_w * float(value) / hi, 1.0)
            out.append(
                f'<rect x="{label_w:.1f}" y="{bar_y:.1f}" width="{bar_w:.1f}" height="15" '
                f'fill="{colour}"><title>{escape(name)}, {what}: {_pct(value)}</title></rect>'
                f'<text x="{label_w + bar_w + 4:.1f}" y="{bar_y + 12:.1f}" font-size="11" '
                f'fill="{INK}">{what} {_pct(value)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


INDEX_COLUMNS = (
    "Area", "Need index now", "Need index with the upload", "Target share now",
    "Target share with the upload",
)  # fmt: skip


def index_rows(preview: IndexPreview) -> list[tuple[str, ...]]:
    """Each area's need and target share before and after an uploaded need index."""
    after = {r.name: r for r in preview.after}
    return [
        (
            r.name,
            f"{r.need:.3f}",
            f"{after[r.name].need:.3f}",
            _pct(r.target_share),
            _pct(after[r.name].target_share),
        )
        for r in preview.before
    ]


def component_numbers(values: dict[str, str]) -> list[int]:
    """The component groups the form shows: every one it holds (a stored allocation's form
    holds one more, left empty, for a new component), at least one."""
    return list(range(1, max(component_count(values), 1) + 1))
