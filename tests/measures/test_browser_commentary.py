"""A BCF lead writes the board's commentary on a month's figure through the real form."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser

PAGE = "/areas/E10000018/metrics/emergency_admissions_65_plus"


def test_a_lead_adds_commentary_to_a_month_and_the_public_sees_only_public_notes(page):
    page.goto(PAGE)
    figures = page.page.locator("#figures")
    # The demo's public note on July 2024 (demo/data/measures.yaml) shows signed out; the
    # internal one on January 2025 does not.
    assert "falls response car" in figures.inner_text()
    assert "Coding backlog" not in figures.inner_text()
    sign_in(page, _user("editor", "leics-cc"))
    page.goto(PAGE)
    assert "Coding backlog" in page.page.locator("#figures").inner_text()
    page.page.get_by_role("link", name="Add commentary on 2024-05").click()
    page.check_accessibility()
    page.page.get_by_label(re.compile("What should the board read into 2024-05")).fill(
        "Bank holiday month: fewer elective discharges to step down."
    )
    page.page.get_by_label("Show this commentary to the public").check()
    page.page.get_by_role("button", name="Save commentary").click()
    page.page.wait_for_url(re.compile(r".*/metrics/emergency_admissions_65_plus#figures$"))
    page.check_accessibility()
    assert "Bank holiday month" in page.page.locator("#figures").inner_text()
    page.page.get_by_role("link", name="Change commentary on 2024-05").click()
    page.page.get_by_label(re.compile("What should the board read into")).fill("")
    page.page.get_by_role("button", name="Save commentary").click()
    page.check_accessibility()  # the error summary and the field's error message
    assert page.page.get_by_role("link", name=re.compile("write the commentary")).count() == 1
