"""Finding things in a real browser, each page checked with axe-core against WCAG 2.2 AA: the
signed-in home page (what waits for me), the header's search box and its results, and the
tracker's ratings by period."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser


def test_an_approver_finds_their_work_a_scheme_and_the_ratings_by_period(page):
    sign_in(page, "s151@leics.demo")  # an approver of Leicestershire County Council
    p = page.page
    assert p.get_by_role("heading", level=1, name="What waits for you").is_visible()
    assert p.get_by_role("heading", level=2, name="Sign-offs to decide").is_visible()
    assert p.locator("#waiting-sign-off + ul li").count() >= 1  # the demo leaves steps open

    # The search box sits in every page's header.
    p.get_by_label("Search plans, schemes, metrics, actions, pledges and organisations").first.fill(
        "discharge"
    )
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(r".*/search\?q=discharge$"))
    page.check_accessibility()
    assert p.get_by_role("heading", level=2, name="Schemes").is_visible()
    p.locator("#results-scheme + ul a").first.click()
    p.wait_for_url(re.compile(r".*/schemes/\d+$"))
    crumbs = p.get_by_role("navigation", name="Breadcrumb").locator("a.nhsuk-breadcrumb__link")
    assert crumbs.last.inner_text().strip() == "Budget"

    # Leicester's delivery plan is read by Leicester's people (a county approver may not read
    # another council's unpublished plan): Leicester's approver opens its ratings by period.
    p.context.clear_cookies()
    sign_in(page, "approver@leicester.demo")
    page.goto("/plans")
    p.get_by_role("link", name=re.compile("strategy delivery plan 2023-2025", re.I)).click()
    p.get_by_role("link", name=re.compile("See the delivery tracker")).click()
    p.get_by_role("link", name="Ratings by period").click()
    page.check_accessibility()
    grid = p.get_by_role("table", name="Overall rating of each action by reporting period")
    assert grid.is_visible()
    assert "2023-24 Q3" in grid.locator("thead").inner_text()
