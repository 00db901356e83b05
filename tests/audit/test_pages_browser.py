"""The audit history in a real browser on the LLR demo, with axe-core on each page: an entry
opened to its records, and the history a plan's page links to, headed by the plan's title."""

from __future__ import annotations

from tests.fixtures.browser import _user, sign_in

PLAN = "Leicestershire Better Care Fund plan 2025-26"  # the demo's plan (demo/data)


def test_the_audit_history_reads_and_is_accessible(page):
    sign_in(page, _user("viewer", "leics-cc"))
    page.goto("/audit")
    entry = page.page.locator("main details").first
    entry.locator("summary").click()
    assert entry.locator("li").first.is_visible()
    page.check_accessibility()  # with an entry open

    page.goto("/plans")
    page.page.get_by_role("link", name=PLAN).first.click()
    page.page.get_by_role("link", name="History of changes to this record").click()
    heading = page.page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Audit history of {PLAN}"
    assert "demo-loader" in page.page.locator("main table").inner_text()
    page.check_accessibility()
