"""A programme lead changes Leicester's delivery tracker through the real forms in chromium, with
axe-core on every page: edits an action, adds a milestone, marks one done, and uploads a tracker
workbook with a bad cell. These tests change the demo, so they get a demo server of their own."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.fixtures.browser import _user, demo_server, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its edits reach no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-edit")) as url:
        yield url


def open_tracker(page) -> str:
    """Sign in as Leicester City Council's editor and open the HWB delivery plan's tracker."""
    sign_in(page, _user("editor", "leicester-cc"))
    page.goto("/plans")
    page.page.get_by_role("link", name=re.compile("strategy delivery plan 2023-2025", re.I)).click()
    page.page.get_by_role("link", name=re.compile("See the delivery tracker")).click()
    page.check_accessibility()
    return page.page.url.split("/plans/")[1].split("/")[0]


def test_a_lead_edits_an_action_and_adds_a_milestone(page):
    plan = open_tracker(page)
    p = page.page
    p.get_by_role("link", name=re.compile(r"^HP2\.3")).click()
    page.check_accessibility()
    assert p.get_by_role("heading", level=1).inner_text() == "Edit action HP2.3"
    p.get_by_label("How will this demonstrate improvement?").fill(
        "More health checks for people on the learning disability register"
    )
    p.locator("#due_date-day").fill("31")
    p.locator("#due_date-month").fill("3")
    p.locator("#due_date-year").fill("2025")
    p.get_by_role("button", name="Save action HP2.3").click()
    page.check_accessibility()
    assert "Saved" in p.locator("#saved").inner_text()
    assert (
        p.get_by_label("How will this demonstrate improvement?")
        .input_value()
        .startswith("More health checks")
    )
    assert p.locator("#due_date-year").input_value() == "2025"

    p.get_by_role("link", name="Add a milestone").click()
    page.check_accessibility()
    p.get_by_label("By ...").fill("Publish the health check uptake by practice")
    # within the plan's period, 2023-24 to 2024-25: a milestone falls due by 31 March 2025
    p.locator("#due_date-day").fill("31")
    p.locator("#due_date-month").fill("1")
    p.locator("#due_date-year").fill("2025")
    p.get_by_role("button", name="Add milestone").click()
    page.check_accessibility()
    rows = p.locator("#milestones + table tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    # demo: HP2.3 has four activities in seed 004; the new one is the fifth.
    assert len(texts) == 5 and "Publish the health check uptake" in texts[-1], texts
    assert texts[-1].startswith("5")

    p.get_by_role("link", name=re.compile("Mark done milestone 5")).click()
    page.check_accessibility()
    p.get_by_role("button", name="Mark as done").click()
    page.check_accessibility()
    last = p.locator("#milestones + table tbody tr").nth(4).inner_text()
    assert "Not yet" not in last

    p.get_by_role("link", name=re.compile("Edit milestone 5")).click()
    page.check_accessibility()
    p.get_by_label("By ...").fill("")
    p.get_by_role("button", name="Save milestone").click()
    page.check_accessibility()  # the error summary too
    summary = p.locator(".nhsuk-error-summary")
    assert "needs its 'By ...' text" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert p.evaluate("document.activeElement.id") == "by_text"

    page.goto(f"/plans/{plan}/delivery/actions/new")
    p.get_by_role("button", name="Add action").click()
    page.check_accessibility()
    assert "Choose the priority" in p.locator(".nhsuk-error-summary").inner_text()


def _rows(ws, first: str, second: str | None = None) -> dict[tuple[str, ...], int]:
    """Row numbers by the refs in the columns headed `first` (and `second`)."""
    header = [c.value for c in ws[1]]
    a = header.index(first)
    b = header.index(second) if second else None
    return {
        (str(row[a].value),) + ((str(row[b].value),) if b is not None else ()): row[0].row
        for row in ws.iter_rows(min_row=2)
        if row[a].value
    }


def _column(ws, header: str) -> str:
    return next(c.column_letter for c in ws[1] if c.value == header)


def test_the_tracker_workbook_upload_is_previewed_then_confirmed(page, tmp_path):
    plan = open_tracker(page)
    p = page.page
    link = p.get_by_role("link", name="Download tracker (xlsx)")
    download = p.request.get(page.base + str(link.get_attribute("href")))
    assert download.ok
    wb = load_workbook(io.BytesIO(download.body()))
    ws = wb["Actions"]
    ws[f"{_column(ws, 'Overall RAG')}3"] = "Purple"
    bad = tmp_path / "tracker.xlsx"
    wb.save(bad)

    p.get_by_role("link", name="Upload the tracker workbook").click()
    page.check_accessibility()
    p.get_by_label("Tracker workbook").set_input_files(str(bad))
    p.get_by_role("button", name="Upload and check the changes").click()
    page.check_accessibility()
    summary = p.locator(".nhsuk-error-summary").inner_text()
    assert "was not imported" in summary
    assert "Actions, row 3, column Overall RAG" in summary and "Purple" in summary

    unchanged = tmp_path / "unchanged.xlsx"
    unchanged.write_bytes(download.body())
    page.goto(f"/plans/{plan}/delivery/import")
    p.get_by_label("Tracker workbook").set_input_files(str(unchanged))
    p.get_by_role("button", name="Upload and check the changes").click()
    page.check_accessibility()
    assert "there is nothing to save" in p.locator("main").inner_text()

    # demo/data/delivery_leicester_2023_25.yaml: HP2.2's milestone 4 and HP2.4's milestones 3
    # and 4 are due 31 March 2025, 30 June 2024 and 31 March 2025; each moves (3 milestones
    # changed, each within the plan's period, which ends 31 March 2025), and a new action HP2.5
    # goes under priority 2 (1 action added).
    wb = load_workbook(io.BytesIO(download.body()))
    actions, milestones = wb["Actions"], wb["Milestones"]
    due = _column(milestones, "Due")
    rows = _rows(milestones, "Action ref", "Milestone ref")
    for key, when in ((("HP2.2", "4"), date(2025, 2, 28)), (("HP2.4", "3"), date(2024, 9, 30)),
                      (("HP2.4", "4"), date(2025, 1, 31))):  # fmt: skip
        milestones[f"{due}{rows[key]}"] = when
    new_row = max(_rows(actions, "Action ref").values()) + 1
    actions[f"{_column(actions, 'Priority ref')}{new_row}"] = "2"
    actions[f"{_column(actions, 'Action ref')}{new_row}"] = "HP2.5"
    actions[f"{_column(actions, 'We will')}{new_row}"] = "Offer social prescribing in every PCN"
    changed = tmp_path / "tracker-changed.xlsx"
    wb.save(changed)
    page.goto(f"/plans/{plan}/delivery/import")
    p.get_by_label("Tracker workbook").set_input_files(str(changed))
    p.get_by_role("button", name="Upload and check the changes").click()
    page.check_accessibility()
    assert "1 action added, 3 milestones changed." in p.locator("#differences").inner_text()
    moved = p.get_by_role("table", name=re.compile("^Milestones"))
    assert moved.locator("tbody tr[data-change=changed]").count() == 3
    assert "30 June 2024" in moved.inner_text() and "30 September 2024" in moved.inner_text()
    added = p.get_by_role("table", name=re.compile("^Actions"))
    assert "HP2.5: Offer social prescribing in every PCN" in added.inner_text()
    p.get_by_role("button", name="Save these changes").click()
    page.check_accessibility()
    assert p.url.endswith(f"/plans/{plan}/delivery")
    notice = p.get_by_role("status").inner_text()
    assert "Saved the tracker workbook tracker-changed.xlsx" in notice
    assert "1 action added, 3 milestones changed" in notice
    assert p.get_by_role("link", name=re.compile(r"^HP2\.5")).count() == 1
