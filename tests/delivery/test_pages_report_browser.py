"""The delivery reports in a real browser: the exception report and the plan on a page (and the
highlight page they sit beside), each checked with axe-core against WCAG 2.2 AA; and a programme
lead opening the tracker's update form."""

from __future__ import annotations

import re

import pytest

from placeplan.demo.loader import DEMO_PASSWORD, demo_users
from tests.fixtures.browser import _user, sign_in

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


def _tracker(page) -> str:
    page.goto("/plans")
    page.page.get_by_role("link", name=re.compile("strategy delivery plan 2023-2025", re.I)).click()
    page.page.get_by_role("link", name=re.compile("See the delivery tracker")).click()
    page.check_accessibility()
    return page.page.url.split("/plans/")[1].split("/")[0]


def test_a_board_member_reads_the_plan_on_a_page(page):
    _sign_in(page, "viewer", "healthwatch-ll")
    _tracker(page)
    page.page.get_by_role("link", name="Plan on a page").click()
    page.check_accessibility()
    assert page.page.get_by_role("heading", level=1).inner_text().strip() == "Plan on a page"
    # Seed 004's five themes, each a heading of its own.
    themes = page.page.locator(".pp-oap__theme h2")
    assert themes.count() == 5
    assert "Healthy Places" in themes.first.inner_text()
    assert page.page.locator("figure svg[role='img']").count() == 1
    table = page.page.get_by_role("table", name=re.compile("Actions by theme and overall rating"))
    assert table.is_visible()
    # The ratings are words with shapes, readable without colour.
    assert "Not rated" in table.inner_text()


def test_a_board_member_reads_the_exception_report(page):
    _sign_in(page, "viewer", "healthwatch-ll")
    plan = _tracker(page)
    page.page.get_by_role("link", name="Exception report (reds only)").click()
    page.check_accessibility()
    # 2023-24 Q4: the demo's ILLUSTRATIVE updates have HP2.4 red, with a decision asked for.
    page.goto(f"/plans/{plan}/delivery/exception?period=2023-24+Q4")
    assert "Exception report: 2023-24 Q4" in page.page.get_by_role("heading", level=1).inner_text()
    reds = page.page.locator("#reds tbody tr")
    assert reds.count() == 1 and "HP2.4" in reds.first.inner_text()
    page.page.locator("#rag-definitions summary").click()  # the definitions, opened
    page.check_accessibility()
    page.goto(f"/plans/{plan}/delivery/highlight?period=2023-24+Q4")
    assert page.page.locator("#changes tbody tr").count() >= 1


def test_a_programme_lead_opens_the_tracker_update_form_and_highlight_report(page):
    sign_in(page, _user("editor", "leicester-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name=re.compile("strategy delivery plan 2023-2025", re.I)).click()
    page.page.get_by_role("link", name=re.compile("See the delivery tracker")).click()
    page.check_accessibility()
    plan_path = page.page.url.split("/plans/")[1].split("/")[0]
    for path in (f"/plans/{plan_path}/delivery/update", f"/plans/{plan_path}/delivery/highlight"):
        page.goto(path)
