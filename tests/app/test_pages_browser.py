"""A walk through the LLR demo's pages in a real browser, signed out and signed in, with axe-core
on every page."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser


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
