"""The narrative's pages in a real browser, with axe-core on every page (WCAG 2.2 AA). Reads and a
refused save only: the demo server is shared by every browser test, and a saved narrative change
would make the demo plan's decisions stale for them."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

LEAD = "bcf.lead@leics.demo"
PLAN = 5  # the demo's Leicestershire BCF plan 2025-26 (README: `bcf summary 5`)


def test_the_lead_reads_and_opens_the_narrative(page):
    sign_in(page, LEAD)
    page.goto(f"/plans/{PLAN}")
    page.page.get_by_role("link", name=re.compile("See the narrative")).click()
    page.check_accessibility()
    headings = page.page.locator("main h3").all_inner_texts()
    assert headings[0] == "Overview" and headings[-1] == "Local priorities and legal duties"
    assert page.page.locator("main table").count() == 2  # the headings, and the UEC priorities
    page.goto(f"/plans/{PLAN}/narrative/overview/edit")
    page.page.get_by_label("Text").fill("")
    page.page.get_by_role("button", name="Save a new version").click()
    page.check_accessibility()  # the form again, with its error
    assert "enter the text" in page.page.locator(".nhsuk-error-summary").inner_text()
    page.goto(f"/plans/{PLAN}/narrative/overview/versions")
    page.goto(f"/plans/{PLAN}/narrative/uec/new")
