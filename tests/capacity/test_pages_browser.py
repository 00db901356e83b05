"""A capacity run in a real browser: its page while the run is made in the background, and once
it has finished (results, fan charts), with axe-core each time; and the predicted metric on the
plan's metrics page; and an analyst running the demo's model from its page."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser


def test_a_run_page_follows_the_run_and_shows_its_results(page):
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()
    page.page.get_by_role("link", name="LLR intermediate care 2025-26").click()
    page.check_accessibility()
    # enough replications that the page is seen before the run is made
    page.page.get_by_label("Replications").fill("2000")
    page.page.get_by_role("button", name=re.compile("^Run")).click()
    page.page.wait_for_url(re.compile(r".*/capacity/runs/\d+$"))
    # 2,000 replications of the demo take seconds (benchmarks/capacity.py: about 2-3 s per 1,000)
    status = page.page.locator("#run-status-tag").inner_text()
    assert status in ("Queued", "Running"), status
    progress = page.page.get_by_label(re.compile(r"replications done|In progress"))
    assert progress.count() == 1
    page.check_accessibility()  # while it runs
    live = page.page.locator("#run-announce")
    assert live.get_attribute("aria-live") == "polite"
    # the page's own script polls the API and swaps the results in when the run finishes
    page.page.wait_for_selector("#run-status-tag:text('Finished')", timeout=120_000)
    assert "has finished" in live.inner_text()
    page.check_accessibility()  # finished: the results, each service's detail closed
    for summary in page.page.locator("main details > summary").all():
        summary.click()  # open every service's month-by-month detail
    page.check_accessibility()  # and with the fan charts and their tables in view
    charts = page.page.locator("svg.pp-fan-chart[role='img']")
    assert charts.count() == 8  # 4 services x (occupancy, queue)
    # services by their plain names, not P1/P2/P3 codes
    p2 = "bedded discharge to assess (therapy-led D2A and community hospital therapy beds)"
    assert page.page.get_by_role(
        "table", name=f"{p2}: places occupied by month across replications"
    ).is_visible()
    main_text = page.page.locator("main").inner_text()
    assert "interim days a month" in main_text and "delayed bed days a month" in main_text
    assert "Predicted BCF discharge delay metric" in page.page.locator("main").inner_text()
    run_id = page.page.url.rsplit("/", 1)[1]
    # the plan's metrics page shows the prediction of this run
    models = page.page.locator("main a[href^='/plans/'][href$='/capacity']").first
    plan_path = (models.get_attribute("href") or "").removesuffix("/capacity")
    page.goto(f"{plan_path}/metrics")
    assert page.page.get_by_role(
        "link", name=re.compile(rf"Capacity model .*, run {run_id}$")
    ).is_visible()


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


def test_the_icb_analyst_sizes_p2_for_a_target_picked_in_words(page):
    # the demo's ICB analyst is an editor of models (issue 13)
    sign_in(page, "analyst@icb.demo")
    page.goto("/plans")
    page.page.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()
    page.page.get_by_role("link", name="LLR intermediate care 2025-26").click()
    assert page.page.get_by_role("button", name=re.compile("^Run")).is_visible()
    p2 = "bedded discharge to assess (therapy-led D2A and community hospital therapy beds)"
    page.page.get_by_label("Service").select_option(label=p2)
    page.page.get_by_label("Measure").select_option(label="Mean wait (days)")
    page.page.get_by_label("Comparison").select_option(label="less than")
    page.page.get_by_label("Value").fill("2")
    page.page.get_by_role("button", name="Find the capacity needed").click()
    page.page.wait_for_url(re.compile(r".*/capacity/\d+\?sizing=.*"))
    page.check_accessibility()  # the progress, or (if quick) the answer
    # the page's own script swaps the answer in when the sizing is done
    page.page.wait_for_selector("#sizing-body[data-done='true'] dl", timeout=120_000)
    answer = page.page.locator("#sizing-body").inner_text()
    assert f"{p2}: mean wait less than 2 days" in answer and "Capacity needed" in answer
    page.check_accessibility()
