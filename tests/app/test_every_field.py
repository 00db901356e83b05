"""Every editable field, through every way in it has (issue #12, item 3): the inventory of each
concept's fields table (core.fields' `Limits`, in each `<concept>.domain`) is read here, and each
field is either tried below, tried by hand in tests/app/test_same_limits.py, or said to have no
way in but the demo's loader. A field's bad value is one past its own bound (a character over
its length, an item over its count, a unit or a pound past its range), so the expected refusal is the
field's own message (`Field.problem`): what this file checks is that every way in refuses it
with that message, naming the field, and writes nothing. The wording itself is checked by hand
in tests/core/test_fields.py and tests/app/test_same_limits.py.

Each test sets up one record and sends every field's bad value through the page, the JSON API
and the workbook read by the command line, so that the whole sweep costs a few set-ups."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import placeplan
from placeplan.app.factory import create_app
from placeplan.areas.domain import AREA
from placeplan.assurance.domain.checklist import ASSURANCE
from placeplan.budget.domain.actuals import SPEND
from placeplan.budget.domain.fields import LINE, SCHEME
from placeplan.budget.io import layout as budget_layout
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.core.fields import Field, Items, Limits
from placeplan.delivery.domain.fields import ACTION, MILESTONE, UPDATE
from placeplan.delivery.io.layout import HEADER_OF, MILESTONE_HEADER_OF
from placeplan.delivery.models import DeliveryAction
from placeplan.delivery.present import UPDATE_FORM_FIELDS
from placeplan.demo.loader import DEMO_PASSWORD
from placeplan.finance.domain.fields import MODEL, line_limits, settings_limits
from placeplan.measures import service as measures
from placeplan.measures.domain.fields import COUNTS, SPC_MARKS
from placeplan.measures.models import SpcRebase
from placeplan.measures.service import spc_marks
from placeplan.narrative.domain.fields import BLOCK, UEC_PRIORITY
from placeplan.organisations.domain import ORGANISATION
from placeplan.people import service as people
from placeplan.plans.domain import PLAN
from placeplan.plans.models import Plan
from placeplan.pledges.domain.fields import PLEDGE, measure_limits
from placeplan.pledges.models import PledgeMeasure
from placeplan.returns.domain import NARRATIVE
from placeplan.store.uow import unit_of_work
from tests.app.test_same_limits import (
    EDITOR,
    api_headers,
    audit_count,
    cli_database,  # noqa: F401 (a fixture: the command line opens the test's database)
    cli_refusal,
    set_cells,
)
from tests.delivery.conftest import make_delivery_plan
from tests.factories import LEICESTERSHIRE, actor_for, add_budget
from tests.finance.factory import small_document
from tests.fixtures.web import Browser
from tests.pledges.conftest import make_pledge_plan

ON_SQLITE = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def bad_value(limit: Field | Items) -> Any:
    """One past the field's bound: a character over its length, an item over its count, or a
    unit (a pound) past its range."""
    if isinstance(limit, Items):
        return [f"Item {n}" for n in range(limit.max_items + 1)]
    if limit.kind == "text":
        assert limit.max_length is not None, limit
        return "x" * (limit.max_length + 1)
    step = 100 if limit.kind == "money" else 1  # money: a pound, as forms take whole pounds
    if limit.high is not None:
        return str(Decimal(limit.high) + step)
    return str(Decimal(limit.low or 0) - step)


def message_for(limit: Field | Items) -> str:
    found = limit.problem(bad_value(limit))
    assert found is not None, limit
    return found


# ---- the inventory: every field of every fields table, and where it is tried


def domain_tables() -> Iterator[tuple[str, Limits]]:
    """Each `Limits` a concept's domain holds at module level, by "module.NAME"."""
    seen: set[int] = set()
    for found in pkgutil.walk_packages(placeplan.__path__, "placeplan."):
        if ".domain" not in found.name:
            continue
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            if isinstance(value, Limits) and id(value) not in seen:
                seen.add(id(value))
                yield f"{value_home(module.__name__)}.{name}", value


def value_home(module: str) -> str:
    return module.rsplit(".domain", 1)[0].rsplit(".", 1)[-1]


# Where each field is tried: "sweep" (a test of this file), a test of test_same_limits.py by
# name, or why it has no way in to try. A table's fields not named here fail the inventory.
SAME_LIMITS = "tests/app/test_same_limits.py::"
WHERE: dict[str, str] = {
    **{f"delivery.ACTION.{f.name}": "sweep" for f in (*ACTION.fields, *ACTION.lists)},
    "delivery.ACTION.ref": "sweep (a new action's page; the tracker's new rows)",
    **{f"delivery.UPDATE.{f.name}": "sweep" for f in UPDATE.fields},
    **{f"delivery.MILESTONE.{f.name}": "sweep" for f in MILESTONE.fields},
    **{f"pledges.PLEDGE.{f.name}": "sweep" for f in (*PLEDGE.fields, *PLEDGE.lists)},
    **{f"plans.PLAN.{f.name}": "sweep" for f in PLAN.fields},
    **{f"narrative.BLOCK.{f.name}": "sweep" for f in BLOCK.fields},
    **{f"narrative.UEC_PRIORITY.{f.name}": "sweep" for f in UEC_PRIORITY.fields},
    "narrative.UEC_PRIORITY.schemes": SAME_LIMITS + "test_a_uec_prioritys_schemes_are_checked",
    **{f"returns.NARRATIVE.{f.name}": "sweep" for f in NARRATIVE.fields},
    **{f"measures.SPC_MARKS.{f.name}": "sweep" for f in SPC_MARKS.fields},
    "measures.COMMENTARY.text": SAME_LIMITS + "test_commentary_over_2000_characters",
    "measures.COUNTS.numerator": "sweep",
    "measures.COUNTS.denominator": "sweep",
    "budget.LINE.amount_pence": SAME_LIMITS + "test_a_budget_line_is_refused_alike_everywhere",
    "budget.LINE.new_pence": SAME_LIMITS + "test_a_budget_line_is_refused_alike_everywhere",
    **{
        f"budget.LINE.{name}": "sweep"
        for name in ("nhs_share", "planned_outputs", "provider", "note", "output_unit")
    },
    "budget.SCHEME.name": "sweep",
    **{
        f"budget.SPEND.{name}": "sweep" for name in ("actual_pence", "forecast_pence", "commentary")
    },
    **{f"assurance.ASSURANCE.{n}": "sweep" for n in ("conditions", "comments", "escalation_note")},
    "finance.MODEL.name": "sweep (a scenario's name)",
    **{f"finance.OPENING.{name}": "sweep" for name in ("plan_position", "non_recurrent", "source")},
    **{f"areas.AREA.{f.name}": "sweep" for f in AREA.fields},
    **{f"organisations.ORGANISATION.{f.name}": "sweep" for f in ORGANISATION.fields},
    "pledges.INTERVENTION.table_ref": "the pledges document alone (the demo's loader)",
}
for _name in ("table_title", "number", "area", "description", "timeline", "note"):
    WHERE[f"pledges.INTERVENTION.{_name}"] = "the pledges document alone (the demo's loader)"


def test_every_field_of_every_table_is_tried_or_says_why():
    missing = [
        f"{home}.{limit.name}"
        for home, table in domain_tables()
        for limit in (*table.fields, *table.lists)
        if f"{home}.{limit.name}" not in WHERE
    ]
    assert not missing, "fields no test tries:\n" + "\n".join(missing)
    import tests.app.test_same_limits as same

    for where in WHERE.values():
        if where.startswith(SAME_LIMITS):
            name = where.removeprefix(SAME_LIMITS)
            assert any(n.startswith(name) for n in vars(same)), where


# ---- the sweep's runner: each way in, each field, the refusal collected


class Sweep:
    """Sends each bad value through each way in and notes each answer that is not the field's
    refusal, so one test reports every field that fails."""

    def __init__(self) -> None:
        self.wrong: list[str] = []
        self.tried = 0

    def page(self, label: str, response: Any, message: str) -> None:
        import html

        self.tried += 1
        if response.status_code != 400 or message not in html.unescape(response.text):
            self.wrong.append(f"page, {label}: {response.status_code}, not {message!r}")

    def api(self, label: str, response: Any, field: str, message: str) -> None:
        self.tried += 1
        got = (
            (response.json()["error"].get("field"), response.json()["error"]["message"])
            if response.status_code == 400
            else (response.status_code, response.text[:200])
        )
        if got != (field, message):
            self.wrong.append(f"API, {label}: {got}, not {(field, message)}")

    def cli(self, label: str, run: Callable[[], dict[str, Any]], field: str, message: str) -> None:
        self.tried += 1
        try:
            error = run()
        except AssertionError as refused_not:
            self.wrong.append(f"workbook, {label}: {refused_not}")
            return
        if (error.get("field"), error.get("message")) != (field, message):
            self.wrong.append(f"workbook, {label}: {error}, not {(field, message)}")

    def done(self, writes_before: int, writes_after: int) -> None:
        assert not self.wrong, f"{len(self.wrong)} of {self.tried}:\n" + "\n".join(self.wrong)
        assert writes_after == writes_before  # nothing written


# ---- a delivery action, its report for a period and its milestones


ACTION_FORM = {
    "we_will": "Enable digital literacy",
    "stage": "feasibility",
    "due_date-day": "31",
    "due_date-month": "3",
    "due_date-year": "2026",
}


FORM_KEY = {name: key for key, name in UPDATE_FORM_FIELDS.items()}  # the update page's names


def _form_value(limit: Field | Items) -> Any:
    value = bad_value(limit)
    if limit.name in ("lead_contacts", "lead_organisations"):
        return "\n".join(value)  # a line each
    return value


@ON_SQLITE
@pytest.mark.usefixtures("cli_database")
def test_every_field_of_an_action_its_report_and_its_milestones(
    browser, client, sessions, world, tmp_path
):
    # tests/delivery/conftest.py: action HP2.2 has no report for 2025-26 Q3; HP2.1 has
    # milestones; the tracker exports 2025-26 Q2, whose rows may be edited.
    delivery = make_delivery_plan(sessions)
    headers = api_headers(sessions)
    hp22 = delivery.action_ids["HP2.2"]
    before = audit_count(sessions)
    b = browser(EDITOR)
    sweep = Sweep()
    plan = delivery.plan_id
    edit = f"/plans/{plan}/delivery/actions/{hp22}/edit"
    exported = b.client.get(f"/plans/{plan}/delivery/tracker.xlsx").content
    path = tmp_path / "tracker.xlsx"

    def tracker(sheet: str, key: str, ref: str, cells: dict[str, Any]) -> Callable[[], Any]:
        def run() -> dict[str, Any]:
            path.write_bytes(set_cells(exported, sheet, key, ref, cells))
            return cli_refusal("delivery", "import", str(path))

        return run

    for limit in (*ACTION.fields, *ACTION.lists):
        message, value = message_for(limit), bad_value(limit)
        header = HEADER_OF[limit.name]
        cell = "\n".join(value) if isinstance(value, list) else value
        if limit.name == "ref":  # a new action's: an existing one's ref is its key
            b.get(f"/plans/{plan}/delivery/actions/new")
            with sessions() as s:
                action = s.get(DeliveryAction, hp22)
                assert action is not None
                priority = str(action.priority_id)
            form = {**ACTION_FORM, "ref": value, "priority_id": priority}
            sweep.page(
                "a new action's ref", b.post(f"/plans/{plan}/delivery/actions/new", form), message
            )
            continue
        b.get(edit)
        form = {**ACTION_FORM, "version": "1", limit.name: _form_value(limit)}
        sweep.page(limit.name, b.post(edit, form), message)
        answer = client.patch(
            f"/api/v1/delivery/actions/{hp22}",
            json={"version": 1, limit.name: value},
            headers=headers,
        )
        sweep.api(limit.name, answer, limit.name, message)
        sweep.cli(
            limit.name, tracker("Actions", "Action ref", "HP2.2", {header: cell}), header, message
        )

    for limit in UPDATE.fields:
        message, value = message_for(limit), bad_value(limit)
        b.get(f"/plans/{plan}/delivery/update?period=2025-26+Q3")
        form = {
            "period": "2025-26 Q3",
            "action": str(hp22),
            f"version-{hp22}": "0",
            f"overall-{hp22}": "green",
            f"{FORM_KEY[limit.name]}-{hp22}": value,
        }
        sweep.page(limit.name, b.post(f"/plans/{plan}/delivery/update", form), message)
        answer = client.put(
            f"/api/v1/delivery/actions/{hp22}/updates/2025-26 Q3",
            json={"version": 0, "overall_rag": "green", limit.name: value},
            headers=headers,
        )
        sweep.api(limit.name, answer, limit.name, message)
        header = HEADER_OF[limit.name]
        sweep.cli(
            limit.name, tracker("Actions", "Action ref", "HP2.2", {header: value}), header, message
        )

    hp21 = delivery.action_ids["HP2.1"]
    for limit in MILESTONE.fields:
        message, value = message_for(limit), bad_value(limit)
        new = f"/plans/{plan}/delivery/actions/{hp21}/milestones/new"
        b.get(new)
        form = {
            "ref": "",
            "by_text": "Open the neighbourhood hub",
            "due_date-day": "31",
            "due_date-month": "3",
            "due_date-year": "2026",
            limit.name: value,
        }
        sweep.page(f"milestone {limit.name}", b.post(new, form), message)
        header = MILESTONE_HEADER_OF[limit.name]
        run = tracker("Milestones", "Action ref", "HP2.1", {header: value})
        sweep.cli(f"milestone {limit.name}", run, header, message)

    sweep.done(before, audit_count(sessions))


# ---- a BCF plan: its title and summary, its narrative, its UEC priorities, its quarterly
# return, its budget's lines and schemes, a line's spend; an area's figures and SPC chart


def _admissions(sessions) -> None:
    """A count metric with a year of figures for Leicestershire and a recalculation at 2025-01
    (the removal's reason is tried on it)."""
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator(),
            {
                "key": "admissions",
                "name": "Admissions 65+",
                "unit": "count",
                "direction": "lower",
                "frequency": "month",
            },
        )
        rows = [
            (n + 2, {"area_code": LEICESTERSHIRE, "period": f"2024-{m:02d}", "value": "150"})
            for n, m in enumerate(range(1, 13))
        ]
        measures.import_rows(s, operator(), "admissions", rows)
        county = actor_for(s, EDITOR)
        spc_marks.add_rebase(s, county, LEICESTERSHIRE, "admissions", "2024-07", "Hub opened")


@ON_SQLITE
@pytest.mark.usefixtures("cli_database")
def test_every_field_of_a_bcf_plan_and_an_areas_figures(browser, client, sessions, world, tmp_path):
    add_budget(sessions, world)
    _admissions(sessions)
    with sessions() as s:
        rebase = s.scalars(select(SpcRebase)).one()
    headers = api_headers(sessions)
    before = audit_count(sessions)
    b = browser(EDITOR)
    sweep = Sweep()
    plan = world.plan_id

    for limit in PLAN.fields:
        message, value = message_for(limit), bad_value(limit)
        b.get(f"/plans/{plan}/edit")
        form = {"title": "County plan", "summary": "", "period": "2025-26", "version": "1"}
        sweep.page(limit.name, b.post(f"/plans/{plan}/edit", {**form, limit.name: value}), message)
        patch = {"version": 1, limit.name: value}
        answer = client.patch(f"/api/v1/plans/{plan}", json=patch, headers=headers)
        sweep.api(limit.name, answer, limit.name, message)

    for limit in BLOCK.fields:
        message, value = message_for(limit), bad_value(limit)
        body = {"text": "Our approach.", "note": "", "version": 0, limit.name: value}
        edit = f"/plans/{plan}/narrative/overview/edit"
        b.get(edit)
        sweep.page(f"narrative {limit.name}", b.post(edit, {**body, "version": "0"}), message)
        answer = client.put(f"/api/v1/plans/{plan}/narrative/overview", json=body, headers=headers)
        sweep.api(f"narrative {limit.name}", answer, limit.name, message)

    for limit in UEC_PRIORITY.fields:
        message, value = message_for(limit), bad_value(limit)
        new = f"/plans/{plan}/narrative/uec/new"
        b.get(new)
        form = {"title": "Flow", "support": "Step-down", "schemes": ["S1"], limit.name: value}
        sweep.page(f"UEC priority {limit.name}", b.post(new, form), message)

    for limit in NARRATIVE.fields:
        message, value = message_for(limit), bad_value(limit)
        quarter = f"/plans/{plan}/returns/2025-26-Q1"
        b.get(quarter)
        form = {
            "conditions_met": "yes",
            "conditions_confirmed_by": "Ann Example, Director",
            "conditions_note": "",
            "successes": "Hubs open",
            "challenges": "",
            "version": "0",
            limit.name: value,
        }
        sweep.page(f"return {limit.name}", b.post(quarter, form), message)

    commentary = SPEND["commentary"]
    message, value = message_for(commentary), bad_value(commentary)
    spend = f"/plans/{plan}/spend/lines/S1-1/2025-26-Q1"
    b.get(spend)
    form = {"actual": "100", "forecast": "", "commentary": value, "version": "0"}
    sweep.page("spend commentary", b.post(spend, form), message)
    body = {"actual_pence": 10_000, "commentary": value, "version": 0}
    answer = client.put(f"/api/v1{spend}", json=body, headers=headers)
    sweep.api("spend commentary", answer, "commentary", message)

    for limit in (LINE["provider"], LINE["note"]):
        message, value = message_for(limit), bad_value(limit)
        body = {"version": 1, limit.name: value}
        answer = client.patch(f"/api/v1/lines/{world.line_id}", json=body, headers=headers)
        sweep.api(f"line {limit.name}", answer, limit.name, message)
    exported = b.client.get(f"/plans/{plan}/budget.xlsx").content
    path = tmp_path / "budget.xlsx"
    columns = {
        "nhs_share": "NHS share (%)",
        "planned_outputs": "Planned outputs",
        "output_unit": "Output unit",
        "note": "Note",
    }
    for name, header in columns.items():
        limit = LINE[name]
        message, value = message_for(limit), bad_value(limit)
        cell = value if limit.kind == "text" else float(value)  # a number, as Excel keeps one
        bad = set_cells(exported, budget_layout.EXPENDITURE, "Line ID", "S2-1", {header: cell})
        path.write_bytes(bad)
        run = partial(cli_refusal, "bcf", "import", str(path), "--plan", str(plan))
        sweep.cli(f"line {name}", run, header, message)
    name_limit = SCHEME["name"]
    message, value = message_for(name_limit), bad_value(name_limit)
    cells = {"Scheme name": value}
    bad = set_cells(exported, budget_layout.EXPENDITURE, "Line ID", "S2-1", cells)
    path.write_bytes(bad)
    run = partial(cli_refusal, "bcf", "import", str(path), "--plan", str(plan))
    sweep.cli("scheme name", run, "Scheme name", message)

    chart = f"/areas/{LEICESTERSHIRE}/metrics/admissions"
    for limit, what, body in (
        (SPC_MARKS["reason"], "rebases", {"period": "2024-10"}),
        (SPC_MARKS["text"], "annotations", {"period": "2024-10"}),
    ):
        message, value = message_for(limit), bad_value(limit)
        answer = client.post(
            f"/api/v1{chart}/{what}", json={**body, limit.name: value}, headers=headers
        )
        sweep.api(f"chart {limit.name}", answer, limit.name, message)
        page_what = what.removesuffix("s")
        b.get(f"{chart}/chart")
        form = {**body, limit.name: value}
        sweep.page(f"chart {limit.name}", b.post(f"{chart}/chart/{page_what}", form), message)
    points = SPC_MARKS["baseline_points"]
    message, value = message_for(points), bad_value(points)
    answer = client.put(
        f"/api/v1{chart}/baseline", json={"points": int(value), "version": 0}, headers=headers
    )
    sweep.api("baseline points", answer, "baseline_points", message)
    b.get(f"{chart}/chart")
    form = {"baseline_points": value, "version": "0"}
    sweep.page("baseline points", b.post(f"{chart}/chart/baseline", form), message)
    removal = SPC_MARKS["removal_reason"]
    message, value = message_for(removal), bad_value(removal)
    b.get(f"{chart}/chart/rebase/{rebase.id}")
    form = {"removal_reason": value, "version": str(rebase.version)}
    remove = f"{chart}/chart/rebase/{rebase.id}/remove"
    sweep.page("removal reason", b.post(remove, form), message)
    answer = client.request(
        "DELETE",
        f"/api/v1{chart}/rebases/{rebase.id}",
        params={"version": rebase.version, "reason": value},
        headers=headers,
    )
    sweep.api("removal reason", answer, "removal_reason", message)

    for limit in COUNTS.fields:
        message, value = message_for(limit), bad_value(limit)
        row = {"area_code": LEICESTERSHIRE, "period": "2025-01", "value": "150", limit.name: value}
        answer = client.post(
            "/api/v1/metrics/admissions/measurements", json={"rows": [row]}, headers=headers
        )
        sweep.api(f"figure {limit.name}", answer, limit.name, message)
        csv = f"area_code,period,value,{limit.name}\n{LEICESTERSHIRE},2025-01,150,{value}\n"
        path = tmp_path / "m.csv"
        path.write_text(csv)
        run = partial(cli_refusal, "metrics", "import", str(path), "--metric", "admissions")
        sweep.cli(f"figure {limit.name}", run, limit.name, message)

    sweep.done(before, audit_count(sessions))


# ---- a pledge and its measures


PLEDGE_FORM = {
    "title": "Fewer falls",
    "statement": "We will halve falls admissions",
    "priority": "",
    "description": "",
}
MEASURE_FORM = {
    "name": "Seen within four hours",
    "unit": "percentage",
    "direction": "higher",
    "baseline_value": "60",
    "baseline_period": "2023-24",
    "target_value": "70",
    "target_period": "2025-26",
}


@ON_SQLITE
def test_every_field_of_a_pledge_and_its_measures(browser, client, sessions, world):
    # tests/pledges/conftest.py: pledge 1's measure 1.1 is in "percentage"; its plan runs 2023-24
    # to 2027-28.
    pledges = make_pledge_plan(sessions)
    headers = api_headers(sessions)
    with sessions() as s:
        measure = s.get(PledgeMeasure, pledges.measures["1.1"])
        assert measure is not None
        version = measure.version
        pledge_version = measure.pledge.version
    before = audit_count(sessions)
    b = browser(EDITOR)
    sweep = Sweep()
    base = f"/plans/{pledges.plan_id}/pledges"

    for limit in (*PLEDGE.fields, *PLEDGE.lists):
        message, value = message_for(limit), bad_value(limit)
        # The API names a partnership's problem by its place ("accountable[0].name"), as the
        # page's error summary leads to its box.
        field = limit.name
        if limit.name == "partnership":  # one partnership's name
            partners, field = [{"name": value}], "accountable[0].name"
            form = {**PLEDGE_FORM, "partner-0-body": "", "partner-0-name": value}
        elif limit.name == "accountable":
            partners, field = [{"name": v} for v in value], "accountable[0].name"
            form = {**PLEDGE_FORM} | {f"partner-{n}-name": v for n, v in enumerate(value)}
            form |= {f"partner-{n}-body": "" for n in range(len(value))}
        else:
            partners = []
            form = {**PLEDGE_FORM, limit.name: value}
        b.get(f"{base}/new")
        sweep.page(f"new pledge {limit.name}", b.post(f"{base}/new", form), message)
        b.get(f"{base}/1/edit")
        edited = {**form, "version": str(pledge_version)}
        sweep.page(f"pledge {limit.name}", b.post(f"{base}/1/edit", edited), message)
        body = {**PLEDGE_FORM, "accountable": partners}
        if limit.name in PLEDGE_FORM:
            body[limit.name] = value
        answer = client.post(f"/api/v1{base}", json=body, headers=headers)
        sweep.api(f"new pledge {limit.name}", answer, field, message)
        body["version"] = pledge_version
        answer = client.put(f"/api/v1{base}/1", json=body, headers=headers)
        sweep.api(f"pledge {limit.name}", answer, field, message)

    # the latest value has its own form: tests/app/test_same_limits.py's BAD_LATEST
    for limit in measure_limits("percentage").fields:
        if limit.name == "latest_value":
            continue
        message, value = message_for(limit), bad_value(limit)
        b.get(f"{base}/1/measures/1.1/edit")
        form = {**MEASURE_FORM, limit.name: value, "version": str(version)}
        sweep.page(f"measure {limit.name}", b.post(f"{base}/1/measures/1.1/edit", form), message)
        answer = client.put(
            f"/api/v1{base}/1/measures/1.1/definition",
            json={**MEASURE_FORM, limit.name: value, "version": version},
            headers=headers,
        )
        sweep.api(f"measure {limit.name}", answer, limit.name, message)

    sweep.done(before, audit_count(sessions))


# ---- a regional assurer's record of a plan (on the national demo, as tests/assurance)


def test_every_field_of_an_assurance_record(national_engine, national_sessions):
    app = create_app(Settings(database_url=str(national_engine.url)), engine=national_engine)
    client = TestClient(app, base_url="https://testserver")
    assurer = Browser(TestClient(app, base_url="https://testserver")).sign_in(
        "assurer@midlands.demo", DEMO_PASSWORD
    )
    with unit_of_work(national_sessions) as s:
        plan = s.scalars(select(Plan.id).where(Plan.key == "leics-bcf-2025-26")).one()
        token, _ = people.create_token(s, actor_for(s, "assurer@midlands.demo"), "limits")
    headers = {"Authorization": f"Bearer {token}"}
    before = audit_count(national_sessions)
    sweep = Sweep()
    record = {"rating": "approved_with_conditions", "conditions": "Set the ambitions by June"}
    for limit in ASSURANCE.fields:
        message, value = message_for(limit), bad_value(limit)
        assurer.get(f"/assurance/plans/{plan}")
        form = {**record, "version": "0", limit.name: value}
        sweep.page(limit.name, assurer.post(f"/assurance/plans/{plan}", form), message)
        body = {**record, "version": 0, limit.name: value}
        answer = client.put(f"/api/v1/assurance/plans/{plan}", json=body, headers=headers)
        sweep.api(limit.name, answer, limit.name, message)
    sweep.done(before, audit_count(national_sessions))


# ---- a financial model: a scenario's name, a line, the settings


def _typed(limit: Field) -> str:
    """The bad value as a form takes it: money in pounds."""
    value = bad_value(limit)
    return str(Decimal(value) / 100) if limit.kind == "money" else value


@ON_SQLITE
def test_every_field_of_a_financial_model(browser, client, sessions, world):
    # As tests/finance/conftest.py: a model over 2024-25 and 2025-26 with a line "inflation".
    from placeplan.finance import service as finance
    from placeplan.plans import service as plans

    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s,
            operator("test"),
            "five_year_plan",
            "LLR plan",
            "2024-25 to 2025-26",
            system_code="LLR",
        )
        model = finance.create_model(s, operator("test"), plan.id, "Our model", small_document()).id
    headers = api_headers(sessions)
    before = audit_count(sessions)
    b = browser(EDITOR)
    sweep = Sweep()

    name = MODEL["name"]
    message, value = message_for(name), bad_value(name)
    b.get(f"/finance/{model}")
    sweep.page("scenario name", b.post(f"/finance/{model}/scenarios", {"name": value}), message)
    answer = client.post(
        f"/api/v1/finance/{model}/scenarios", json={"name": value}, headers=headers
    )
    sweep.api("scenario name", answer, "name", message)

    line = {"version": "1", "name": "Tariff inflation", "source": "hand",
            "amount_2024": "10", "amount_2025": "20"}  # fmt: skip
    for limit in line_limits((2024, 2025)).fields:
        message = message_for(limit)
        changed = {limit.name: _typed(limit)}
        if limit.name.startswith("rate_"):  # a rate is instead of an amount, on a base
            year = limit.name.removeprefix("rate_")
            changed |= {f"amount_{year}": "", f"base_{year}": "cost_base"}
        b.get(f"/finance/{model}/lines/inflation")
        form = {**line, **changed}
        sweep.page(f"line {limit.name}", b.post(f"/finance/{model}/lines/inflation", form), message)
        if limit.kind != "money":  # the API takes the same values as the form
            answer = client.patch(
                f"/api/v1/finance/{model}/lines/inflation",
                json={"version": 1, "values": changed},
                headers=headers,
            )
            sweep.api(f"line {limit.name}", answer, limit.name, message)

    settings = {"version": "1", "plan_position": "-40", "non_recurrent": "60", "source": "hand",
                "cost_base_2024": "400", "cost_base_2025": "300", "cost_base_source": "hand",
                "uplift_2025": "5", "uplift_source": "hand"}  # fmt: skip
    for limit in settings_limits((2024, 2025)).fields:
        message = message_for(limit)
        b.get(f"/finance/{model}/settings")
        form = {**settings, limit.name: _typed(limit)}
        sweep.page(f"settings {limit.name}", b.post(f"/finance/{model}/settings", form), message)

    sweep.done(before, audit_count(sessions))


# ---- an area and an organisation (the API is their one way in; the demo's loader aside)


@ON_SQLITE
def test_every_field_of_an_area_and_an_organisation(client, sessions, world):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "system-admin"), "limits")
    headers = {"Authorization": f"Bearer {token}"}
    before = audit_count(sessions)
    sweep = Sweep()
    for limit in AREA.fields:
        message, value = message_for(limit), bad_value(limit)
        typed = int(value) if limit.kind == "number" else value
        body = {"gss_code": "E06000017", "name": "Rutland", "system": "LLR", limit.name: typed}
        answer = client.post("/api/v1/areas", json=body, headers=headers)
        sweep.api(f"new area {limit.name}", answer, limit.name, message)
        if limit.name in ("name", "registered_patients"):  # what a change may send
            change = {"version": 1, limit.name: typed}
            answer = client.patch(f"/api/v1/areas/{LEICESTERSHIRE}", json=change, headers=headers)
            sweep.api(f"area {limit.name}", answer, limit.name, message)
    for limit in ORGANISATION.fields:
        message, value = message_for(limit), bad_value(limit)
        body = {"key": "lpt", "name": "LPT", "kind": "nhs_trust", limit.name: value}
        answer = client.post("/api/v1/organisations", json=body, headers=headers)
        sweep.api(f"organisation {limit.name}", answer, limit.name, message)
    sweep.done(before, audit_count(sessions))
