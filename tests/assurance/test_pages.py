"""The assurance pages as a regional assurer, a viewer and an editor use them."""

from __future__ import annotations

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.app.factory import create_app
from placeplan.areas.models import AreaPopulation
from placeplan.config import Settings
from placeplan.demo.loader import DEMO_PASSWORD
from placeplan.demo.national import area_name
from placeplan.plans.models import Plan
from tests.fixtures.national import two_synthetic_areas
from tests.fixtures.web import Browser

ASSURER = "assurer@midlands.demo"
# an assurer's first rating of a plan: approved with a condition, one checklist item answered
RATED_WITH_CONDITIONS = {
    "version": "0",
    "rating": "approved_with_conditions",
    "conditions": "Set the ambitions by June",
    "answer_national_conditions": "yes",
}


@pytest.fixture
def people(national_engine):
    app = create_app(Settings(database_url=str(national_engine.url)), engine=national_engine)

    def make(username: str) -> Browser:
        return Browser(TestClient(app, base_url="https://testserver")).sign_in(
            username, DEMO_PASSWORD
        )

    return make


def leics_2025(national_sessions) -> int:
    with national_sessions() as s:
        return s.scalars(select(Plan.id).where(Plan.key == "leics-bcf-2025-26")).one()


def test_an_assurer_rates_a_plan_with_conditions_and_the_dashboard_counts_it(
    people, national_sessions
):
    plan_id = leics_2025(national_sessions)
    assurer = people(ASSURER)
    board = assurer.get("/assurance?year=2025")
    assert board.status_code == 200
    assert "Leicestershire" in board.text and "Not yet rated" in board.text
    page = assurer.get(f"/assurance/plans/{plan_id}")
    assert page.status_code == 200 and "Meets the funding rules" in page.text
    refused = assurer.post(
        f"/assurance/plans/{plan_id}", {"version": "0", "rating": "approved_with_conditions"}
    )
    assert refused.status_code == 400
    assert "Say the conditions" in refused.text
    saved = assurer.post(
        f"/assurance/plans/{plan_id}",
        RATED_WITH_CONDITIONS,
    )
    assert saved.status_code == 303
    rated = assurer.get("/assurance?year=2025&rating=approved_with_conditions")
    assert rated.status_code == 200
    assert f'href="/assurance/plans/{plan_id}"' in rated.text
    download = assurer.get("/assurance?year=2025&format=csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    (row,) = [r for r in rows if r["Plan"].startswith("Leicestershire")]
    assert (row["Rating"], row["Conditions"]) == (
        "Approved with conditions",
        "Set the ambitions by June",
    )
    book = load_workbook(io.BytesIO(assurer.get("/assurance?year=2025&format=xlsx").content))
    assert book.active.max_row == len(rows) + 1


def test_an_assurer_cannot_edit_the_plan_itself(people, national_sessions):
    plan_id = leics_2025(national_sessions)
    assurer = people(ASSURER)
    form = assurer.get(f"/plans/{plan_id}/edit")
    assert form.status_code in (403, 404)
    answer = assurer.post(f"/plans/{plan_id}/edit", {"title": "Taken over", "version": "0"})
    assert answer.status_code == 403


def test_a_viewer_or_editor_is_refused_the_dashboard(people):
    for username in ("viewer@leics.demo", "bcf.lead@leics.demo"):
        assert people(username).get("/assurance").status_code == 403


def test_the_league_table_and_funnel_plot_of_a_metric(people):
    assurer = people(ASSURER)
    league = assurer.get("/comparisons/emergency_admissions_65_plus/league")
    assert league.status_code == 200
    # The assurer's scope: the Midlands (LLR's three and the synthetic Midlands area).
    midlands, london = two_synthetic_areas()
    assert "Leicestershire" in league.text and area_name(midlands) in league.text
    assert area_name(london) not in league.text
    table = list(
        csv.reader(
            io.StringIO(
                assurer.get("/comparisons/emergency_admissions_65_plus/league?format=csv").text
            )
        )
    )
    values = [float(row[3]) for row in table[1:]]
    assert values == sorted(values)  # lower is better: lowest first
    funnel = assurer.get("/comparisons/emergency_admissions_65_plus/funnel")
    assert funnel.status_code == 200
    assert "<svg" in funnel.text and "Technical Briefing 3" in funnel.text
    every = assurer.get("/comparisons/emergency_admissions_65_plus/funnel?region=E40000003")
    assert area_name(london) in every.text
    # An age-standardised rate is not a count over a population: no funnel, said in words.
    dsr = assurer.get("/comparisons/avoidable_admissions/funnel")
    assert dsr.status_code == 200 and "have no funnel plot" in dsr.text


def test_spend_per_head_divides_the_budget_by_the_population(people, national_sessions):
    with national_sessions() as s:
        leics = s.scalars(select(Plan).where(Plan.key == "leics-bcf-2025-26")).one()
        year = s.scalar(
            select(func.max(AreaPopulation.year)).where(
                AreaPopulation.area_id == leics.area_id, AreaPopulation.year <= 2025
            )
        )
        population = s.scalar(
            select(func.sum(AreaPopulation.population)).where(
                AreaPopulation.area_id == leics.area_id, AreaPopulation.year == year
            )
        )
    answer = people(ASSURER).get("/comparisons/spend?year=2025&format=csv")
    (row,) = [r for r in csv.DictReader(io.StringIO(answer.text)) if r["Area"] == "Leicestershire"]
    # Seed 000's spend table: £78,073,138 in all, £2,045,173 on acute.
    for column, pounds in (("Total", 78_073_138), ("Acute", 2_045_173)):
        each = (Decimal(pounds) / population).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert row[column] == f"£{each:,}"
    assert people(ASSURER).get("/comparisons/spend").status_code == 200


def _part(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"')[1].split("<h2")[0]


def test_an_assurers_home_lists_what_awaits_their_rating_and_no_plan_table(people):
    assurer = people(ASSURER)
    home = assurer.get("/").text
    # The dashboard's own filter is the reference: submitted and not yet rated, this year.
    awaiting = list(
        csv.DictReader(
            io.StringIO(
                assurer.get(
                    "/assurance?year=2025&status=submitted&rating=not_rated&format=csv"
                ).text
            )
        )
    )
    assert awaiting, "the national fixture has submitted 2025 plans in the Midlands"
    assert f"{len(awaiting)} submitted and awaiting your rating" in home
    listed = re.findall(r'href="/assurance/plans/(\d+)"', _part(home, "awaiting-rating"))
    assert len(listed) == min(len(awaiting), 10)
    assert 'href="/assurance"' in home and 'href="/plans"' in home
    assert 'id="plans"' not in home and "Places</h2>" not in home  # no list of every plan or area
    plan_id = listed[0]
    saved = assurer.post(
        f"/assurance/plans/{plan_id}",
        RATED_WITH_CONDITIONS
        | {
            "escalated": "yes",
            "escalation_note": "Raised with the national team",
        },
    )
    assert saved.status_code == 303, re.findall(r"error-message[^>]*>(.*?)<", saved.text, re.S)
    home = assurer.get("/").text
    assert f'/assurance/plans/{plan_id}"' not in _part(home, "awaiting-rating")
    assert f'/assurance/plans/{plan_id}"' in _part(home, "escalated")


def test_the_plans_list_is_read_a_page_at_a_time(people):
    assurer = people(ASSURER)
    first = assurer.get("/plans").text
    listed = re.findall(r'<a href="/plans/(\d+)">', first)
    # The download is the reference: every plan the assurer may read; a page shows 50 at most.
    every = list(csv.DictReader(io.StringIO(assurer.get("/plans?format=csv").text)))
    assert len(listed) == min(len(every), 50)
    if len(every) > 50:
        second = re.findall(r'<a href="/plans/(\d+)">', assurer.get("/plans?page=2").text)
        assert second and not set(second) & set(listed)
        assert 'href="/plans?page=2"' in first
