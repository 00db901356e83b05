"""The one parser of periods and years: financial years and ranges (plans), reporting periods
(measures), quarters or months (delivery reports) and spans (published figures)."""

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.core.periods import (
    Span,
    parse_period,
    parse_quarter_or_month,
    parse_reporting_period,
    parse_span,
)


def test_single_financial_year():
    period = parse_period("2025-26")
    assert period.label == "2025-26"
    assert period.first.first_day == date(2025, 4, 1)
    assert period.last.last_day == date(2026, 3, 31)


def test_range_as_the_five_year_plan_writes_it():
    # Seed 003 covers 2023/24 to 2027/28: five financial years.
    period = parse_period("2023/24 to 2027/28")
    assert period.label == "2023-24 to 2027-28"
    assert [y.label for y in period.years] == [
        "2023-24",
        "2024-25",
        "2025-26",
        "2026-27",
        "2027-28",
    ]


@pytest.mark.parametrize(
    "text", ["2025-27", "2025", "25-26", "2027-28 to 2023-24", "next year", "1999-00x"]
)
def test_periods_that_do_not_parse_name_the_field(text):
    with pytest.raises(InputError) as caught:
        parse_period(text)
    assert caught.value.field == "period"


def test_century_rollover():
    assert parse_period("1999-00").first.start_year == 1999


# Quarters or months, as delivery reports are written (were tests/delivery/test_rules.py's).


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2025-26 Q2", "2025-26 Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025/26 q4", "2025-26 Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-25 Q1", "2024-25 Q1", date(2024, 4, 1), date(2024, 6, 30)),
        ("2025-09", "2025-09", date(2025, 9, 1), date(2025, 9, 30)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_quarters_or_months(text, label, first, last):
    period = parse_quarter_or_month(text)
    assert (period.label, period.first_day, period.last_day) == (label, first, last)


@pytest.mark.parametrize("text", ["2025-26", "2025-27 Q1", "2025-13", "Q2", "", "2025-26 Q5"])
def test_bad_quarters_or_months_are_refused(text):
    with pytest.raises(InputError) as caught:
        parse_quarter_or_month(text)
    assert caught.value.field == "period"


def test_quarters_or_months_sort_by_their_last_day():
    assert (
        parse_quarter_or_month("2025-09").sort_key < parse_quarter_or_month("2025-26 Q3").sort_key
    )


def test_quarters_or_months_messages():
    with pytest.raises(InputError) as caught:
        parse_quarter_or_month("2025-27 Q1")
    assert "27 does not follow 2025" in caught.value.message
    with pytest.raises(InputError) as caught:
        parse_quarter_or_month("Q2")
    assert caught.value.message == (
        "'Q2' is not a reporting period: expected a quarter such as 2025-26 Q2"
        " or a month such as 2025-09"
    )


# Spans, as published figures are for (were tests/pledges/test_periods.py's).


def test_spans_have_their_first_and_last_days():
    assert parse_span("2023-24") == Span("2023-24", date(2023, 4, 1), date(2024, 3, 31))
    # Q3 of 2023-24 is October to December 2023.
    assert parse_span("2023-24 Q3").end == date(2023, 12, 31)
    # Q4 runs into the next calendar year: January to March 2024 (2024 is a leap year: 29 Feb).
    assert parse_span("2023-24 Q4").start == date(2024, 1, 1)
    assert parse_span("2024-02").end == date(2024, 2, 29)
    assert parse_span("2021").end == date(2021, 12, 31)
    assert parse_span("2018 to 2020").start == date(2018, 1, 1)
    # 24 follows 2023, so 2023-24 is a financial year; 07 does not follow 2023, so a month.
    assert parse_span("2023-07").end == date(2023, 7, 31)


@pytest.mark.parametrize("text", ["", "2023-13", "2023-25 Q1", "23/24", "2020 to 2018", "soon"])
def test_a_bad_span_is_refused_naming_the_field(text):
    with pytest.raises(InputError) as caught:
        parse_span(text, "baseline_period")
    assert caught.value.field == "baseline_period"


def test_span_messages():
    with pytest.raises(InputError) as caught:
        parse_span("2023-25 Q1")
    assert caught.value.message == "'2023-25 Q1': 25 does not follow 2023"
    with pytest.raises(InputError) as caught:
        parse_span("soon")
    assert caught.value.message == (
        "'soon' is not a period: expected a financial year (2023-24), a quarter (2023-24 Q2),"
        " a month (2023-07), a year (2021) or years (2018 to 2020)"
    )


# Reporting periods of measures (was placeplan.measures.periods).


def test_reporting_periods_have_a_kind_and_sort_in_months():
    month = parse_reporting_period("2025-07")
    quarter = parse_reporting_period("2025-26 Q3")
    year = parse_reporting_period("2025-26")
    assert (month.kind, quarter.kind, year.kind) == ("month", "quarter", "year")
    assert month.sort_key == 2025 * 12 + 6
    assert quarter.sort_key == 2025 * 12 + 9  # Q3 starts in October
    assert year.sort_key == 2025 * 12 + 3 and year.calendar_year == 2025


def test_a_bad_reporting_period_names_field_and_row():
    with pytest.raises(InputError) as caught:
        parse_reporting_period("2025-27 Q1", row=4)
    assert (caught.value.field, caught.value.row) == ("period", 4)
