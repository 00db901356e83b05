"""People's journeys through the LLR demo in a real browser, with axe-core on every page."""

from __future__ import annotations

import re

from placeplan.demo.loader import DEMO_PASSWORD, demo_users


def _user(role: str, organisation: str) -> str:
    return next(
        u["username"]
        for u in demo_users()
        if u["role"] == role and u["organisation"] == organisation
    )


def sign_in(page, username: str) -> None:
    page.goto("/sign-in")
    page.page.get_by_label("Username").fill(username)
    page.page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.page.get_by_role("button", name="Sign in").click()
    page.page.wait_for_url(re.compile(r".*/$"))
    page.check_accessibility()


def test_a_signed_in_lead_reads_the_leicestershire_2025_26_sign_off_chain(page):
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/areas/E10000018")
    page.page.get_by_role("link", name=re.compile(r"Better Care Fund plan 2025-26")).first.click()
    page.check_accessibility()
    assert page.page.get_by_role("heading", level=1).inner_text().strip()
    chain = page.page.locator("#sign-off + table tbody tr")
    rows = [chain.nth(i).inner_text() for i in range(chain.count())]
    assert rows, "the plan shows no sign-off chain"
    assert any("Health and Wellbeing Board" in r for r in rows), rows


def test_every_public_page_is_accessible_signed_out(page):
    for path in (
        "/",
        "/areas",
        "/areas/E06000016",
        "/areas/E06000017",
        "/organisations",
        "/bodies",
        "/plans",
        "/sign-in",
    ):
        page.goto(path)
    page.page.get_by_role("link", name="Organisations").first.click()
    page.page.locator("main table a").first.click()
    page.check_accessibility()
    page.goto("/bodies")
    page.page.locator("main table a").first.click()
    page.check_accessibility()


def test_signed_in_pages_are_accessible(page):
    sign_in(page, _user("approver", "leics-cc"))
    for path in ("/account", "/plans", "/audit"):
        page.goto(path)
    page.page.locator("main table a").first.click()  # one record's own history
    page.check_accessibility()
    page.goto("/plans")
    page.page.locator("main table a").first.click()
    page.check_accessibility()
    edit = page.page.get_by_role("link", name="Edit plan details")
    if edit.count():
        edit.click()
        page.check_accessibility()


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


def test_an_analyst_runs_the_demo_capacity_model(page):
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()
    page.check_accessibility()
    page.page.get_by_role("link", name="LLR intermediate care 2025-26").click()
    page.check_accessibility()
    page.page.get_by_label("Replications").fill("50")
    page.page.get_by_role("button", name=re.compile("^Run")).click()
    page.check_accessibility()
    assert "replications" in page.page.locator("main").inner_text()


def test_an_approver_records_a_sign_off_through_the_form(page):
    """Submits the page's own form, with the CSRF token the page itself carries."""
    sign_in(page, _user("approver", "leics-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    step = page.page.locator("tr[data-step]", has_text="Section 151 officer")
    position = step.get_attribute("data-step")
    page.page.get_by_text(f"Record the decision of step {position}").click()
    form = page.page.locator("details", has_text=f"Record the decision of step {position}")
    form.get_by_label("Approved").check()
    form.get_by_label("Date of the decision").fill("2025-03-20")
    form.get_by_role("button", name="Record decision").click()
    page.check_accessibility()
    row = page.page.locator(f"tr[data-step='{position}']").inner_text()
    assert "Approved" in row and "20 March 2025" in row


def test_a_board_member_reads_an_spc_chart(page):
    page.goto("/board")
    page.page.get_by_role(
        "link", name="Emergency admissions, people aged 65 and over"
    ).first.click()
    page.check_accessibility()
    chart = page.page.locator("figure.pp-spc svg[role='img']")
    assert chart.count() == 1
    assert page.page.get_by_role("table", name="The figures behind the chart").is_visible()


def test_a_programme_lead_opens_the_tracker_update_form_and_highlight_report(page):
    sign_in(page, _user("editor", "leicester-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name=re.compile("strategy delivery plan 2023-2025", re.I)).click()
    page.page.get_by_role("link", name=re.compile("See the delivery tracker")).click()
    page.check_accessibility()
    plan_path = page.page.url.split("/plans/")[1].split("/")[0]
    for path in (f"/plans/{plan_path}/delivery/update", f"/plans/{plan_path}/delivery/highlight"):
        page.goto(path)
