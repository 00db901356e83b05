"""Who sees what on the measures pages: the breakdowns page and its CSV and API, the metric page,
the board and a plan's metrics, signed out and in each role. Small numbers (under 10, and the
complementary cell) are withheld from signed-out readers only."""

from __future__ import annotations

import csv
import io

import pytest

from placeplan.core.actor import operator
from placeplan.demo.measures import load_demo_measures
from placeplan.measures.domain.suppression import COMPLEMENTARY, SUPPRESSED
from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for

USERS = [None, "county-viewer", "county-editor", "city-editor", "icb-approver", "icb-admin"]
# Leicestershire's illustrative still-at-home breakdowns (demo/data/measures.yaml): Black or
# Black British 7 of 9 is under 10, and Mixed (11 of 13, the next smallest) goes with it.
BREAKDOWNS = "/areas/E10000018/metrics/still_at_home_91_days/breakdowns"


@pytest.fixture
def demo(sessions, world):
    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())
    return world


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("user", USERS)
def test_breakdowns_page_csv_and_api_withhold_small_numbers_from_the_public(
    browser, client, sessions, demo, user
):
    reader = browser(user)
    page = reader.get(BREAKDOWNS)
    assert page.status_code == 200
    assert "Who is left behind" in page.text and "<svg" in page.text
    table = reader.get(BREAKDOWNS + "?format=csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    cells = {(r["breakdown"], r["breakdown_value"]): r for r in rows_of(table.text)}
    headers = {}
    if user:
        with unit_of_work(sessions) as s:
            token, _ = people.create_token(s, actor_for(s, user), "test")
        headers = {"Authorization": f"Bearer {token}"}
    api = client.get("/api/v1" + BREAKDOWNS, headers=headers)
    assert api.status_code == 200
    by_key = {(c["breakdown"], c["breakdown_value"]): c for c in api.json()["cells"]}
    small = ("ethnicity", "Black or Black British")
    partner = ("ethnicity", "Mixed")
    if user is None:
        assert SUPPRESSED in page.text and "withheld from the public" not in page.text
        # the small cell says it is small; its partner why it is withheld (issue 18)
        for key, label in ((small, SUPPRESSED), (partner, COMPLEMENTARY)):
            assert cells[key]["numerator"] == label and cells[key]["value"] == label
            assert by_key[key] == {
                "breakdown": key[0],
                "breakdown_value": key[1],
                "suppressed": label,
            }
        # Not the 7 itself anywhere in the public CSV or API.
        assert ",7.0000," not in table.text and '"7.0000"' not in api.text
    else:
        assert "withheld from the public" in page.text
        assert cells[small]["numerator"] == "7.0000" and by_key[small]["numerator"] == "7.0000"
        assert by_key[partner]["value"].startswith("84.61")  # 11 / 13 = 84.615%
    # Everyone sees the cells that are not small, with their Wilson interval.
    white = by_key[("ethnicity", "White British")]
    assert white["numerator"] == "1390.0000" and white["interval_method"] == "Wilson score"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "path",
    [
        "/areas/E10000018/metrics/no_such_metric/breakdowns",
        "/areas/E99999999/metrics/still_at_home_91_days/breakdowns",
        "/api/v1/areas/E10000018/metrics/no_such_metric/breakdowns",
    ],
)
def test_unknown_metrics_and_areas_are_not_found(browser, demo, path):
    for user in (None, "county-editor"):
        assert browser(user).get(path).status_code == 404


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_metric_page_links_to_its_breakdowns_and_shows_on_track_status(browser, demo):
    anyone = browser(None)
    page = anyone.get("/areas/E10000018/metrics/still_at_home_91_days")
    assert page.status_code == 200 and BREAKDOWNS in page.text
    # The illustrative monthly ambitions: 150 per 100,000 a month for Leicestershire in 2024-25.
    admissions = anyone.get("/areas/E10000018/metrics/emergency_admissions_65_plus?format=csv")
    months = {r["period"]: r for r in rows_of(admissions.text)}
    assert months["2024-04"]["ambition"] == "150.000000"
    assert months["2024-04"]["on_track"] in ("on_track", "off_track")
    assert months["2023-04"]["on_track"] == ""  # no ambition that month
    html = anyone.get("/areas/E10000018/metrics/emergency_admissions_65_plus").text
    assert "Against the ambition" in html and ("On track" in html or "Not on track" in html)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_small_latest_figure_is_withheld_on_the_public_board(browser, sessions, demo):
    from placeplan.measures import service

    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "falls_65_plus",
            [
                (
                    2,
                    {
                        "area_code": "E06000016",
                        "period": "2024-25",
                        "numerator": "4",
                        "denominator": "900",
                        "value": "400",
                    },
                )
            ],
        )
    public = rows_of(browser(None).get("/board?format=csv").text)
    inside = rows_of(browser("county-viewer").get("/board?format=csv").text)

    def falls(rows):
        # the board's CSV names the measure and area as the page does: E06000016 is Leicester (llr.yaml)
        name = "Emergency admissions due to falls, 65 and over"
        return next(r for r in rows if r["Measure"] == name and r["Area"] == "Leicester")

    assert falls(public)["Latest value"] == SUPPRESSED
    assert falls(inside)["Latest value"].startswith("400")
    assert "Ambition period" in public[0] and "Against the ambition" in public[0]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("user", USERS)
def test_plan_metrics_csv_follows_the_plans_own_visibility(browser, demo, user):
    # The draft county plan: hidden (404) from signed-out readers, visible to signed-in users
    # exactly as its page is (tests/app/test_reads.py reads the page the same way).
    draft = f"/plans/{demo.plan_id}/metrics?format=csv"
    published = f"/plans/{demo.published_plan_id}/metrics?format=csv"
    reader = browser(user)
    # the city has no part in the county's draft: it is not there to them either
    outside = user is None or user.startswith("city-")
    assert reader.get(draft).status_code == (404 if outside else 200)
    answer = reader.get(published)
    assert answer.status_code == 200
    assert answer.text.splitlines()[0] == (
        "metric,area_code,period,ambition,value,on_track,stated_change"
    )
