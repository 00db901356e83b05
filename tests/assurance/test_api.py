"""Assurance's JSON API, scoped as its pages are: a regional assurer reads and rates the plans of
their region only; a plan's own editor and viewer read and write no assurance record; a stale
save answers 409. The comparisons' answers carry the same figures as the pages' downloads."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from placeplan.app.factory import create_app
from placeplan.areas.models import Area
from placeplan.assurance.service import record_of
from placeplan.config import Settings
from placeplan.demo.national import area_name
from placeplan.people import service as people
from placeplan.plans.models import Plan
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.fixtures.national import two_synthetic_areas

ASSURER = "assurer@midlands.demo"
EDITOR = "bcf.lead@leics.demo"  # Leicestershire's BCF lead: the plan's own editor
VIEWER = "viewer@leics.demo"
LEAGUE = "/api/v1/comparisons/emergency_admissions_65_plus/league"
FUNNEL = "/api/v1/comparisons/emergency_admissions_65_plus/funnel"


@pytest.fixture
def client(national_engine):
    app = create_app(Settings(database_url=str(national_engine.url)), engine=national_engine)
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def as_user(national_sessions):
    def headers(username: str) -> dict[str, str]:
        with unit_of_work(national_sessions) as s:
            token, _ = people.create_token(s, actor_for(s, username), "assurance api test")
        return {"Authorization": f"Bearer {token}"}

    return headers


def plan_id(sessions, key: str | None = None, gss: str | None = None) -> int:
    with sessions() as s:
        query = select(Plan.id).where(Plan.kind == "bcf_plan", Plan.period_start == 2025)
        if key:
            query = query.where(Plan.key == key)
        if gss:
            query = query.join(Area, Area.id == Plan.area_id).where(Area.gss_code == gss)
        return s.scalars(query).one()


def test_the_dashboard_lists_the_assurers_region_only(client, as_user):
    answer = client.get("/api/v1/assurance?year=2025", headers=as_user(ASSURER))
    assert answer.status_code == 200, answer.text
    board = answer.json()
    midlands, london = two_synthetic_areas()
    areas = {row["area"] for row in board["plans"]}
    # The Midlands' 2025-26 BCF plans: the demo's (Leicestershire's: LLR's only plan of that
    # year) and the synthetic Midlands area's; London's is another region's.
    assert areas == {"Leicestershire", area_name(midlands)}
    assert area_name(london) not in areas
    assert board["total"] == len(board["plans"]) == 2 and board["pages"] == 1
    assert {r["name"] for r in board["regions"]} == {"Midlands"}
    (leics,) = [r for r in board["plans"] if r["area"] == "Leicestershire"]
    assert (leics["rating_label"], leics["version"], leics["checklist_met"]) == (
        "Not yet rated",
        None,
        None,
    )
    assert leics["url"] == f"/assurance/plans/{leics['plan_id']}"
    counts = {c["key"]: c["count"] for c in board["by_rating"]}
    assert counts["not_rated"] == 2 and counts["approved"] == 0
    # Another region asked for by name: nothing of it is shown to a Midlands assurer.
    other = client.get("/api/v1/assurance?year=2025&region=E40000003", headers=as_user(ASSURER))
    assert other.status_code == 200 and other.json()["plans"] == []


def test_an_assurer_rates_a_plan_and_a_stale_save_is_refused(client, as_user, national_sessions):
    headers = as_user(ASSURER)
    plan = plan_id(national_sessions, key="leics-bcf-2025-26")
    url = f"/api/v1/assurance/plans/{plan}"
    read = client.get(url, headers=headers).json()
    assert read["version"] == 0 and read["rating"] is None
    assert [i["key"] for i in read["checklist"]][:2] == ["on_time", "signatories"]
    by_key = {i["key"]: i for i in read["checklist"]}
    assert by_key["national_conditions"]["answered_by"] == "assurer"
    assert by_key["national_conditions"]["met"] is None

    refused = client.put(
        url, headers=headers, json={"version": 0, "rating": "approved_with_conditions"}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "conditions"

    body = {
        "version": 0,
        "rating": "approved_with_conditions",
        "conditions": "Set the ambitions by June",
        "answers": {"national_conditions": "yes"},
    }
    saved = client.put(url, headers=headers, json=body)
    assert saved.status_code == 200, saved.text
    record = saved.json()
    assert (record["version"], record["rating_label"]) == (1, "Approved with conditions")
    assert {i["key"]: i["met"] for i in record["checklist"]}["national_conditions"] is True
    assert client.get(url, headers=headers).json()["version"] == 1

    # A second first save (someone else's came between): 409, nothing written.
    again = client.put(url, headers=headers, json={**body, "rating": "not_approved"})
    assert again.status_code == 409 and again.json()["error"]["current_version"] == 1
    # A colleague adds a comment from version 1; a save still holding version 1 is then stale,
    # and the answer names what moved since it was read.
    commented = client.put(url, headers=headers, json={**body, "version": 1, "comments": "Seen"})
    assert commented.status_code == 200 and commented.json()["version"] == 2
    stale = client.put(url, headers=headers, json={**body, "version": 1, "rating": "approved"})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["current_version"] == 2
    assert error["changes"] == {"comments": {"yours": None, "now": "Seen"}}
    with national_sessions() as s:
        kept = record_of(s, plan)
        assert kept is not None
        assert (kept.version, kept.rating, kept.comments) == (2, "approved_with_conditions", "Seen")

    board = client.get("/api/v1/assurance?year=2025", headers=headers).json()
    (row,) = [r for r in board["plans"] if r["plan_id"] == plan]
    assert (row["rating"], row["version"], row["conditions"]) == (
        "approved_with_conditions",
        2,
        "Set the ambitions by June",
    )
    counts = {c["key"]: c["count"] for c in board["by_rating"]}
    assert counts["approved_with_conditions"] == 1 and counts["not_rated"] == 1
    rated = client.get(
        "/api/v1/assurance?year=2025&rating=approved_with_conditions", headers=headers
    ).json()
    assert [r["plan_id"] for r in rated["plans"]] == [plan]


def test_an_assurer_cannot_read_or_rate_another_regions_plan(client, as_user, national_sessions):
    _midlands, london = two_synthetic_areas()
    plan = plan_id(national_sessions, gss=london)
    headers = as_user(ASSURER)
    url = f"/api/v1/assurance/plans/{plan}"
    assert client.get(url, headers=headers).status_code == 403
    answer = client.put(url, headers=headers, json={"version": 0, "rating": "approved"})
    assert answer.status_code == 403
    with national_sessions() as s:
        assert record_of(s, plan) is None


@pytest.mark.parametrize("username", [EDITOR, VIEWER])
def test_the_plans_own_people_read_and_write_no_assurance(
    client, as_user, national_sessions, username
):
    plan = plan_id(national_sessions, key="leics-bcf-2025-26")
    headers = as_user(username)
    url = f"/api/v1/assurance/plans/{plan}"
    assert client.get("/api/v1/assurance", headers=headers).status_code == 403
    assert client.get(url, headers=headers).status_code == 403
    answer = client.put(url, headers=headers, json={"version": 0, "rating": "approved"})
    assert answer.status_code == 403
    with national_sessions() as s:
        assert record_of(s, plan) is None


def test_signed_out_the_api_answers_401(client, national_sessions):
    plan = plan_id(national_sessions, key="leics-bcf-2025-26")
    for path in ("/api/v1/assurance", f"/api/v1/assurance/plans/{plan}", LEAGUE, FUNNEL):
        assert client.get(path).status_code == 401, path


def _csv(client: TestClient, headers: dict[str, str], path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get(path, headers=headers).text)))


def test_the_league_and_funnel_answers_match_the_pages_downloads(client, as_user):
    headers = as_user(ASSURER)
    league = client.get(LEAGUE, headers=headers)
    assert league.status_code == 200, league.text
    rows = league.json()["rows"]
    page = _csv(client, headers, "/comparisons/emergency_admissions_65_plus/league?format=csv")
    assert [(r["rank"], r["area"], r["value"]) for r in rows] == [
        (int(p["Rank"]), p["Area"], p["Latest value"]) for p in page
    ]
    # Lower is better for emergency admissions: the lowest value ranks first.
    values = [float(r["value"]) for r in rows]
    assert values == sorted(values) and len(rows) == 4

    funnel = client.get(FUNNEL, headers=headers).json()
    assert funnel["method"] == "poisson" and funnel["limits"]
    drawn = _csv(client, headers, "/comparisons/emergency_admissions_65_plus/funnel?format=csv")
    assert sorted(p["area"] for p in funnel["points"]) == sorted(d["Area"] for d in drawn)
    for point in funnel["points"]:
        # A rate per 100,000: the count over the population, times 100,000.
        assert point["value"] == pytest.approx(point["count"] / point["size"] * 100_000)
    # The 99.8% limits lie outside the 95% limits at every size.
    for lim in funnel["limits"]:
        assert lim["low_998"] <= lim["low_95"] <= lim["high_95"] <= lim["high_998"]
    # An age-standardised rate has no funnel: said by a null method, not an error.
    dsr = client.get("/api/v1/comparisons/avoidable_admissions/funnel", headers=headers)
    assert dsr.status_code == 200 and dsr.json()["method"] is None


def test_spend_per_head_answers_pence_and_the_pages_pounds(client, as_user):
    headers = as_user(ASSURER)
    answer = client.get("/api/v1/comparisons/spend?year=2025", headers=headers)
    assert answer.status_code == 200, answer.text
    (leics,) = [r for r in answer.json()["rows"] if r["area"] == "Leicestershire"]
    # Seed 000's spend table: £78,073,138 in all, £2,045,173 on acute.
    assert leics["total_pence"] == 78_073_138_00
    assert leics["by_category_pence"]["acute"] == 2_045_173_00
    page = _csv(client, headers, "/comparisons/spend?year=2025&format=csv")
    (row,) = [r for r in page if r["Area"] == "Leicestershire"]
    assert f"£{float(leics['per_head']['total']):,.2f}" == row["Total"]
    assert f"£{float(leics['per_head']['acute']):,.2f}" == row["Acute"]
