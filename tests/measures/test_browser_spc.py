"""SPC as a person meets it: the board's icon summary filtered by area and measure, a chart with
dates, labelled lines and the MDC icons, and a Leicester lead recording a recalculation and an
annotation through the real forms; axe-core checks every page on the way (WCAG 2.2 AA)."""

from __future__ import annotations

import os
import re

import pytest

from tests.fixtures.browser import _user, sign_in

pytestmark = pytest.mark.browser

# Leicester's discharge delay: no other browser test writes to it (the live server is shared).
PAGE = "/areas/E06000016/metrics/discharge_delay"
SHOTS = os.environ.get("PLACEPLAN_SCREENSHOTS")  # a folder: save what the person saw there


def _shot(page, name: str, selector: str = "main") -> None:
    if SHOTS:
        page.page.locator(selector).first.screenshot(path=f"{SHOTS}/{name}.png")


def test_the_board_shows_mdc_icons_with_words_and_filters(page):
    page.goto("/board")
    table = page.page.locator("table.pp-spc-summary")
    icons = table.locator("svg[role=img]")
    assert icons.count() > 0
    labels = {icons.nth(i).get_attribute("aria-label") for i in range(icons.count())}
    assert labels <= {
        "Common cause variation",
        *(
            f"Special cause variation: {k} ({s})"
            for k in ("improvement", "concern")
            for s in ("high", "low")
        ),  # fmt: skip
        "Assurance: consistently passes the target",
        "Assurance: consistently fails the target",
        "Assurance: hit and miss against the target",
    }
    # each icon's words are printed beside it, not only in its accessible name
    first = table.locator("tbody tr").first
    assert re.search(r"variation", first.inner_text())
    page.page.get_by_label("Area").select_option(label="Leicester")
    page.page.get_by_label("Measure").select_option(
        label="Average length of discharge delay (days)"
    )
    page.page.get_by_role("button", name="Show").click()
    page.page.wait_for_url(re.compile(r".*area=E06000016.*metric=discharge_delay"))
    page.check_accessibility()
    rows = page.page.locator("table.pp-spc-summary tbody tr")
    assert rows.count() == 1 and "Leicester" in rows.first.inner_text()
    assert re.search(r"\d\.\d+ days", rows.first.inner_text())  # the value with its unit
    link = page.page.get_by_role("link", name=re.compile("Download"))
    assert "area=E06000016" in (link.get_attribute("href") or "")
    _shot(page, "board")


def test_a_lead_recalculates_and_annotates_the_chart(page):
    page.goto(PAGE)
    chart = page.page.locator("figure.pp-spc svg.spc-chart")
    ticks = chart.locator("text.x-tick").all_text_contents()
    assert ticks and all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t) for t in ticks)
    assert (chart.locator("text.label-mean").text_content() or "").startswith("Mean ")
    assert page.page.get_by_role("link", name=re.compile("Recalculate the limits")).count() == 0
    sign_in(page, _user("editor", "leicester-cc"))
    page.goto(PAGE)
    page.page.get_by_role("link", name=re.compile("Recalculate the limits")).click()
    page.check_accessibility()
    months = page.page.locator("#rebase-period option").all_inner_texts()
    chosen = months[5]  # six months before the latest
    page.page.locator("#rebase-period").select_option(label=chosen)
    page.page.get_by_role("button", name="Recalculate the limits from this period").click()
    page.check_accessibility()  # no reason: the error summary and the field's message
    assert page.page.get_by_role("link", name=re.compile("Enter the reason")).count() == 1
    page.page.get_by_label("What changed in the process").fill("Discharge hub opened")
    page.page.get_by_role("button", name="Recalculate the limits from this period").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    page.check_accessibility()
    assert "Discharge hub opened" in page.page.locator("main").inner_text()
    page.page.locator("#annotation-period").select_option(label=months[8])
    page.page.get_by_label("Intervention or change").fill("Home first pilot began")
    page.page.get_by_role("button", name="Add the annotation").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    page.goto(PAGE)
    chart = page.page.locator("figure.pp-spc svg.spc-chart")
    assert chart.locator("text.rebase-label").text_content() == f"Recalculated from {chosen}"
    assert chart.locator("line.mean").count() == 2
    assert "Home first pilot began" in page.page.locator("main").inner_text()
    _shot(page, "chart", "figure.pp-spc")
    _shot(page, "chart-page", "main dl")


def test_a_lead_changes_and_removes_a_recalculation_and_an_annotation(page):
    """Leaves the chart as it found it: what it adds, it removes."""
    sign_in(page, _user("editor", "leicester-cc"))
    page.goto(f"{PAGE}/chart")
    months = page.page.locator("#rebase-period option").all_inner_texts()
    page.page.locator("#rebase-period").select_option(label=months[3])
    page.page.get_by_label("What changed in the process").fill("Seven-day social work began")
    page.page.get_by_role("button", name="Recalculate the limits from this period").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    page.page.get_by_role(
        "link", name=f"Change or remove the recalculation from {months[3]}"
    ).click()
    page.check_accessibility()
    page.page.get_by_label("What changed in the process").fill("Seven-day social work started")
    page.page.get_by_role("button", name="Save the recalculation").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    assert "Seven-day social work started" in page.page.locator("main").inner_text()
    page.page.get_by_role(
        "link", name=f"Change or remove the recalculation from {months[3]}"
    ).click()
    page.page.get_by_role("button", name="Remove the recalculation").click()
    page.check_accessibility()  # no reason: the error summary and the field's message
    assert page.page.get_by_role("link", name=re.compile("Enter why")).count() == 1
    page.page.get_by_label("Why the recalculation is removed").fill("Recorded on the wrong chart")
    page.page.get_by_role("button", name="Remove the recalculation").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    assert "Seven-day social work started" not in page.page.locator("main").inner_text()

    page.page.locator("#annotation-period").select_option(label=months[4])
    page.page.get_by_label("Intervention or change").fill("Falls response car")
    page.page.get_by_role("button", name="Add the annotation").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    page.page.get_by_role("link", name=f"Change or remove the annotation at {months[4]}").click()
    page.check_accessibility()
    page.page.get_by_role("button", name="Remove the annotation").click()
    page.page.wait_for_url(re.compile(r".*/chart$"))
    assert "Falls response car" not in page.page.locator("main").inner_text()
