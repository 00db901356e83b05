"""The ICB analyst changes P2's capacity month by month on its form in a real browser, with
axe-core on every page: the model's page shows it, and a bad month is refused at its input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.browser import demo_server, sign_in

pytestmark = pytest.mark.browser

P2 = "bedded discharge to assess (therapy-led D2A and community hospital therapy beds)"
# the demo notes' example of P2 capacity by month as the 88 new beds come online
STEPS = [64, 64, 64, 75, 86, 97, 108, 119, 130, 141, 152, 152]


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its edits reach no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-capacity-forms")) as url:
        yield url


def test_the_analyst_changes_p2_s_capacity_by_month_on_its_form(page):
    sign_in(page, "analyst@icb.demo")
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()
    page.page.get_by_role("link", name="LLR intermediate care 2025-26").click()
    page.check_accessibility()
    model_url = page.page.url
    page.page.get_by_role("link", name="Change the services and settings on forms").click()
    page.check_accessibility()
    page.page.get_by_role("link", name=f"Change {P2}").click()
    page.check_accessibility()
    capacity = page.page.get_by_role("group", name="Capacity", exact=True)
    capacity.get_by_label("Month by month").check()
    page.check_accessibility()  # the twelve months shown
    for i, value in enumerate(STEPS):
        page.page.locator(f"#capacity_{i + 1}").fill(str(value))
    assert page.page.get_by_label("July 2025 (capacity)").input_value() == "75"
    page.page.get_by_role("button", name="Save service").click()
    page.page.wait_for_url(re.compile(r".*/capacity/\d+/scenario(#services)?$"))
    page.check_accessibility()
    main = page.page.locator("main").inner_text()
    assert "Service saved" in page.page.inner_text("body")
    assert "64 to 152 places by month; 20 more in December 2025" in main
    # the model's page: its scenario (the YAML kept) holds the months
    page.page.goto(model_url)
    page.check_accessibility()
    yaml_text = page.page.locator("#scenario_yaml").input_value()
    assert f"capacity: [{', '.join(map(str, STEPS))}]" in yaml_text
    # a bad month: refused, with the NHS error summary linking to its input
    page.page.get_by_role("link", name="Change the services and settings on forms").click()
    page.page.get_by_role("link", name=f"Change {P2}").click()
    page.page.locator("#capacity_4").fill("-5")
    page.page.get_by_role("button", name="Save service").click()
    page.page.wait_for_selector(".nhsuk-error-summary")
    page.check_accessibility()
    summary = page.page.locator(".nhsuk-error-summary")
    link = summary.get_by_role("link", name="Capacity in July 2025 must be at least 0, got -5")
    assert link.get_attribute("href") == "#capacity_4"
    link.click()
    assert page.page.evaluate("document.activeElement.id") == "capacity_4"
    assert page.page.locator("#capacity_4").input_value() == "-5"
    assert "must be at least 0, got -5" in page.page.locator("#capacity_4-error").inner_text()


def test_the_bcf_lead_builds_a_model_on_forms(page):
    sign_in(page, "bcf.lead@leics.demo")
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()
    page.page.get_by_role("link", name="Build a model on forms").click()
    page.check_accessibility()
    page.page.get_by_role("button", name="Add model").click()
    page.page.wait_for_selector(".nhsuk-error-summary")
    page.check_accessibility()
    page.page.get_by_label("Name", exact=True).first.fill("Step-up only")
    page.page.get_by_label("Month", exact=True).select_option(label="April")
    page.page.get_by_label("Year", exact=True).fill("2025")
    page.page.locator("#service_name").fill("community step-up beds")
    page.page.get_by_label(re.compile("^Step-up referrals")).check()
    page.page.locator("#arrivals").fill("1.5")
    page.page.locator("#los_distribution").select_option("exponential")
    page.page.locator("#los_mean").fill("14")
    page.page.locator("#capacity").fill("24")
    page.page.get_by_role("button", name="Add model").click()
    page.page.wait_for_url(re.compile(r".*/capacity/\d+/scenario$"))
    page.check_accessibility()
    main = page.page.locator("main").inner_text()
    assert "Community step-up beds" in main and "1.5 people a day" in main and "24 places" in main
