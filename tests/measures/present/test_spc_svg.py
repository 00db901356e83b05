"""The SPC chart: accessible, deterministic and drawn as Making Data Count draws it: periods on the
time axis, labelled mean, limits and target, recalculations, baseline, annotations, the ambition's
trajectory and the MDC icons; every number at one precision."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from placeplan.measures.domain.spc import xmr
from placeplan.measures.present.spc_svg import BLUE, GREY, ORANGE, PURPLE, RED, Marks, render_svg

NS = "{http://www.w3.org/2000/svg}"


def _texts(svg: str, cls: str) -> list[str]:
    root = ET.fromstring(svg)
    return [e.text or "" for e in root.iter(f"{NS}text") if e.get("class") == cls]


def _months(values: list[float], first_year: int = 2024) -> list[tuple[str, float]]:
    return [(f"{first_year + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


def test_large_values_read_with_commas_and_the_plot_moves_right_to_fit_them() -> None:
    chart = xmr(_months([12_000.0 + 50 * (m % 3) for m in range(12)]), "lower")
    svg = render_svg(chart, "Big numbers", unit=" per 100,000", unit_key="rate_per_100k")
    labels = _texts(svg, "y-tick")
    assert labels and all("e+" not in text for text in labels)
    # span about 11,900 to 12,200 (limits): a step of 50 or 100, shown at the unit's 1 decimal
    assert all(re.fullmatch(r"1\d,\d{3}\.0 per 100,000", text) for text in labels), labels
    xs = [float(e.get("x") or 0) for e in ET.fromstring(svg).iter(f"{NS}text")
          if e.get("class") == "y-tick"]  # fmt: skip
    # "12,100.0 per 100,000" is 20 characters: at ~5.6px each the labels' right edge (6px left
    # of the axis) sits at or beyond 14 + 5.6 x 20 - 6.
    assert min(xs) >= 14 + 5.6 * 20 - 6


def test_axis_and_values_share_one_precision() -> None:
    # The days chart: 0.87 to 0.93 days. The span (with limits) is under 0.2, so the axis
    # step is 0.02 or 0.05 and everything reads at 2 decimals: never "0.9" beside "0.901".
    values = [0.90, 0.88, 0.91, 0.87, 0.93, 0.90, 0.89, 0.92, 0.88, 0.90, 0.91, 0.89]
    svg = render_svg(xmr(_months(values), "lower"), "Delay", unit=" days", unit_key="days")
    assert all(re.fullmatch(r"0\.\d\d days", t) for t in _texts(svg, "y-tick"))
    # the mean: 10.78 / 12 = 0.8983.. -> "0.90 days"
    assert _texts(svg, "label-mean") == ["Mean 0.90 days"]
    assert "Jan 2024: 0.90 days, common cause" in svg


def test_time_axis_reads_periods_thinned_to_fit() -> None:
    chart = xmr(_months([10.0, 12.0] * 18), "higher")  # 36 months: Jan 2024 to Dec 2026
    labels = _texts(render_svg(chart, "Long", unit_key="count"), "x-tick")
    assert labels[0] == "Jan 2024"
    assert 3 <= len(labels) < 36  # thinned
    assert all(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", t) for t in labels)


def test_svg_is_accessible_deterministic_and_coloured() -> None:
    values = [10.0, 12.0] * 5 + [30.0] + [12.0, 10.0] * 3 + [-8.0, 10.0, 12.0]
    chart = xmr(_months(values), "lower", target=26)
    svg = render_svg(chart, "Emergency admissions <65+>", unit_key="count")
    assert svg == render_svg(chart, "Emergency admissions <65+>", unit_key="count")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "Emergency admissions &lt;65+&gt;" in svg
    title = root.find(f"{NS}title")
    assert title is not None and "SPC chart of 20 points from Jan 2024 to Aug 2025" in (
        title.text or ""
    )
    for colour in (GREY, BLUE, ORANGE, RED):
        assert colour in svg
    assert PURPLE not in svg  # no neutral points, no trajectory
    kinds = {e.get("data-type"): e.tag for e in root.iter() if e.get("data-type")}
    assert kinds["common_cause"] == f"{NS}circle"
    assert kinds["special_cause_concern"] == f"{NS}polygon"  # shape, not colour alone
    assert kinds["special_cause_improvement"] == f"{NS}circle"
    assert _texts(svg, "label-target") == ["Target 26"]
    icons = [e.get("aria-label") for e in root.iter(f"{NS}svg") if e.get("role") == "img"][1:]
    # the latest point (12) is common cause. Mean 220 / 20 = 11; moving ranges 2 x 9, 18, 18,
    # 2 x 5, 18, 18, 2 = 102 over 19 = 5.368; upper limit 11 + 2.66 x 5.368 = 25.28. A target of
    # 26 is above it and lower is better: consistently passes.
    assert icons == ["Common cause variation", "Assurance: consistently passes the target"]


def test_recalculation_baseline_annotation_and_trajectory_are_drawn() -> None:
    values = [10.0, 12.0] * 7 + [20.0, 22.0] * 6
    series = _months(values)
    chart = xmr(series, "lower", rebase=["2025-03"], fix_after=12)
    marks = Marks(
        rebases={"2025-03": "New discharge hub"},
        annotations=[("2024-06", "Home first pilot")],
        trajectory=("2026-27", 15.0),
    )
    svg = render_svg(chart, "Rebased", unit_key="count", marks=marks)
    root = ET.fromstring(svg)
    assert len([e for e in root.iter() if e.get("class") == "mean"]) == 2  # two segments
    assert _texts(svg, "rebase-label") == ["Recalculated from Mar 2025"]
    assert "Recalculated from Mar 2025: New discharge hub" in svg
    assert len([e for e in root.iter() if e.get("class") == "baseline"]) == 2  # per segment
    assert "1. Jun 2024: Home first pilot" in svg
    assert _texts(svg, "label-trajectory") == ["Ambition 15 by 2026-27"]
    line = root.find(f".//{NS}line[@class='trajectory']")
    assert line is not None and PURPLE in svg


def test_labels_at_the_right_do_not_overlap() -> None:
    # 10, 12 alternating: mean 11; a target of 11.1 sits on the mean line: its label moves down
    chart = xmr(_months([10.0, 12.0] * 6), "higher", target=11.1)
    root = ET.fromstring(render_svg(chart, "Close", unit_key="count"))
    ys = sorted(
        float(e.get("y") or 0)
        for e in root.iter(f"{NS}text")
        if (e.get("class") or "").startswith("label-")
    )
    assert len(ys) == 4 and all(b - a >= 12 for a, b in zip(ys, ys[1:], strict=False))


def test_every_chart_says_whether_moving_ranges_were_screened() -> None:
    """Issue 18: screening is a choice (off here, on in NHSRplotthedots), so the chart itself says
    which, wherever it is drawn (page, board pack); twelve 5s have no limits and it says why."""
    values = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 12.0]
    plain = render_svg(xmr(_months(values), "lower"), "Plain", unit_key="count")
    assert _texts(plain, "method") == ["Moving ranges not screened"]
    screened = xmr(_months(values), "lower", screen_outliers=True)
    assert _texts(render_svg(screened, "S", unit_key="count"), "method") == [
        "Moving ranges screened"
    ]
    flat = render_svg(xmr(_months([5.0] * 12), "lower", target=4), "Flat", unit_key="count")
    assert _texts(flat, "method") == ["Moving ranges not screened; no limits: no variation"]
