"""The SPC chart: accessible, deterministic and coloured; its value axis readable at a glance and
never cut off at the left edge."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from placeplan.measures.domain.spc import xmr
from placeplan.measures.present.spc_svg import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    render_svg,
)


def _axis_labels(svg: str) -> list[tuple[float, str]]:
    return [
        (float(x), text)
        for x, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end"[^>]*>([^<]+)<', svg
        )
    ]


def test_large_values_read_with_commas_and_the_plot_moves_right_to_fit_them():
    # Values about 12,000: ".4g" would have printed 1.2e+04.
    chart = xmr([(f"2024-{m:02d}", 12_000.0 + 50 * (m % 3)) for m in range(1, 13)], "lower")
    labels = _axis_labels(render_svg(chart, "Big numbers", unit=" per 100,000"))
    assert labels and all("e+" not in text for _, text in labels)
    assert any(re.fullmatch(r"\d{2},\d{3} per 100,000", text) for _, text in labels)
    # "12,100 per 100,000" is 18 characters: at ~5.6px each it needs ~101px left of the axis,
    # so the labels' right edge (6px left of the axis) sits at or beyond 12 + 5.6 * 18 - 6.
    assert min(x for x, _ in labels) >= 12 + 5.6 * 18 - 6


def test_small_values_keep_three_significant_figures():
    chart = xmr([(f"2024-{m:02d}", 0.8 + 0.01 * (m % 4)) for m in range(1, 13)], "lower")
    texts = [t for _, t in _axis_labels(render_svg(chart, "Days", unit=" days"))]
    assert all(re.fullmatch(r"0\.\d{1,2} days|0\.\d{3} days", t) for t in texts), texts


def test_svg_is_accessible_deterministic_and_coloured() -> None:
    values = [10.0, 12.0] * 5 + [30.0] + [12.0, 10.0] * 3 + [-8.0, 10.0, 12.0]
    series = [(f"2024-{i:02d}", v) for i, v in enumerate(values, start=1)]
    chart = xmr(series, "lower", target=25)
    svg = render_svg(chart, "Emergency admissions <65+>")
    assert svg == render_svg(chart, "Emergency admissions <65+>")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "Emergency admissions &lt;65+&gt;" in svg
    title = root.find(f"{ns}title")
    assert title is not None and "SPC chart" in (title.text or "")
    for colour in (GREY, BLUE, ORANGE, RED):
        assert colour in svg
    assert PURPLE not in svg  # no neutral points in a directed measure
    kinds = {e.get("data-type"): e.tag for e in root.iter() if e.get("data-type")}
    assert kinds["common_cause"] == f"{ns}circle"
    assert kinds["special_cause_concern"] == f"{ns}polygon"  # shape, not colour alone
    assert kinds["special_cause_improvement"] == f"{ns}circle"
    rebased = ET.fromstring(render_svg(xmr(series, "lower", rebase=["2024-12"]), "Rebased"))
    assert len([e for e in rebased.iter() if e.get("class") == "mean"]) == 2  # two segments
    assert root.find(f".//{ns}line[@class='target']") is not None
    icons = [e.get("aria-label") for e in root.iter() if (e.get("class") or "").startswith("icon")]
    assert len(icons) == 2 and all(icons)
