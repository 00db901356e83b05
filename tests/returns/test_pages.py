"""The spend and return pages and their API: a line's spend recorded on its form, a ledger extract
previewed (refused rows named, nothing written) and confirmed, a return saved and confirmed, and
the board pack page. The budget is tests/budget/factory.py's (S1-1 £100,000, S1-2 £50,000,
S2-1 £50,000); the plan is for 2025-26."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from placeplan.budget.models import ActualSpendRow
from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, add_budget, build_world


@pytest.fixture
def world(sessions):
    return add_budget(sessions, build_world(sessions))


def _rows(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ActualSpendRow)) or 0


def _upload(b, plan_id: int, name: str, content: bytes):
    return b.client.post(
        f"/plans/{plan_id}/spend/upload",
        data={"csrf_token": b.token},
        files={"ledger": (name, content, "text/csv")},
        follow_redirects=False,
    )


def test_a_lines_spend_is_recorded_on_its_form_and_shown_in_pounds(browser, sessions, world):
    b = browser("county-editor")
    form = b.get(f"/plans/{world.plan_id}/spend/lines/S1-1/2025-26-Q1")
    assert form.status_code == 200 and "Spend of line S1-1 in 2025-26 Q1" in form.text
    saved = b.post(
        f"/plans/{world.plan_id}/spend/lines/S1-1/2025-26-Q1",
        {"actual": "24,000.50", "forecast": "", "commentary": "On plan", "version": "0"},
    )
    assert saved.status_code == 303
    page = b.get(saved.headers["location"])
    assert "£24,000.50" in page.text
    # Planned to the end of Q1: a quarter of £100,000.
    assert "£25,000.00" in page.text
    refused = b.post(
        f"/plans/{world.plan_id}/spend/lines/S1-1/2025-26-Q1",
        {"actual": "-5", "forecast": "", "commentary": "", "version": "1"},
    )
    assert refused.status_code == 400 and 'href="#actual"' in refused.text
    # In the same words as a ledger extract's row (tests/budget/test_actuals.py).
    assert "The actual spend is negative (-£5.00)" in refused.text
    csv = b.get(f"/plans/{world.plan_id}/spend?quarter=2025-26-Q1&format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "24000.50" in csv.text


def test_a_ledger_extract_is_previewed_then_confirmed(browser, sessions, world):
    b = browser("county-editor")
    b.get(f"/plans/{world.plan_id}/spend/upload")
    extract = "Line,Quarter,Actual spend (£)\nS1-1,2025-26 Q1,100.00\nS2-1,2025-26 Q1,50.00\n"
    held = _upload(b, world.plan_id, "ledger.csv", extract.encode())
    assert held.status_code == 303
    preview = b.get(held.headers["location"])
    assert "2 quarterly spend figures added" in preview.text
    assert _rows(sessions) == 0
    token = re.search(r'name="token" value="([^"]+)"', preview.text)[1]
    done = b.post(f"/plans/{world.plan_id}/spend/confirm", {"token": token})
    assert done.status_code == 303
    assert _rows(sessions) == 2


def test_a_ledger_extract_with_unknown_lines_or_wrong_sign_is_refused_naming_the_rows(
    browser, sessions, world
):
    b = browser("county-editor")
    b.get(f"/plans/{world.plan_id}/spend/upload")
    extract = "Line,Quarter,Actual spend (£)\nS1-1,2025-26 Q1,100.00\nX9,2025-26 Q1,1\nS2-1,2025-26 Q1,-3\n"
    refused = _upload(b, world.plan_id, "ledger.csv", extract.encode())
    assert refused.status_code == 400
    assert "The extract was not applied" in refused.text
    # The header is row 1: X9 is row 3, the negative amount row 4.
    assert re.search(
        r"<td[^>]*>3</td><td[^>]*>&#39;X9&#39; matches no expenditure line", refused.text
    )
    assert re.search(r"<td[^>]*>4</td><td[^>]*>The actual spend is negative", refused.text)
    assert _rows(sessions) == 0


def test_a_return_is_saved_by_an_editor_and_confirmed_by_an_approver(browser, world):
    editor = browser("county-editor")
    page = editor.get(f"/plans/{world.plan_id}/returns/2025-26-Q1")
    assert page.status_code == 200 and "Quarterly return, 2025-26 Q1" in page.text
    saved = editor.post(
        f"/plans/{world.plan_id}/returns/2025-26-Q1",
        {
            "conditions_met": "yes",
            "conditions_confirmed_by": "Ann Example, Director",
            "conditions_note": "",
            "successes": "Hubs open",
            "challenges": "",
            "version": "0",
        },
    )
    assert saved.status_code == 303
    approver = browser("county-approver")
    page = approver.get(f"/plans/{world.plan_id}/returns/2025-26-Q1")
    assert "Confirm the return" in page.text
    version = re.search(
        r'action="[^"]+/confirm"[^>]*>\s*<input[^>]+>\s*<input type="hidden" name="version" value="(\d+)"',
        page.text,
    )[1]
    done = approver.post(f"/plans/{world.plan_id}/returns/2025-26-Q1/confirm", {"version": version})
    assert done.status_code == 303
    page = editor.get(f"/plans/{world.plan_id}/returns/2025-26-Q1")
    assert "cannot change" in page.text and "Save the draft" not in page.text
    workbook = editor.get(f"/plans/{world.plan_id}/returns/2025-26-Q1/return.xlsx")
    assert workbook.content[:2] == b"PK"


def test_the_api_records_spend_checks_a_ledger_and_gives_a_return(app, sessions, world):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "test")
    api = TestClient(app, base_url="https://testserver")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/plans/{world.plan_id}"
    put = api.put(
        f"{base}/spend/lines/S2-1/2025-26-Q2",
        json={"actual_pence": 30_000_00, "version": 0},
        headers=headers,
    )
    assert put.status_code == 200, put.text
    line = {x["line"]: x for x in put.json()["lines"]}["S2-1"]
    # Planned to Q2: half of £50,000.
    assert line["planned_to_date_pence"] == 25_000_00 and line["actual_to_date_pence"] == 30_000_00
    checked = api.post(
        f"{base}/spend/ledger?dry_run=true",
        json={"rows": [{"line": "S1-1", "quarter": "2025-26 Q1", "actual_pence": -1}]},
        headers=headers,
    )
    assert checked.status_code == 400
    assert checked.json()["error"]["row"] == 2
    got = api.get(f"{base}/returns/2025-26-Q2", headers=headers).json()
    assert got["status"] == "not started"
    assert got["content"]["spend"]["total"]["actual_pence"] == 30_000_00


def test_the_board_pack_page_offers_the_quarters(browser, world, sessions):
    from placeplan.governance.models import Body

    with sessions() as s:
        body_id = s.scalars(select(Body.id).where(Body.key == "county-hwb")).one()
    page = browser("county-viewer").get(f"/bodies/{body_id}/pack")
    assert page.status_code == 200
    assert '<option value="2025-26-Q3"' in page.text
    signed_out = browser().get(f"/bodies/{body_id}/pack")
    assert signed_out.status_code in (303, 401)
