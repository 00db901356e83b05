"""Issue 18's smallest examples as a reader sees them on the pages: the exact interval and its
method, no standardised rate from fewer than 10 events with the reason, two withheld zeros that do
not give each other away and a complementary cell that says why it is withheld, the gap trend over
real years, and each SPC chart saying whether moving ranges are screened and when it has no
limits."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from placeplan.cli import main
from placeplan.core.actor import operator
from placeplan.measures import service
from placeplan.measures.domain.suppression import COMPLEMENTARY, SUPPRESSED
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER

AREA = f"/areas/{LEICESTER}/metrics"


def cell(period: str, kind: str, value: str, n: int, d: int) -> dict[str, str]:
    return {"area_code": LEICESTER, "period": period, "numerator": str(n),
            "denominator": str(d), "breakdown": kind, "breakdown_value": value}  # fmt: skip


def cli(engine, monkeypatch, *args: str) -> str:
    """`placeplan metrics breakdowns ...` against the test's database: what it printed."""
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(main, ["metrics", "breakdowns", *args, "--area", LEICESTER])
    assert result.exit_code == 0, result.output
    return result.stdout


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
def test_rates_zeros_and_the_complementary_cell(browser, sessions, world, engine, monkeypatch):
    # 1 event in 1,000: 2.53 to 557.16 per 100,000 (exact); the quintiles 0/500, 0/800, 25/700,
    # 90/900, 120/1000 (issue 18): both zeros and the 25 withheld, the 25 for the right reason.
    # 2022-23: 0 events in 1,000, upper limit 368.89 (PHEindicatormethods' phe_rate, exact).
    quintiles = [("1", 0, 500), ("2", 0, 800), ("3", 25, 700), ("4", 90, 900), ("5", 120, 1000)]
    load(sessions, RATE, [cell("2022-23", "all", "all", 0, 1000),
                          cell("2022-23", "imd_quintile", "1", 40, 1000),
                          cell("2023-24", "all", "all", 1, 1000)]
         + [cell("2023-24", "imd_quintile", q, n, d) for q, n, d in quintiles])  # fmt: skip
    path = f"{AREA}/t_rate/breakdowns"
    inside = browser("county-viewer").get(path).text
    assert "2.5 to 557.2" in inside and "exact Poisson (chi-squared)" in inside
    assert "0.0 to 368.9" in browser("county-viewer").get(path + "?period=2022-23").text
    public = browser(None).get(path).text
    assert public.count(SUPPRESSED) >= 3  # the total (1 event) and the two zeros
    assert COMPLEMENTARY in public
    assert "25.0" not in public and "3,571.4" not in public  # 25 / 700 x 100,000
    csv_text = browser(None).get(path + "?format=csv").text
    assert COMPLEMENTARY in csv_text
    inside_csv = browser("county-viewer").get(path + "?format=csv").text
    assert "exact Poisson (chi-squared)" in inside_csv and "557.16" in inside_csv
    # the same through the command line
    text = cli(engine, monkeypatch, "t_rate")
    assert "(95% interval 2.53 to 557.16, exact Poisson (chi-squared))" in text
    assert "(95% interval 0.00 to 368.89, exact Poisson (chi-squared))" in cli(
        engine, monkeypatch, "t_rate", "--period", "2022-23"
    )
    shown = json.loads(cli(engine, monkeypatch, "t_rate", "--public", "--format", "json"))
    withheld = {c["breakdown_value"]: c["suppressed"] for c in shown["cells"] if c["suppressed"]}
    assert withheld == {"all": SUPPRESSED, "1": SUPPRESSED, "2": SUPPRESSED, "3": COMPLEMENTARY}
    assert "3,571" not in cli(engine, monkeypatch, "t_rate", "--public")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_gap_trend_keeps_a_withheld_year_in_its_place(
    browser, sessions, world, engine, monkeypatch
):
    # Quintile 1 minus quintile 5: 40% - 50% = -10 in 2021-22; 2022-23's quintile 1 (5 of 100)
    # is withheld; 44% - 50% = -6 in 2023-24. Over the years 0 and 2: +2.0 a year (not +4.0).
    load(sessions, SHARE, [
        cell("2021-22", "imd_quintile", "1", 40, 100), cell("2021-22", "imd_quintile", "5", 50, 100),
        cell("2022-23", "imd_quintile", "1", 5, 100), cell("2022-23", "imd_quintile", "5", 50, 100),
        cell("2023-24", "imd_quintile", "1", 44, 100), cell("2023-24", "imd_quintile", "5", 50, 100),
    ])  # fmt: skip
    public = browser(None).get(f"{AREA}/t_share/breakdowns").text
    assert "+2.0 a year on average" in public and "+4.0" not in public
    text = cli(engine, monkeypatch, "t_share", "--public")
    assert "Gap trend: +2.00 a year over 2 periods" in text
    api = browser(None).get(f"/api/v1{AREA}/t_share/breakdowns").json()
    assert (api["gap_trend_per_period"], api["gap_trend_period"]) == (pytest.approx(2.0), "year")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_no_standardised_rate_from_seven_events(browser, sessions, world, engine, monkeypatch):
    bands = ["65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
    load(sessions, FALLS, [cell("2023-24", "age_band", b, e, 2000)
                           for b, e in zip(bands, [1, 1, 1, 2, 1, 1], strict=True)])  # fmt: skip
    page = browser("county-viewer").get(f"{AREA}/t_falls/breakdowns").text
    assert "no age-standardised rate from fewer than 10 events" in page
    assert "140.0" not in page
    csv_text = browser("county-viewer").get(f"{AREA}/t_falls/breakdowns?format=csv").text
    assert "not given: no age-standardised rate from fewer than 10 events" in csv_text
    api = browser("county-viewer").get(f"/api/v1{AREA}/t_falls/breakdowns").json()
    assert "no age-standardised rate from fewer than 10 events" in api["no_total"]
    text = cli(engine, monkeypatch, "t_falls")
    assert "All people: not given: no age-standardised rate from fewer than 10 events" in text
    assert "140.0" not in text


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
    # the board's icons come from the same chart: its page, CSV and API say screening is off
    assert "Moving ranges are not screened" in browser("county-viewer").get("/board").text
    board_csv = browser("county-viewer").get("/board?format=csv").text
    row = next(r for r in csv.DictReader(io.StringIO(board_csv)) if r["Measure"] == "Test flat")
    assert row["Moving ranges"] == "Not screened"
    board_api = browser("county-viewer").get("/api/v1/board").json()
    assert {r["moving_range_screening"] for r in board_api if r["metric"] == "t_flat"} == {"off"}


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
        if example.target is not None:
            # The chart's target is the area's latest ambition for a period of the chart's
            # frequency (a month here: a yearly ambition is no target for monthly figures).
            with unit_of_work(sessions) as s:
                service.add_ambition(s, operator(), key, LEICESTER,
                                     {"period": periods[-1], "target": str(example.target)})  # fmt: skip
        spc = reader.get(f"/api/v1{AREA}/{key}").json()["spc"]
        types = [p["type"] for p in spc["points"]]
        assert types == [example.types.get(i, "common_cause") for i in range(len(types))], (
            example.name
        )
        assert spc["assurance"] == example.assurance, example.name
        assert (spc["points"][0]["upper"] is not None) == example.limits, example.name
        if example.mean is not None:
            assert spc["points"][0]["mean"] == example.mean, example.name
        page = reader.get(f"{AREA}/{key}").text
        assert "Not screened: every moving range counts towards the limits" in page
        assert ("there is no variation to set limits from" in page) == (not example.limits)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_age_bands_through_the_command_line(
    browser, sessions, world, engine, monkeypatch, tmp_path
):
    """Issue 18, item 7: a missing last band is refused, not read as a shorter age range; ONS-style
    90-94 and 95+ are added into ESP 2013's 90+. Falls cover 65 and over: 65-69 ... 85-89 with
    50 events in 10,000 each, 90+ (split 30 + 20 events in 6,000 + 4,000): every band 500 per
    100,000, so the standardised rate is 500.0 whatever the weights."""
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), FALLS)
    head = "area_code,period,numerator,denominator,breakdown,breakdown_value\n"
    five = "".join(f"{LEICESTER},2023-24,50,10000,age_band,{a}-{a + 4}\n" for a in range(65, 90, 5))
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    short = tmp_path / "short.csv"
    short.write_text(head + five, encoding="utf-8")
    refused = CliRunner().invoke(main, ["metrics", "import", str(short), "--metric", "t_falls",
                                        "--format", "json"])  # fmt: skip
    assert refused.exit_code == 2
    error = json.loads(refused.stderr)["error"]
    assert "one with 0 events" in error["message"] and error["field"] == "breakdown_value"
    ons = tmp_path / "ons.csv"
    ons.write_text(head + five + f"{LEICESTER},2023-24,30,6000,age_band,90-94\n"
                   f"{LEICESTER},2023-24,20,4000,age_band,95+\n", encoding="utf-8")  # fmt: skip
    imported = CliRunner().invoke(main, ["metrics", "import", str(ons), "--metric", "t_falls"])
    assert imported.exit_code == 0, imported.output
    shown = cli(engine, monkeypatch, "t_falls")
    assert "All people: 500.00 (95% interval" in shown and "Dobson's method" in shown
    page = browser("county-viewer").get(f"{AREA}/t_falls/breakdowns").text
    assert "500.0" in page and "Dobson&#39;s method" in page
