"""The audit history as JSON: the stored before and after, raw, with the readable form beside."""

from __future__ import annotations

from tests.audit.factory import change_line
from tests.factories import add_budget


def test_json_keeps_the_raw_states_and_adds_the_readable_form(browser, sessions, world):
    add_budget(sessions, world)
    change_line(sessions, world, 60_000_00)
    answer = browser("county-viewer").get(f"/api/v1/audit?entity=bcf_line:{world.line_id}")
    assert answer.status_code == 200
    latest = answer.json()[0]
    assert latest["entity"] == f"bcf_line:{world.line_id}"
    assert latest["plan_id"] == world.plan_id
    # raw, as stored: pence and ids
    assert latest["before"]["amount_pence"] == 5_000_000
    assert latest["after"]["amount_pence"] == 6_000_000
    assert latest["actor"] == "county-editor"
    # readable, beside it
    assert latest["person"] == "county editor"
    assert latest["record"] == "Line S2-1 of Acute discharge team"
    assert latest["record_kind"] == "line"
    assert latest["what"] == "changed"
    assert latest["changes"] == [
        {
            "field": "Amount",
            "before": 5_000_000,
            "after": 6_000_000,
            "before_text": "£50,000.00",
            "after_text": "£60,000.00",
        }
    ]


def test_json_filters_as_the_page_does(browser, sessions, world):
    add_budget(sessions, world)
    change_line(sessions, world, 60_000_00)
    reader = browser("county-viewer")
    mine = reader.get(f"/api/v1/audit?plan={world.plan_id}&person=county-editor").json()
    assert [e["entity"] for e in mine] == [f"bcf_line:{world.line_id}"]
    assert reader.get("/api/v1/audit?limit=0").status_code == 400
    assert browser(None).get("/api/v1/audit").status_code == 401
