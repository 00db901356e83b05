"""Which figures a chart is drawn over and which are as at a date (measures.domain.frequency)."""

from __future__ import annotations

from datetime import date

from placeplan.measures.domain.frequency import (
    chart_kind,
    ended_by,
    split_by_frequency,
    target_for,
)


def test_a_chart_is_drawn_over_the_metrics_own_frequency_and_a_yearly_figure_listed_apart():
    # The demo's long-term admissions in Leicestershire: the 2019-20 rate as the seed publishes it
    # (536 per 100,000 over the year, seed 002) beside monthly rates near 40.
    series = [("2019-20", 536), ("2022-04", 43), ("2022-05", 45), ("2022-06", 44)]
    charted, others = split_by_frequency(series, lambda r: r[0], "month")
    assert charted == series[1:]
    assert others == [("2019-20", 536)]


def test_without_the_metrics_own_frequency_the_most_common_one_is_charted():
    assert chart_kind(["year", "quarter", "quarter", "month"], "month") == "month"
    assert chart_kind(["year", "quarter", "quarter"], "month") == "quarter"
    assert chart_kind(["year", "quarter"], "month") == "quarter"  # a tie: the finer, more points
    assert chart_kind([], "month") is None


def test_a_yearly_ambition_is_no_target_for_a_monthly_chart():
    # The demo's 2021-22 ambition for long-term admissions: 519 per 100,000 over the year.
    assert target_for([("2021-22", 519)], "month") is None
    assert target_for([("2021-22", 519), ("2024-04", 40), ("2024-05", 39)], "month") == 39
    assert target_for([("2021-22", 519)], "year") == 519


def test_a_period_is_as_at_a_date_once_it_has_ended():
    end_of_q1 = date(2025, 6, 30)
    assert ended_by("2025-06", end_of_q1)
    assert not ended_by("2025-07", end_of_q1)
    assert ended_by("2025-26 Q1", end_of_q1)  # April to June 2025
    assert not ended_by("2025-26 Q2", end_of_q1)
    assert ended_by("2024-25", end_of_q1)  # ended in March 2025
    assert not ended_by("2025-26", end_of_q1)  # runs to March 2026
    assert ended_by("2025-26", None)  # no date: everything
