"""Issue 18's smallest examples as a reader sees them on the pages: the exact interval and its
method, no standardised rate from fewer than 10 events with the reason, two withheld zeros that do
not give each other away and a complementary cell that says why it is withheld, the gap trend over
real years, and each SPC chart saying whether moving ranges are screened and when it has no
limits."""

from __future__ import annotations

import pytest

from placeplan.core.actor import operator
from placeplan.measures import service
from placeplan.measures.domain.suppression import COMPLEMENTARY, SUPPRESSED
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER

AREA = f"/areas/{LEICESTER}/metrics"


def cell(period: str, kind: str, value: str, n: int, d: int) -> dict[str, str]:
    return {"area_code": LEICESTER, "period": period, "numerator": str(n),
            "denominator": str(d), "breakdown": kind, "breakdown_value": value}  # fmt: skip


def load(sessions, metric: dict[str, str], items: list[dict[str, str]]) -> None:
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), metric)
        service.import_rows(s, operator(), metric["key"], list(enumerate(items, start=2)))


RATE = {"key": "t_rate", "name": "Test rate", "unit": "rate_per_100k", "direction": "lower",
        "frequency": "year"}  # fmt: skip
SHARE = {"key": "t_share", "name": "Test share", "unit": "percentage", "direction": "higher",
         "frequency": "year"}  # fmt: skip
FALLS = {"key": "t_falls", "name": "Test falls", "unit": "rate_per_100k_dsr",
         "direction": "lower", "frequency": "year", "age_range": "65+"}  # fmt: skip
FLAT = {"key": "t_flat", "name": "Test flat", "unit": "count", "direction": "lower",
        "frequency": "month"}  # fmt: skip


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_rates_zeros_and_the_complementary_cell(browser, sessions, world):
    # 1 event in 1,000: 2.53 to 557.16 per 100,000 (exact); the quintiles 0/500, 0/800, 25/700,
    # 90/900, 120/1000 (issue 18): both zeros and the 25 withheld, the 25 for the right reason.
    quintiles = [("1", 0, 500), ("2", 0, 800), ("3", 25, 700), ("4", 90, 900), ("5", 120, 1000)]
    load(sessions, RATE, [cell("2023-24", "all", "all", 1, 1000)]
         + [cell("2023-24", "imd_quintile", q, n, d) for q, n, d in quintiles])  # fmt: skip
    path = f"{AREA}/t_rate/breakdowns"
    inside = browser("county-viewer").get(path).text
    assert "2.5 to 557.2" in inside and "exact Poisson (chi-squared)" in inside
    public = browser(None).get(path).text
    assert public.count(SUPPRESSED) >= 3  # the total (1 event) and the two zeros
    assert COMPLEMENTARY in public
    assert "25.0" not in public and "3,571.4" not in public  # 25 / 700 x 100,000
    csv_text = browser(None).get(path + "?format=csv").text
    assert COMPLEMENTARY in csv_text


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_gap_trend_keeps_a_withheld_year_in_its_place(browser, sessions, world):
    # Quintile 1 minus quintile 5: 40% - 50% = -10 in 2021-22; 2022-23's quintile 1 (5 of 100)
    # is withheld; 44% - 50% = -6 in 2023-24. Over the years 0 and 2: +2.0 a year (not +4.0).
    load(sessions, SHARE, [
        cell("2021-22", "imd_quintile", "1", 40, 100), cell("2021-22", "imd_quintile", "5", 50, 100),
        cell("2022-23", "imd_quintile", "1", 5, 100), cell("2022-23", "imd_quintile", "5", 50, 100),
        cell("2023-24", "imd_quintile", "1", 44, 100), cell("2023-24", "imd_quintile", "5", 50, 100),
    ])  # fmt: skip
    public = browser(None).get(f"{AREA}/t_share/breakdowns").text
    assert "+2.0 a year on average" in public and "+4.0" not in public


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_no_standardised_rate_from_seven_events(browser, sessions, world):
    bands = ["65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
    load(sessions, FALLS, [cell("2023-24", "age_band", b, e, 2000)
                           for b, e in zip(bands, [1, 1, 1, 2, 1, 1], strict=True)])  # fmt: skip
    page = browser("county-viewer").get(f"{AREA}/t_falls/breakdowns").text
    assert "no age-standardised rate from fewer than 10 events" in page
    assert "140.0" not in page


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_chart_says_screening_is_off_and_a_flat_series_has_no_limits(browser, sessions, world):
    load(sessions, FLAT, [{"area_code": LEICESTER, "period": f"2024-{m:02d}", "value": "5"}
                          for m in range(1, 13)])  # fmt: skip
    page = browser("county-viewer").get(f"{AREA}/t_flat").text
    assert "Not screened: every moving range counts towards the limits" in page
    assert "there is no variation to set limits from" in page
    assert 'class="upper"' not in page and 'class="lower"' not in page
    api = browser("county-viewer").get(f"/api/v1{AREA}/t_flat").json()
    assert api["spc"]["moving_range_screening"] == "off"
    assert api["spc"]["assurance"] == "none"  # no target set
    assert {p["upper"] for p in api["spc"]["points"]} == {None}


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_spc_examples_on_the_metric_page(browser, sessions, world):
    """Issue 18's SPC examples (tests/measures/reference/issue_examples.py) as the metric page
    and its API read them: each point's type as NHSRplotthedots gives it."""
    from tests.measures.reference.issue_examples import EXAMPLES

    reader = browser("county-viewer")
    for number, example in enumerate(EXAMPLES):
        key = f"t_spc_{number}"
        metric = {"key": key, "name": f"Example {number}", "unit": "days",
                  "direction": example.direction, "frequency": "month"}  # fmt: skip
        periods = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(len(example.values))]
        load(sessions, metric, [{"area_code": LEICESTER, "period": p, "value": str(v)}
                                for p, v in zip(periods, example.values, strict=True)])  # fmt: skip
        spc = reader.get(f"/api/v1{AREA}/{key}").json()["spc"]
        types = [p["type"] for p in spc["points"]]
        assert types == [example.types.get(i, "common_cause") for i in range(len(types))], (
            example.name
        )
        assert reader.get(f"{AREA}/{key}").status_code == 200
