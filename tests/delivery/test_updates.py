"""The reporting quarters of a delivery plan: those its update form offers, and the one its
leads report on now."""

from __future__ import annotations

from datetime import date

from placeplan.delivery.domain.updates import plan_quarters, reporting_quarter


def test_the_quarter_a_plan_reports_on_now():
    assert plan_quarters(2025, 2026)[0] == "2025-26 Q1" and len(plan_quarters(2025, 2026)) == 8
    assert reporting_quarter(2025, 2026, date(2025, 12, 5)) == "2025-26 Q3"  # while it runs
    assert reporting_quarter(2023, 2024, date(2026, 12, 5)) == "2024-25 Q4"  # after it ended
    assert reporting_quarter(2027, 2028, date(2026, 12, 5)) is None  # before it starts
