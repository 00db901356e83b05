"""The Five-Year Plan's pledges and interventions in a real browser, with axe-core on every page."""

from __future__ import annotations

import re

import pytest

from placeplan.demo.loader import DEMO_PASSWORD, demo_users

pytestmark = pytest.mark.browser


def _sign_in(page, role: str, organisation: str) -> None:
    username = next(
        u["username"]
        for u in demo_users()
        if u["role"] == role and u["organisation"] == organisation
    )
    page.goto("/sign-in")
    page.page.get_by_label("Username").fill(username)
    page.page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.page.get_by_role("button", name="Sign in").click()
    page.page.wait_for_url(re.compile(r".*/$"))


def test_a_board_member_reads_the_pledges_and_interventions(page):
    _sign_in(page, "viewer", "llr-icb")
    page.goto("/plans/4")
    page.page.get_by_role("link", name=re.compile("See the pledges")).click()
    page.check_accessibility()
    rows = page.page.locator("main table tbody tr")
    assert rows.count() == 13  # seed 003, Table 13
    assert "LDA Collaborative" in page.page.locator('tr[data-pledge="9"]').inner_text()
    page.page.get_by_role("link", name=re.compile("Pledge 9:")).click()
    page.check_accessibility()
    assert "Met" in page.page.locator('tr[data-measure="9.1"]').inner_text()
    assert page.page.get_by_role("button", name=re.compile("Save measure")).count() == 0
    page.goto("/plans/4/interventions")
    assert page.page.locator("figure svg").count() == 12  # one chart per table of interventions
    page.goto("/plans/4/pledges/12")


def test_an_editor_records_a_latest_value(page):
    _sign_in(page, "editor", "llr-icb")
    page.goto("/plans/4/pledges/5")
    page.page.locator("summary", has_text="Measure 5.1").click()
    page.page.get_by_label(re.compile("Latest value")).fill("much")
    page.page.get_by_label("Period it is for").fill("2024-25 Q1")
    page.page.get_by_role("button", name="Save measure 5.1").click()
    page.check_accessibility()  # the form shown again with its error
    assert "is not a number" in page.page.locator(".nhsuk-error-summary").inner_text()
    page.page.get_by_label(re.compile("Latest value")).fill("29")
    page.page.get_by_role("button", name="Save measure 5.1").click()
    page.page.wait_for_url(re.compile(r".*/pledges/5(#measures)?$"))
    page.check_accessibility()
    # 29 minutes is within the 30-minute target (seed 003, Table 13, pledge 5): met.
    assert "Met" in page.page.locator('tr[data-measure="5.1"]').inner_text()
