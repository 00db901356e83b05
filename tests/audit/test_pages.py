"""The audit history page and its CSV, as a signed-in reader sees them: names, labels and pounds,
one entry per user action, filters that keep to their page, pages of 50."""

from __future__ import annotations

import csv
import io
import re

from tests.audit.factory import change_line, separate_actions
from tests.factories import add_budget


def test_a_budget_line_change_reads_in_pounds_with_names(browser, sessions, world):
    add_budget(sessions, world)
    change_line(sessions, world, 60_000_00)  # £50,000.00 -> £60,000.00
    page = browser("county-viewer").get(f"/audit?plan={world.plan_id}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Audit history of the plan County BCF 2025-26</h1>" in html
    assert "county editor changed Line S2-1 of Acute discharge team" in html
    assert "Amount: from £50,000.00 to £60,000.00" in html
    # nothing of the log's own spelling in what people read: keys, column names, pence
    text = re.sub(r"<[^>]+>", " ", html)
    for raw in (f"plan:{world.plan_id}", "amount_pence", "5000000", "bcf_line", "_"):
        assert raw not in text, raw


def test_the_plan_page_links_to_its_whole_history(browser, world):
    page = browser("county-viewer").get(f"/plans/{world.plan_id}")
    assert f'href="/audit?plan={world.plan_id}"' in page.text


def test_one_records_history_is_headed_by_its_name(browser, sessions, world):
    add_budget(sessions, world)
    change_line(sessions, world, 60_000_00)
    page = browser("county-viewer").get(f"/audit?entity=bcf_line:{world.line_id}")
    assert "<h1>Audit history of Line S2-1 of Acute discharge team</h1>" in page.text
    # the line was added by the budget's load and changed on its form: two actions
    assert "2 actions" in page.text


def test_pages_of_fifty_with_previous_and_next(browser, sessions, world):
    separate_actions(sessions, 120)
    reader = browser("system-admin")  # the notes belong to no plan: the system-wide role reads them
    # 120 notes, each its own action (the kind leaves out the world's set-up): 50, 50 and 20
    first = reader.get("/audit?kind=note").text
    assert "120 actions: page 1 of 3" in first
    assert 'href="/audit?kind=note&amp;page=2"' in first and "Previous" not in first
    third = reader.get("/audit?kind=note&page=3").text
    assert third.count('<tr class="nhsuk-table__row">') == 20
    assert 'href="/audit?kind=note&amp;page=2"' in third and ">Next<" not in third


def test_the_csv_has_the_filtered_changes_in_pounds_and_names(browser, sessions, world):
    add_budget(sessions, world)
    change_line(sessions, world, 60_000_00)
    answer = browser("county-viewer").get(
        f"/audit?format=csv&entity=bcf_line:{world.line_id}&person=county-editor"
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == [
        "Time (UK)",
        "Person",
        "Action",
        "Record",
        "Change",
        "Field",
        "Before",
        "After",
    ]
    [row] = rows[1:]
    assert row[1:] == [
        "county editor",
        "county editor changed Line S2-1 of Acute discharge team",
        "Line S2-1 of Acute discharge team",
        "changed",
        "Amount",
        "£50,000.00",
        "£60,000.00",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[0])


def test_signed_out_and_bad_filters(browser, world):
    assert browser(None).get("/audit").status_code == 401
    reader = browser("county-viewer")
    assert reader.get("/audit?from=yesterday").status_code == 400
    assert reader.get("/audit?page=0").status_code == 400
    assert reader.get("/audit?plan=").status_code == 200  # "All plans" in the form
