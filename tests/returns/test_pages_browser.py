"""The Leicestershire plan's spend, its Q3 return and the HWB's board pack page in a real browser,
with axe-core on every page (the demo's spend is illustrative, and the pages say so)."""

from __future__ import annotations

import re

import pytest

from placeplan.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.browser

LEAD = "bcf.lead@leics.demo"


def test_the_bcf_lead_reads_the_spend_and_the_q3_return_and_finds_the_pack(page):
    page.goto("/sign-in")
    page.page.get_by_label("Username").fill(LEAD)
    page.page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.page.get_by_role("button", name="Sign in").click()
    page.page.wait_for_url(re.compile(r".*/$"))
    page.goto("/plans/5")
    page.page.get_by_role("link", name=re.compile("actual spend and the quarterly")).click()
    page.check_accessibility()
    assert "Confirmed by" in page.page.locator("main table").inner_text()
    page.page.get_by_role("link", name="2025-26 Q3").click()
    page.check_accessibility()
    assert "Illustrative" in page.page.locator("main").inner_text()
    assert page.page.get_by_role("button", name="Save the draft").count() == 1
    page.page.get_by_role("link", name=re.compile("Spend by line to the end of 2025-26 Q3")).click()
    page.check_accessibility()
    assert "illustrative" in page.page.locator("main").inner_text()
    page.goto("/bodies")
    page.page.get_by_role("link", name="Leicestershire Health and Wellbeing Board").first.click()
    page.page.get_by_role("link", name=re.compile("board pack")).click()
    page.check_accessibility()
    assert page.page.get_by_label("Quarter").count() == 1
