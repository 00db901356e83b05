"""The plan page in a real browser, with axe-core on every page: a lead reads a plan's sign-off
chain, and an approver records a decision through the page's own form."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser


def test_a_signed_in_lead_reads_the_leicestershire_2025_26_sign_off_chain(page):
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/areas/E10000018")
    page.page.get_by_role("link", name=re.compile(r"Better Care Fund plan 2025-26")).first.click()
    page.check_accessibility()
    assert page.page.get_by_role("heading", level=1).inner_text().strip()
    chain = page.page.locator("#sign-off ~ table").first.locator("tbody tr")
    rows = [chain.nth(i).inner_text() for i in range(chain.count())]
    assert rows, "the plan shows no sign-off chain"
    assert any("Health and Wellbeing Board" in r for r in rows), rows


def test_an_approver_records_a_sign_off_through_the_form(page):
    """Submits the page's own form, with the CSRF token the page itself carries. The chain
    decides in order: the Board approved on version 1, so the council's chief executive (step 2)
    is the step offered, open, to the council's approver."""
    sign_in(page, _user("approver", "leics-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    step = page.page.locator("tr[data-step]", has_text="Chief executive, Leicestershire")
    position = step.get_attribute("data-step")
    assert position == "2"
    assert page.page.locator("details", has_text="Record the decision of step").count() == 1
    form = page.page.locator("details", has_text=f"Record the decision of step {position}")
    form.get_by_label("Approved").check()
    form.get_by_label("Date of the decision").fill("2025-03-20")
    form.get_by_role("button", name="Record decision").click()
    page.check_accessibility()
    row = page.page.locator(f"tr[data-step='{position}']").inner_text()
    assert "Approved" in row and "20 March 2025" in row
