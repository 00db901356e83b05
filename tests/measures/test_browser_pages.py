"""The measures pages in chromium, each checked with axe-core: the breakdowns page (with its
charts and small numbers withheld from the public), the metric page and its on-track status, the
board and a plan's metrics."""

from __future__ import annotations

import re

import pytest

from placeplan.demo.loader import DEMO_PASSWORD
from placeplan.measures.domain.suppression import SUPPRESSED

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    page.goto("/sign-in")
    page.page.get_by_label("Username").fill(username)
    page.page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.page.get_by_role("button", name="Sign in").click()
    page.page.wait_for_url(re.compile(r".*/$"))
    page.check_accessibility()


def test_a_member_of_the_public_reads_who_is_left_behind_in_rutland(page):
    page.goto("/areas/E06000017/metrics/still_at_home_91_days")
    page.page.get_by_role("link", name=re.compile("by deprivation, ethnic group")).click()
    page.check_accessibility()
    assert page.page.url.endswith("/areas/E06000017/metrics/still_at_home_91_days/breakdowns")
    # Rutland's quintiles 1 (3 of 4) and 2 (5 of 6) are under 10 (measures.yaml, illustrative).
    quintiles = page.page.get_by_role("table", name=re.compile("IMD quintile"))
    assert (
        quintiles.get_by_role("row", name=re.compile("most deprived"))
        .inner_text()
        .count(SUPPRESSED)
        == 1
    )
    assert "The gap is not published" in page.page.content()
    charts = page.page.locator("svg.pp-breakdown-chart[role='img']")
    assert charts.count() == 3  # deprivation, sex and age band: Rutland has no other breakdowns


def test_a_signed_in_analyst_sees_the_gap_and_the_dsr_from_age_bands(page):
    sign_in(page, "analyst@icb.demo")
    page.goto("/areas/E06000017/metrics/still_at_home_91_days/breakdowns")
    assert "withheld from the public" in page.page.content()
    assert "a gap of" in page.page.content()
    page.goto("/areas/E06000016/metrics/falls_65_plus/breakdowns")
    text = page.page.content()
    assert "European Standard Population 2013" in text and "Dobson" in text


def test_the_metric_page_shows_on_track_status_and_the_board_its_latest(page):
    page.goto("/areas/E10000018/metrics/emergency_admissions_65_plus")
    table = page.page.get_by_role("table", name="The figures behind the chart")
    assert table.get_by_role("row", name=re.compile("^2024-04")).locator(".nhsuk-tag").count() == 1
    page.goto("/board")
    row = page.page.get_by_role(
        "row", name=re.compile("Emergency admissions, people aged 65 and over Leicestershire")
    )
    assert re.search(r"(?i)(on track|not on track)\s*\(Mar 2025\)", row.inner_text()), (
        row.inner_text()
    )


def test_a_plan_lead_reads_the_plans_ambitions_and_their_status(page):
    sign_in(page, "bcf.lead@leics.demo")
    page.goto("/plans")
    page.page.get_by_role("link", name=re.compile(r"2021-22")).first.click()
    plan = page.page.url.split("/plans/")[1].split("/")[0]
    page.goto(f"/plans/{plan}/metrics")
    status = page.page.get_by_role("table", name="Ambitions and whether they are on track")
    assert status.get_by_role("row").count() == 4  # the header and seed 002's three ambitions
    assert "No figure yet" in status.inner_text()


def test_a_board_member_reads_an_spc_chart(page):
    page.goto("/board")
    page.page.get_by_role(
        "link", name="Emergency admissions, people aged 65 and over"
    ).first.click()
    page.check_accessibility()
    chart = page.page.locator("figure.pp-spc svg.spc-chart[role='img']")
    assert chart.count() == 1
    assert page.page.get_by_role("table", name="The figures behind the chart").is_visible()
