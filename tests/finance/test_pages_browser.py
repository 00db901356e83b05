"""The LLR medium-term financial plan in a real browser, with axe-core on each page: the model
with its tables, charts and sensitivity; a line's form refusing a rate without a base; the
allocation."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser


def test_a_planner_reads_and_edits_the_financial_model(page):
    sign_in(page, _user("editor", "llr-icb"))
    page.goto("/plans")
    page.page.get_by_role("link", name="LLR Five-Year Plan 2023/24 to 2027/28").click()
    page.page.get_by_role("link", name=re.compile("money over the plan's years")).click()
    page.check_accessibility()
    page.page.get_by_role("link", name="Medium-term financial plan").click()
    page.check_accessibility()
    assert page.page.locator("svg.pp-finance-chart[role='img']").count() == 3
    # Seed 003, Table 18: the proposal challenge of 10 (£000).
    bridge = page.page.locator("#table-bridge")
    assert "10" in bridge.locator("tr", has_text="Proposal challenge").inner_text()
    page.page.get_by_role("link", name="Growth").click()
    page.check_accessibility()
    page.page.locator("#amount_2024").fill("")
    page.page.locator("#rate_2024").fill("2")
    page.page.get_by_role("button", name="Save").click()
    assert "The rate for 2024-25 needs a base" in page.page.locator("main").inner_text()
    page.check_accessibility()  # the refused form, its error summary and the field's message


def test_the_allocation_page(page):
    sign_in(page, _user("viewer", "llr-icb"))
    page.goto("/plans")
    page.page.get_by_role("link", name="LLR Five-Year Plan 2023/24 to 2027/28").click()
    page.page.get_by_role("link", name=re.compile("money over the plan's years")).click()
    page.page.get_by_role("link", name=re.compile("Mental health investment")).click()
    page.check_accessibility()
    assert "Illustrative" in page.page.locator("main").inner_text()
