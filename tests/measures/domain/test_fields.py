"""measures.domain.fields: figures 0 or more, from 0 to 100 for a percentage; counts 0 or more."""

from __future__ import annotations

from placeplan.measures.domain.fields import ambition_limits, measurement_limits


def test_a_percentage_metric_holds_its_figures_to_0_to_100():
    assert ambition_limits("percentage").problems({"target": "150"}) == [
        ("target", "The ambition's target is a percentage: it must be from 0 to 100 (it is 150)")
    ]
    assert ambition_limits("days").problems({"target": "150"}) == []
    assert ambition_limits("days").problems({"target": "-1"}) == [
        ("target", "The ambition's target must be 0 or more (it is -1)")
    ]


def test_counts_are_never_negative():
    assert measurement_limits("count").problems({"numerator": -3, "value": None}) == [
        ("numerator", "The numerator must be 0 or more (it is -3)")
    ]
