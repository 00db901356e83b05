"""The SPC chart's value axis: labels readable at a glance and never cut off at the left edge."""

from __future__ import annotations

import re

from placeplan.measures.spc import xmr
from placeplan.measures.spc_svg import render_svg


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
