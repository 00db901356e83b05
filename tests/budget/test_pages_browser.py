"""The budget pages in a real browser, with axe-core on every page: a lead reads the pooled
budget, filters its lines and opens a scheme."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser


def test_a_lead_reads_the_budget_filters_lines_and_opens_a_scheme(page):
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("See the pooled budget")).click()
    page.check_accessibility()
    table = page.page.get_by_role("table", name="Spend by category")
    # Seed 000's table: the three categories to the pound.
    for figure in ("£2,045,173.00", "£19,604,623.00", "£56,423,342.00", "£78,073,138.00"):
        assert figure in table.inner_text()
    page.page.get_by_label("Category", exact=True).select_option("acute")
    page.page.get_by_role("button", name="Show lines").click()
    page.check_accessibility()
    caption = page.page.locator("#expenditure ~ table caption").first.inner_text()
    assert "expenditure line" in caption
    page.page.locator("#expenditure ~ table tbody a").first.click()
    page.check_accessibility()
    assert page.page.get_by_role("heading", name="KLOE reviews").is_visible()
