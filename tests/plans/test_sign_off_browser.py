"""Issue #11's walk in chromium, with axe-core on every page: the Leicestershire BCF lead changes
the submitted 2025-26 plan's budget by uploading an edited workbook; the Health and Wellbeing
Board's approval (27 February 2025, on version 1) shows as out of date with what changed; the
lead checks and resubmits; the approvers decide again in the chain's order; the lead publishes;
the audit history shows the upload as one entry, one update per changed line, in pounds and names.

The figures are the demo's (src/placeplan/demo/data/budget_leics_2025_26.yaml): STROKE-1 is
£600,000 and TA-CH-1 £240,000, both from the NHS minimum contribution, so moving £1,000 from one
to the other changes no total and no funding rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.budget.test_preview_browser import MOVE_1000, upload_edited
from tests.fixtures.browser import demo_server, sign_in

pytestmark = pytest.mark.browser

PLAN = "Leicestershire Better Care Fund plan 2025-26"
LEAD, COUNTY_APPROVER, ICB_APPROVER = "bcf.lead@leics.demo", "s151@leics.demo", "approver@icb.demo"


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its edits reach no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-sign-off")) as url:
        yield url


def _as(page, username: str) -> None:
    page.page.context.clear_cookies()
    sign_in(page, username)


def _open_plan(page) -> str:
    page.goto("/plans")
    page.page.get_by_role("link", name=PLAN).click()
    page.check_accessibility()
    return page.page.url.split("/plans/")[1].split("/")[0].split("#")[0]


def _hwb_row(p):
    return p.locator("tr[data-step='1']")


def _decide(page, step: int, day: str) -> None:
    p = page.page
    form = p.locator("details", has_text=f"Record the decision of step {step}")
    form.get_by_label("Approved").check()
    form.get_by_label("Date of the decision").fill(day)
    form.get_by_role("button", name="Record decision").click()
    assert "Decision recorded" in p.get_by_role("status").inner_text()
    page.check_accessibility()


def test_a_change_after_approval_is_decided_again_before_publication(page, tmp_path):
    p = page.page
    _as(page, LEAD)
    plan = _open_plan(page)
    assert "on version 1" in _hwb_row(p).inner_text()
    p.get_by_role("button", name="Return to draft").click()
    assert "The plan is now draft" in p.get_by_role("status").inner_text()

    # The lead uploads the edited workbook: previewed, then confirmed.
    page.goto(f"/plans/{plan}/budget")
    upload_edited(page, plan, tmp_path / "leicestershire-bcf-2025-26.xlsx", MOVE_1000)
    p.get_by_role("button", name="Confirm and apply these changes").click()
    assert "2 lines changed" in p.get_by_role("status").inner_text()

    # The board's approval is of version 1: out of date, with what changed since.
    page.goto(f"/plans/{plan}")
    hwb = _hwb_row(p).inner_text()
    assert "Out of date" in hwb and "What changed since version 1: 2 lines changed" in hwb
    _hwb_row(p).get_by_role("link", name=re.compile("What changed since version 1")).click()
    page.check_accessibility()
    rows = p.get_by_role("table", name="Expenditure lines: what changed").locator("tbody tr")
    assert [r.inner_text().split("\t") for r in rows.all()] == [
        [
            "Line STROKE-1 of Integrated stroke services",
            "Changed",
            "Amount",
            "£600,000.00",
            "£601,000.00",
        ],
        [
            "Line TA-CH-1 of Trusted assessors for care homes",
            "Changed",
            "Amount",
            "£240,000.00",
            "£239,000.00",
        ],
    ]

    # Submitting is a checked moment: each warning acknowledged by name.
    page.goto(f"/plans/{plan}/submit")
    p.get_by_role("button", name="Submit the plan").click()
    assert p.get_by_role("heading", name="There is a problem").is_visible()
    page.check_accessibility()
    for box in p.locator("input[name='acknowledged']").all():
        box.check()
    p.get_by_role("button", name="Submit the plan").click()
    assert "version 2 is kept as submitted" in p.get_by_role("status").inner_text()
    page.check_accessibility()

    # The approvers decide again, in the chain's order: the board, the council's chief
    # executive, the ICB's, then the council's section 151 officer.
    _as(page, COUNTY_APPROVER)
    page.goto(f"/plans/{plan}")
    _decide(page, 1, "2026-12-01")
    _decide(page, 2, "2026-12-02")
    _as(page, ICB_APPROVER)
    page.goto(f"/plans/{plan}")
    _decide(page, 3, "2026-12-03")
    _as(page, COUNTY_APPROVER)
    page.goto(f"/plans/{plan}")
    _decide(page, 4, "2026-12-04")
    assert "Approved" in p.locator("h1 + p").inner_text()

    _as(page, LEAD)
    page.goto(f"/plans/{plan}")
    p.get_by_role("button", name="Publish plan").click()
    assert "The plan is now published" in p.get_by_role("status").inner_text()
    assert "on version 2" in _hwb_row(p).inner_text()

    # The audit history: the upload is one entry, one update per changed line, in pounds.
    page.goto(f"/audit?plan={plan}")
    upload = p.locator("details", has_text="uploaded the planning workbook")
    assert "2 lines changed" in upload.inner_text()
    upload.locator("summary").click()
    text = upload.inner_text()
    assert "£600,000.00" in text and "£601,000.00" in text and "Integrated stroke services" in text
    assert "amount_pence" not in text and "60000000" not in text  # pounds, never pence
    page.check_accessibility()

    # Signed out, the published plan shows its decisions and nobody's username.
    p.context.clear_cookies()
    page.goto(f"/plans/{plan}")
    assert "s151@leics.demo" not in p.content() and "recorded by" not in p.content()
