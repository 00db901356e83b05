"""One set of limits for every way in (issue #12, item 3): the same bad value typed into a page's
form, sent to the JSON API, and written into a workbook read through the command line and the
upload page is refused with the same message naming the same field (the workbooks name it by its
column or Cover label, with the sheet and row), and nothing is written.

Every expected message is written out by hand from core.fields' wording and the bad value: -£500
is -50,000 pence; £1bn is 100,000,000,000 pence, so £1,000,000,001 is over it; £2,000,000 of new
investment is more than a £1,600,000 line; a 7,600-character title is over the 300 a name may
have; 20,000 characters is over the 2,000 a "We will" statement may have; 150 and -3 per cent
are outside 0 to 100; 2030-01 is after the five-year plan's last day, 31 March 2028."""

from __future__ import annotations

import html
import io
import json
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.budget.io import layout as budget_layout
from placeplan.budget.models import ExpenditureLineRow
from placeplan.cli import main
from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone
from placeplan.measures import service as measures
from placeplan.people import service as people
from placeplan.plans.models import Plan
from placeplan.pledges.models import PledgeMeasure
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import make_delivery_plan
from tests.factories import LEICESTERSHIRE, actor_for, add_budget
from tests.pledges.conftest import make_pledge_plan

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

EDITOR = "county-editor"


# ---- the ways in, each giving back the refusal as (field, message)


def audit_count(sessions) -> int:
    with sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind != "sign_in")
            )
            or 0
        )


def api_headers(sessions) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, EDITOR), "limits")
    return {"Authorization": f"Bearer {token}"}


def page_shows(response, message: str) -> None:
    """The form is shown again (400) with the refusal's message."""
    assert response.status_code == 400, response.text[:400]
    assert message in html.unescape(response.text)


def api_refusal(response) -> tuple[str, str]:
    assert response.status_code == 400, response.text[:400]
    error = response.json()["error"]
    return error.get("field"), error["message"]


def cli_refusal(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 2, result.output
    return json.loads(result.stderr)["error"]


def set_cells(
    content: bytes, sheet: str, key_header: str, key: str, cells: dict[str, Any]
) -> bytes:
    """The workbook with the cells under `cells`' headers set on the row whose `key_header`
    column holds `key`: as a person edits it in Excel."""
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet]
    for header_row in range(1, 20):
        headers = {c.value: c.column for c in ws[header_row] if c.value}
        if key_header in headers:
            break
    row = next(
        r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, headers[key_header]).value == key
    )
    for header, value in cells.items():
        ws.cell(row, headers[header]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def set_cover(content: bytes, label: str, value: Any) -> bytes:
    book = load_workbook(io.BytesIO(content))
    ws = book[budget_layout.COVER]
    row = next(r for r in range(1, 41) if ws.cell(r, 1).value == label)
    ws.cell(row, budget_layout.COVER_VALUE_COLUMN).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(b, url: str, field: str, content: bytes, name: str = "workbook.xlsx"):
    return b.client.post(
        url,
        data={"csrf_token": b.token},
        files={field: (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


@pytest.fixture
def cli_database(engine, monkeypatch):
    """The command line opens the same SQLite file the pages use."""
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", str(engine.url))


# ---- a budget line: amount and new investment


BAD_LINES = [
    # (pounds typed: amount, new), field, the message
    (("-500.00", "0"), "amount_pence", "The amount must be from £0 to £1bn (it is -£500.00)"),
    (
        ("1000000001.00", "0"),
        "amount_pence",
        "The amount must be from £0 to £1bn (it is £1,000,000,001.00)",
    ),
    (
        ("1600000.00", "2000000.00"),
        "new_pence",
        "The new investment must be no more than the line's amount, £1,600,000.00 "
        "(it is £2,000,000.00)",
    ),
]
COLUMN = {"amount_pence": "Expenditure (£)", "new_pence": "New investment (£)"}


def action_form(version: int, due_year: str = "2026", **more: Any) -> dict[str, Any]:
    """The demo action's edit form as its page fills it, at `version`, with `more` fields."""
    return {
        "version": str(version),
        "we_will": "Enable digital literacy",
        "stage": "feasibility",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": due_year,
        **more,
    }


def _pence(pounds: str) -> int:
    return round(float(pounds) * 100)


@pytest.mark.parametrize(("typed", "field", "message"), BAD_LINES)
def test_a_budget_line_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path, typed, field, message
):
    add_budget(sessions, world)
    headers = api_headers(sessions)
    with sessions() as s:
        before_line = s.get(ExpenditureLineRow, world.line_id)
        assert before_line is not None
        stored = (before_line.amount_pence, before_line.new_pence, before_line.version)
    before = audit_count(sessions)
    b = browser(EDITOR)
    amount, new = typed

    page_shows(
        b.post(f"/lines/{world.line_id}", {"amount": amount, "new": new, "version": "1"}), message
    )
    body = {"version": 1, "amount_pence": _pence(amount), "new_pence": _pence(new)}
    answer = client.patch(f"/api/v1/lines/{world.line_id}", json=body, headers=headers)
    assert api_refusal(answer) == (field, message)

    exported = b.client.get(f"/plans/{world.plan_id}/budget.xlsx").content
    cells = {COLUMN["amount_pence"]: float(amount), COLUMN["new_pence"]: float(new)}
    bad = set_cells(exported, budget_layout.EXPENDITURE, "Line ID", "S2-1", cells)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("bcf", "import", str(path), "--plan", str(world.plan_id))
    assert (error["field"], error["message"], error["sheet"]) == (
        COLUMN[field],
        message,
        budget_layout.EXPENDITURE,
    )
    b.get(f"/plans/{world.plan_id}/budget")
    page_shows(upload(b, f"/plans/{world.plan_id}/budget/upload", "workbook", bad), message)
    preview = client.post(
        f"/api/v1/plans/{world.plan_id}/budget/workbook/preview",
        files={"file": ("budget.xlsx", bad, "application/octet-stream")},
        headers=headers,
    )
    assert api_refusal(preview) == (COLUMN[field], message)

    with sessions() as s:
        line = s.get(ExpenditureLineRow, world.line_id)
        assert line is not None
        assert (line.amount_pence, line.new_pence, line.version) == stored
    assert audit_count(sessions) == before  # nothing written


# ---- a plan's title


def test_a_plan_title_over_300_characters_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path
):
    add_budget(sessions, world)
    headers = api_headers(sessions)
    title = "T" * 7_600
    message = "The plan's title must be 300 characters or fewer (it is 7,600)"
    before = audit_count(sessions)
    b = browser(EDITOR)
    b.get(f"/plans/{world.plan_id}/edit")
    form = {"title": title, "summary": "", "period": "2025-26", "version": "1"}
    page_shows(b.post(f"/plans/{world.plan_id}/edit", form), message)
    patch = {"version": 1, "title": title}
    assert api_refusal(
        client.patch(f"/api/v1/plans/{world.plan_id}", json=patch, headers=headers)
    ) == ("title", message)
    new = {"kind": "bcf_plan", "title": title, "period": "2026-27", "area_code": LEICESTERSHIRE}
    assert api_refusal(client.post("/api/v1/plans", json=new, headers=headers)) == (
        "title",
        message,
    )

    exported = b.client.get(f"/plans/{world.plan_id}/budget.xlsx").content
    bad = set_cover(exported, "Plan title", title)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(bad)
    for args in (("--plan", str(world.plan_id)), ()):  # into the plan, and as a new plan
        error = cli_refusal("bcf", "import", str(path), *args)
        assert (error["field"], error["message"], error["sheet"]) == (
            "Plan title",
            message,
            budget_layout.COVER,
        )
    b.get(f"/plans/{world.plan_id}/budget")
    page_shows(upload(b, f"/plans/{world.plan_id}/budget/upload", "workbook", bad), message)

    with sessions() as s:
        assert s.scalar(select(func.max(func.length(Plan.title)))) < 300
    assert audit_count(sessions) == before  # nothing written


# ---- a pledge measure's latest value, in per cent, and its period


BAD_LATEST = [
    ("150", "2024-25", "latest_value", "The latest value is a percentage: it must be from 0 to "
     "100 (it is 150)"),
    ("-3", "2024-25", "latest_value", "The latest value is a percentage: it must be from 0 to "
     "100 (it is -3)"),
    ("72", "2030-01", "latest_period", "The latest value's period must fall within the plan's "
     "period, 2023-24 to 2027-28 (it is 2030-01)"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "period", "field", "message"), BAD_LATEST)
def test_a_pledge_measure_is_refused_alike_on_the_page_and_the_api(
    browser, client, sessions, world, value, period, field, message
):
    # tests/pledges/conftest.py: measure 1.1 is in "percentage", its plan runs 2023-24 to 2027-28.
    pledges = make_pledge_plan(sessions)
    headers = api_headers(sessions)
    with sessions() as s:
        measure = s.get(PledgeMeasure, pledges.measures["1.1"])
        assert measure is not None
        stored = (measure.latest_value, measure.latest_period, measure.version)
    before = audit_count(sessions)
    b = browser(EDITOR)
    base = f"/plans/{pledges.plan_id}/pledges/1"
    b.get(base)
    form = {"latest_value": value, "latest_period": period, "version": str(stored[2])}
    page_shows(b.post(f"{base}/measures/1.1", form), message)
    body = {"version": stored[2], "value": value, "period": period}
    answer = client.put(f"/api/v1{base}/measures/1.1", json=body, headers=headers)
    assert api_refusal(answer) == (field, message)
    with sessions() as s:
        measure = s.get(PledgeMeasure, pledges.measures["1.1"])
        assert measure is not None
        assert (measure.latest_value, measure.latest_period, measure.version) == stored
    assert audit_count(sessions) == before  # nothing written


def test_a_pledge_measure_target_over_100_per_cent_is_refused_on_the_page_and_the_api(
    browser, client, sessions, world
):
    pledges = make_pledge_plan(sessions)
    headers = api_headers(sessions)
    message = "The target is a percentage: it must be from 0 to 100 (it is 150)"
    with sessions() as s:
        measure = s.get(PledgeMeasure, pledges.measures["1.1"])
        assert measure is not None
        version = measure.version
    before = audit_count(sessions)
    definition = {
        "name": "Seen within four hours",
        "unit": "percentage",
        "direction": "higher",
        "baseline_value": "60",
        "baseline_period": "2023-24",
        "target_value": "150",
        "target_period": "2025-26",
    }
    b = browser(EDITOR)
    edit = f"/plans/{pledges.plan_id}/pledges/1/measures/1.1/edit"
    b.get(edit)
    page_shows(b.post(edit, {**definition, "version": str(version)}), message)
    answer = client.put(
        f"/api/v1/plans/{pledges.plan_id}/pledges/1/measures/1.1/definition",
        json={**definition, "version": version},
        headers=headers,
    )
    assert api_refusal(answer) == ("target_value", message)
    assert audit_count(sessions) == before  # nothing written


# ---- a delivery action's text


def test_an_action_text_over_the_limit_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path
):
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    action_id = delivery.action_ids["HP2.2"]
    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        stored = (action.we_will, action.version)
    text = "W" * 20_000
    message = "The 'We will' statement must be 2,000 characters or fewer (it is 20,000)"
    before = audit_count(sessions)
    b = browser(EDITOR)
    edit = f"/plans/{delivery.plan_id}/delivery/actions/{action_id}/edit"
    b.get(edit)
    form = {
        "version": str(stored[1]),
        "we_will": text,
        "stage": "feasibility",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": "2026",
    }
    page_shows(b.post(edit, form), message)
    answer = client.patch(
        f"/api/v1/delivery/actions/{action_id}",
        json={"version": stored[1], "we_will": text},
        headers=headers,
    )
    assert api_refusal(answer) == ("we_will", message)

    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(exported, "Actions", "Action ref", "HP2.2", {"We will": text})
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == ("We will", message, "Actions")
    b.get(f"/plans/{delivery.plan_id}/delivery/import")
    page_shows(upload(b, f"/plans/{delivery.plan_id}/delivery/import", "tracker", bad), message)

    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        assert (action.we_will, action.version) == stored
    assert audit_count(sessions) == before  # nothing written


def test_an_action_due_after_the_plans_period_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path
):
    # tests/delivery/conftest.py's plan runs 2025-26 to 2026-27: to 31 March 2027.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    action_id = delivery.action_ids["HP2.2"]
    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        stored = (action.due_date, action.version)
    message = (
        "The due date must fall within the plan's period, 2025-26 to 2026-27 (it is 2030-03-31)"
    )
    before = audit_count(sessions)
    b = browser(EDITOR)
    edit = f"/plans/{delivery.plan_id}/delivery/actions/{action_id}/edit"
    b.get(edit)
    form = action_form(stored[1], due_year="2030")
    page_shows(b.post(edit, form), message)
    answer = client.patch(
        f"/api/v1/delivery/actions/{action_id}",
        json={"version": stored[1], "due_date": "2030-03-31"},
        headers=headers,
    )
    assert api_refusal(answer) == ("due_date", message)
    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(exported, "Actions", "Action ref", "HP2.2", {"Due": "2030-03-31"})
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == ("Due", message, "Actions")
    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        assert (action.due_date, action.version) == stored
    assert audit_count(sessions) == before  # nothing written


def test_a_milestone_due_after_the_plans_period_is_refused_alike_everywhere(
    browser, sessions, world, cli_database, tmp_path
):
    # As the action's due date above: the plan runs to 31 March 2027 (tests/delivery/conftest.py).
    # Milestones are edited on pages and in the tracker workbook; the API has no milestone route.
    delivery = make_delivery_plan(sessions)
    action_id = delivery.action_ids["HP2.1"]
    message = (
        "The milestone's due date must fall within the plan's period, 2025-26 to 2026-27 "
        "(it is 2030-03-31)"
    )
    with sessions() as s:
        count = s.scalar(select(func.count()).select_from(DeliveryMilestone))
    before = audit_count(sessions)
    b = browser(EDITOR)
    new = f"/plans/{delivery.plan_id}/delivery/actions/{action_id}/milestones/new"
    b.get(new)
    form = {
        "ref": "",
        "by_text": "Open the neighbourhood hub",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": "2030",
    }
    page_shows(b.post(new, form), message)
    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(exported, "Milestones", "Action ref", "HP2.1", {"Due": "2030-03-31"})
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == ("Due", message, "Milestones")
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeliveryMilestone)) == count
        due = s.scalars(
            select(DeliveryMilestone.due_date).where(DeliveryMilestone.action_id == action_id)
        ).all()
        assert sorted(str(d) for d in due) == ["2025-05-31", "2025-06-30"]
    assert audit_count(sessions) == before  # nothing written


def test_an_update_text_over_the_limit_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path
):
    # tests/delivery/conftest.py: HP2.2 has no update for 2025-26 Q3; the tracker exports 2025-26
    # Q2, the latest period with updates. 10,001 characters is one over the 10,000 of prose.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    hp22 = delivery.action_ids["HP2.2"]
    text = "R" * 10_001
    message = "The risks must be 10,000 characters or fewer (it is 10,001)"
    before = audit_count(sessions)
    b = browser(EDITOR)
    b.get(f"/plans/{delivery.plan_id}/delivery/update?period=2025-26+Q3")
    form = {
        "period": "2025-26 Q3",
        "action": str(hp22),
        f"version-{hp22}": "0",
        f"overall-{hp22}": "green",
        f"risks-{hp22}": text,
    }
    page_shows(b.post(f"/plans/{delivery.plan_id}/delivery/update", form), message)
    answer = client.put(
        f"/api/v1/delivery/actions/{hp22}/updates/2025-26 Q3",
        json={"version": 0, "overall_rag": "green", "risks": text},
        headers=headers,
    )
    assert api_refusal(answer) == ("risks", message)
    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(exported, "Actions", "Action ref", "HP2.2", {"Risks and issues": text})
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == (
        "Risks and issues",
        message,
        "Actions",
    )
    assert audit_count(sessions) == before  # nothing written


# ---- an ambition's target, in per cent (set through the service: the demo load is its one way)


@pytest.mark.parametrize(("target", "shown"), [("150", "150"), ("-3", "-3")])
def test_an_ambition_target_outside_0_to_100_per_cent_is_refused(sessions, world, target, shown):
    item = {
        "key": "seen_in_4_hours",
        "name": "Seen within four hours",
        "unit": "percentage",
        "direction": "higher",
        "frequency": "monthly",
    }
    with unit_of_work(sessions) as s:
        measures.add_metric(s, operator(), item)
    before = audit_count(sessions)
    with pytest.raises(InputError) as refused, unit_of_work(sessions) as s:
        measures.add_ambition(
            s,
            operator(),
            "seen_in_4_hours",
            LEICESTERSHIRE,
            {"period": "2025-26", "target": target},
        )
    assert (refused.value.field, refused.value.message) == (
        "target",
        f"The ambition's target is a percentage: it must be from 0 to 100 (it is {shown})",
    )
    assert audit_count(sessions) == before


# ---- a measurement of a percentage metric: the upload page, the API and the command line


def _percentage_metric(sessions) -> None:
    item = {
        "key": "seen_in_4_hours",
        "name": "Seen within four hours",
        "unit": "percentage",
        "direction": "higher",
        "frequency": "monthly",
    }
    with unit_of_work(sessions) as s:
        measures.add_metric(s, operator(), item)


@pytest.mark.parametrize(("value", "shown"), [("150", "150"), ("-3", "-3")])
def test_a_measurement_outside_0_to_100_per_cent_is_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path, value, shown
):
    _percentage_metric(sessions)
    headers = api_headers(sessions)
    message = f"The value is a percentage: it must be from 0 to 100 (it is {shown})"
    row = {"area_code": LEICESTERSHIRE, "period": "2025-26", "value": value}
    csv = f"area_code,period,value\n{LEICESTERSHIRE},2025-26,{value}\n".encode()
    before = audit_count(sessions)
    b = browser(EDITOR)
    b.get("/metrics/seen_in_4_hours/import")
    page_shows(upload(b, "/metrics/seen_in_4_hours/import", "measurements", csv, "m.csv"), message)
    for route in ("measurements", "measurements/preview"):
        answer = client.post(
            f"/api/v1/metrics/seen_in_4_hours/{route}", json={"rows": [row]}, headers=headers
        )
        assert api_refusal(answer) == ("value", message)
    path = tmp_path / "m.csv"
    path.write_bytes(csv)
    error = cli_refusal("metrics", "import", str(path), "--metric", "seen_in_4_hours")
    # The file's row 2: the first after its header.
    assert (error["field"], error["message"], error["row"]) == ("value", message, 2)
    assert audit_count(sessions) == before  # nothing written


def test_an_update_for_a_period_outside_the_plan_is_refused_alike(browser, client, sessions):
    # tests/delivery/conftest.py: the plan runs 2025-26 to 2026-27, so 2027-28 Q1 is not one of
    # its periods; the page's form offers only the plan's quarters, so this is a hand-made post.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    hp22 = delivery.action_ids["HP2.2"]
    message = (
        "The reporting period must fall within the plan's period, 2025-26 to 2026-27"
        " (it is 2027-28 Q1)"
    )
    before = audit_count(sessions)
    b = browser(EDITOR)
    b.get(f"/plans/{delivery.plan_id}/delivery/update")
    form = {
        "period": "2027-28 Q1",
        "action": str(hp22),
        f"version-{hp22}": "0",
        f"overall-{hp22}": "green",
    }
    page_shows(b.post(f"/plans/{delivery.plan_id}/delivery/update", form), message)
    answer = client.put(
        f"/api/v1/delivery/actions/{hp22}/updates/2027-28 Q1",
        json={"version": 0, "overall_rag": "green"},
        headers=headers,
    )
    assert api_refusal(answer) == ("period", message)
    assert audit_count(sessions) == before  # nothing written


# ---- a metric's commentary and an action's lists


ADMISSIONS = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "count",
    "direction": "lower",
    "frequency": "month",
}


def admissions_metric(sessions, periods: list[str]) -> None:
    """A monthly count metric with a figure of 150 for Leicestershire in each of `periods`."""
    with unit_of_work(sessions) as s:
        measures.add_metric(s, operator(), dict(ADMISSIONS))
        rows = [
            (n + 2, {"area_code": LEICESTERSHIRE, "period": period, "value": "150"})
            for n, period in enumerate(periods)
        ]
        measures.import_rows(s, operator(), "admissions", rows)


def test_commentary_over_2000_characters_is_refused_alike_on_the_page_and_the_api(
    browser, client, sessions, world
):
    # Commentary is written on its page and through the API only: no command or workbook holds it.
    # 2,001 characters is one over measures.domain.fields.COMMENTARY's 2,000.
    admissions_metric(sessions, ["2025-04"])
    headers = api_headers(sessions)
    text = "C" * 2001
    message = "The commentary must be 2,000 characters or fewer (it is 2,001)"
    before = audit_count(sessions)
    b = browser(EDITOR)
    form = f"/areas/{LEICESTERSHIRE}/metrics/admissions/commentary"
    b.get(f"{form}?period=2025-04")
    page_shows(b.post(form, {"period": "2025-04", "text": text, "version": "0"}), message)
    answer = client.put(
        f"/api/v1/areas/{LEICESTERSHIRE}/metrics/admissions/commentary/2025-04",
        json={"text": text, "version": 0},
        headers=headers,
    )
    assert api_refusal(answer) == ("text", message)
    assert audit_count(sessions) == before  # nothing written


def test_an_actions_lead_contacts_over_the_limit_are_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path
):
    # 21 lead contacts is one over delivery.domain.fields.ACTION's 20.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    action_id = delivery.action_ids["HP2.2"]
    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        stored = (list(action.lead_contacts or []), action.version)
    contacts = [f"Lead officer {n}" for n in range(1, 22)]
    message = "The lead contacts must be 20 or fewer (there are 21)"
    before = audit_count(sessions)
    b = browser(EDITOR)
    edit = f"/plans/{delivery.plan_id}/delivery/actions/{action_id}/edit"
    b.get(edit)
    form = action_form(stored[1], lead_contacts="\n".join(contacts))
    page_shows(b.post(edit, form), message)
    answer = client.patch(
        f"/api/v1/delivery/actions/{action_id}",
        json={"version": stored[1], "lead_contacts": contacts},
        headers=headers,
    )
    assert api_refusal(answer) == ("lead_contacts", message)
    # one contact of 301 characters: over the 300 a name may have (core.fields.MAX_NAME)
    long_one = client.patch(
        f"/api/v1/delivery/actions/{action_id}",
        json={"version": stored[1], "lead_contacts": ["L" * 301]},
        headers=headers,
    )
    long_message = "Each lead contact must be 300 characters or fewer (number 1 is 301)"
    assert api_refusal(long_one) == ("lead_contacts", long_message)

    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(
        exported, "Actions", "Action ref", "HP2.2", {"Lead contacts": "\n".join(contacts)}
    )
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == (
        "Lead contacts",
        message,
        "Actions",
    )
    b.get(f"/plans/{delivery.plan_id}/delivery/import")
    page_shows(upload(b, f"/plans/{delivery.plan_id}/delivery/import", "tracker", bad), message)

    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        assert (list(action.lead_contacts or []), action.version) == stored
    assert audit_count(sessions) == before  # nothing written


# ---- a need-weighted allocation: its form and the API (the allocation has no workbook reader)

_ALLOCATION_FORM = {
    "name": "Shares",
    "first_year": "2025-26",
    "totals": "100",
    "max_loss": "10",
    "areas": "A, 100, 50\nB, 100, 50",
    "component_1_name": "Deprivation",
    "component_1_weight": "1",
    "component_1_source": "hand",
    "component_1_values": "A, 3\nB, 1",
}
_ALLOCATION_BODY = {
    "name": "Shares",
    "first_year": "2025-26",
    "totals_pence": [100_00],
    "max_loss_percent": "10",
    "areas": [
        {"name": "A", "population": 100, "current_pence": 50_00},
        {"name": "B", "population": 100, "current_pence": 50_00},
    ],
    "components": [
        {"name": "Deprivation", "weight": "1", "source": "hand", "values": {"A": 3, "B": 1}}
    ],
}
BAD_ALLOCATIONS = [
    # (the form's change, the API's change, the form's field, the API's field, the message)
    (
        {"component_1_weight": "-2"},
        {"components": [{**_ALLOCATION_BODY["components"][0], "weight": "-2"}]},
        "component_1_weight",
        "weight",
        "The weight of Deprivation must be from 0 to 1000000 (it is -2)",
    ),
    (
        {"max_loss": "150"},
        {"max_loss_percent": "150"},
        "max_loss",
        "max_loss",
        "The most an area may lose a year is a percentage: it must be from 0 to 99.99 (it is 150)",
    ),
    (
        {"areas": "A, 100, 50\nB, 100.5, 50"},
        {"areas": [_ALLOCATION_BODY["areas"][0], {"name": "B", "population": 100.5}]},
        "areas",
        None,  # the API's population is an integer: a fraction does not parse (422)
        "The population of B must be a whole number (it is 100.5)",
    ),
]


@pytest.mark.parametrize(("form", "body", "field", "api_field", "message"), BAD_ALLOCATIONS)
def test_an_allocation_is_refused_alike_on_its_form_and_the_api(
    browser, client, sessions, world, form, body, field, api_field, message
):
    from placeplan.plans import service as plans

    with unit_of_work(sessions) as s:
        plan_id = plans.create_plan(
            s, operator("t"), "five_year_plan", "LLR plan", "2025-26", system_code="LLR"
        ).id
    headers = api_headers(sessions)
    before = audit_count(sessions)
    b = browser(EDITOR)
    b.get(f"/plans/{plan_id}/finance/allocations/new")
    refused = b.post(f"/plans/{plan_id}/finance/allocations/new", _ALLOCATION_FORM | form)
    page_shows(refused, message)
    assert f'id="{field}-error"' in refused.text
    answer = client.post(
        f"/api/v1/plans/{plan_id}/finance/allocations",
        json={**_ALLOCATION_BODY, **body},
        headers=headers,
    )
    if api_field is not None:
        assert api_refusal(answer) == (api_field, message)
    else:
        assert answer.status_code == 422
    assert audit_count(sessions) == before  # nothing written


# ---- an action's guiding principles and PLUS groups: the plan's own, each given once


BAD_CHOICES = [
    # tests/delivery/conftest.py's framework: principle "1", PLUS group "Homelessness".
    (
        "principles",
        "Guiding principles (refs)",
        ["1", "9"],
        "Each guiding principle's ref must be one of the plan's: 1 (number 2 is 9)",
    ),
    (
        "plus_groups",
        "PLUS groups",
        ["Homelessness", "homelessness"],
        "Each PLUS group must be given once (number 2 repeats homelessness)",
    ),
]


@pytest.mark.parametrize(("field", "column", "items", "message"), BAD_CHOICES)
def test_an_actions_principles_and_groups_are_refused_alike_everywhere(
    browser, client, sessions, world, cli_database, tmp_path, field, column, items, message
):
    # The page offers the plan's principles and groups as checkboxes: a hand-made post sends
    # others, as a script or a stale page would.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    action_id = delivery.action_ids["HP2.2"]
    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        stored = (list(getattr(action, field) or []), action.version)
    before = audit_count(sessions)
    b = browser(EDITOR)
    edit = f"/plans/{delivery.plan_id}/delivery/actions/{action_id}/edit"
    b.get(edit)
    form = action_form(stored[1], **{field: items})  # a list: the field given once an item
    page_shows(b.post(edit, form), message)
    answer = client.patch(
        f"/api/v1/delivery/actions/{action_id}",
        json={"version": stored[1], field: items},
        headers=headers,
    )
    assert api_refusal(answer) == (field, message)

    exported = b.client.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx").content
    bad = set_cells(exported, "Actions", "Action ref", "HP2.2", {column: "\n".join(items)})
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(bad)
    error = cli_refusal("delivery", "import", str(path))
    assert (error["field"], error["message"], error["sheet"]) == (column, message, "Actions")
    b.get(f"/plans/{delivery.plan_id}/delivery/import")
    page_shows(upload(b, f"/plans/{delivery.plan_id}/delivery/import", "tracker", bad), message)

    with sessions() as s:
        action = s.get(DeliveryAction, action_id)
        assert action is not None
        assert (list(getattr(action, field) or []), action.version) == stored
    assert audit_count(sessions) == before  # nothing written


def test_commentary_on_a_period_without_a_figure_is_refused_alike_on_the_page_and_the_api(
    browser, client, sessions, world
):
    # The area has one figure, for 2025-04: a note on 2030-01 speaks of no figure. The page's
    # form offers the periods with figures only; this is a hand-made post.
    admissions_metric(sessions, ["2025-04"])
    headers = api_headers(sessions)
    message = (
        "The commentary's period must be one with a figure, from 2025-04 to 2025-04 (it is 2030-01)"
    )
    before = audit_count(sessions)
    b = browser(EDITOR)
    form = f"/areas/{LEICESTERSHIRE}/metrics/admissions/commentary"
    b.get(f"{form}?period=2025-04")
    page_shows(
        b.post(form, {"period": "2030-01", "text": "Fewer admissions", "version": "0"}), message
    )
    answer = client.put(
        f"/api/v1/areas/{LEICESTERSHIRE}/metrics/admissions/commentary/2030-01",
        json={"text": "Fewer admissions", "version": 0},
        headers=headers,
    )
    assert api_refusal(answer) == ("period", message)
    assert audit_count(sessions) == before  # nothing written


# ---- a UEC priority's schemes: the plan's own, each once (its page is its one way in)


@pytest.mark.parametrize(
    ("schemes", "message"),
    [
        # tests/budget/factory.py: the budget has schemes S1 and S2.
        (["S1", "S9"], "Each scheme must be one of the plan's budget's: S1, S2 (number 2 is S9)"),
        (["S2", "S2"], "Each scheme must be given once (number 2 repeats S2)"),
    ],
)
def test_a_uec_prioritys_schemes_are_checked_by_the_fields_table(
    browser, sessions, world, schemes, message
):
    add_budget(sessions, world)
    before = audit_count(sessions)
    b = browser(EDITOR)
    new = f"/plans/{world.plan_id}/narrative/uec/new"
    b.get(new)
    form = {"title": "Flow", "support": "Step-down", "schemes": schemes}
    refused = b.post(new, form)
    page_shows(refused, message)
    assert 'href="#schemes' in refused.text  # the summary leads to the checkboxes
    assert audit_count(sessions) == before  # nothing written
