# ruff: noqa: F811  (the fixtures imported from the delivery and web tests are parameters here)
"""The tracker workbook: export, import, export is identical; bad rows are refused naming the row
and column and nothing is written; an unchanged import writes nothing; stale rows conflict.

Every test runs on SQLite and PostgreSQL (the `engine` fixture). The tracker is the one built by
tests/delivery/conftest.py: three actions (HP2.1, HP2.2, HP3.1), two milestones of HP2.1, and
updates for 2025-26 Q1 and Q2. Row numbers follow from it: the Actions sheet has its header in
row 1 and the actions in plan order (HP2.1, HP2.2, HP3.1) in rows 2 to 4; the Milestones sheet
has HP2.1's milestones 1 and 2 in rows 2 and 3.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, InputError
from placeplan.delivery import service
from placeplan.delivery.io.layout import ACTIONS, MILESTONES, READ_ME
from placeplan.delivery.io.read import read_tracker
from placeplan.delivery.io.write import tracker_bytes
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone, DeliveryUpdate
from placeplan.delivery.service import import_tracker
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import delivery  # noqa: F401  (the delivery tests' fixture)

HP21_ROW, HP22_ROW, HP31_ROW = 2, 3, 4


def export(sessions, plan_id: int, period: str | None = "2025-26 Q2") -> bytes:
    with sessions() as s:
        return tracker_bytes(service.tracker_export(s, operator(), plan_id, period))


def cells(data: bytes) -> dict[str, list[list[object]]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


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


def do_import(sessions, data: bytes, plan_id: int | None = None) -> dict:
    with unit_of_work(sessions) as s:
        return import_tracker(s, operator("importer"), io.BytesIO(data), plan_id, "tracker.xlsx")


def edit(data: bytes, changes: dict[tuple[str, str], object]) -> bytes:
    """Set cells by (sheet, coordinate), as a person would in Excel, and save."""
    wb = load_workbook(io.BytesIO(data))
    for (sheet, coordinate), value in changes.items():
        wb[sheet][coordinate].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column(data: bytes, sheet: str, header: str) -> str:
    wb = load_workbook(io.BytesIO(data))
    for cell in wb[sheet][1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(f"no column {header} on {sheet}")


def test_export_import_export_is_identical_and_writes_nothing(sessions, delivery):
    first = export(sessions, delivery.plan_id)
    before = audit_count(sessions)
    summary = do_import(sessions, first)
    assert audit_count(sessions) == before  # an unchanged workbook writes no audit event
    assert summary["changes"] == []
    assert (summary["actions_changed"], summary["updates_written"]) == (0, 0)
    second = export(sessions, delivery.plan_id)
    assert cells(first) == cells(second)
    assert first == second  # fixed document and zip times: the bytes are stable too


def test_the_workbook_carries_the_seed_columns_the_period_and_validations(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    sheets = cells(data)
    assert list(sheets) == [READ_ME, ACTIONS, MILESTONES]
    header = sheets[ACTIONS][0]
    for wanted in (
        "Theme",
        "Priority ref",
        "Action ref",
        "We will",
        "I will",
        "Delivery stage",
        "Lead contacts",
        "Lead organisations",
        "Governance body",
        "Start",
        "Due",
        "How will this improve equity?",
        "Equity assured",
        "Resources",
        "Source of resources",
        "Planned engagement",
        "Guiding principles (refs)",
        "PLUS groups",
        "Overall RAG",
        "Risk / issue RAG",
        "Improvement trajectory RAG",
        "Internal commentary",
        "Public commentary",
        "Risks and issues",
        "Decision needed",
        "Evidence",
    ):
        assert wanted in header, wanted
    rows = {r[header.index("Action ref")]: r for r in sheets[ACTIONS][1:]}
    assert list(rows) == ["HP2.1", "HP2.2", "HP3.1"]
    hp21 = rows["HP2.1"]
    # conftest: HP2.1 was green in Q1 and red in Q2; it is led by county-viewer, reports to the
    # County HWB, and its equity is assured.
    assert hp21[header.index("Overall RAG")] == "Red"
    assert hp21[header.index("Overall RAG last period")] == "Green (2025-26 Q1)"
    assert hp21[header.index("Status change from last period")] == "Worsened"
    assert hp21[header.index("Delivery stage")] == "Delivery"
    assert hp21[header.index("Governance body")] == "County Health and Wellbeing Board"
    assert hp21[header.index("Lead user (username)")] == "county-viewer"
    assert hp21[header.index("Equity assured")] == "Yes"
    # HP3.1 was rated only in Q1: nothing for Q2, and its update version is 0.
    assert rows["HP3.1"][header.index("Overall RAG")] is None
    assert rows["HP3.1"][header.index("Update version (do not change)")] == 0
    read_me = {r[0]: r[1] for r in sheets[READ_ME] if r and r[0]}
    assert read_me["Plan id"] == delivery.plan_id
    assert read_me["Reporting period"] == "2025-26 Q2"
    first = sheets[MILESTONES][1]
    # conftest: HP2.1's milestone 1 is due 2025-05-31 and not done.
    assert first[:3] == ["HP2.1", "1", "Agree the INT approach"]
    assert (first[3].date(), first[4]) == (date(2025, 5, 31), None)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[ACTIONS]
    assert ws.freeze_panes == "A2"
    lists = sorted(v.formula1 for v in ws.data_validations.dataValidation)
    assert '"Red,Amber,Green"' in lists
    assert '"Not yet started,Started,Feasibility,Delivery,Evaluation,Complete"' in lists


def test_changed_cells_update_only_those_rows(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    we_will, overall = column(data, ACTIONS, "We will"), column(data, ACTIONS, "Overall RAG")
    public = column(data, ACTIONS, "Public commentary")
    done = column(data, MILESTONES, "Done")
    edited = edit(
        data,
        {
            (ACTIONS, f"{we_will}{HP22_ROW}"): "Enable digital literacy across the city",
            (ACTIONS, f"{overall}{HP31_ROW}"): "Green",
            (ACTIONS, f"{public}{HP31_ROW}"): "Access is improving",
            (MILESTONES, f"{done}2"): date(2025, 6, 1),
            (MILESTONES, "A4"): "HP3.1",
            (MILESTONES, "C4"): "Open two more hubs",
        },
    )
    with sessions() as s:
        last = s.scalar(select(func.max(AuditEvent.id))) or 0
    summary = do_import(sessions, edited)
    assert (
        summary["actions_changed"],
        summary["updates_written"],
        summary["milestones_changed"],
        summary["milestones_created"],
    ) == (1, 1, 1, 1)
    with sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.id > last)).all()
        touched = sorted((e.entity_kind, e.action) for e in events)
        hp22 = s.get(DeliveryAction, delivery.action_ids["HP2.2"])
        assert hp22.we_will == "Enable digital literacy across the city"
        q2 = s.scalars(
            select(DeliveryUpdate).where(
                DeliveryUpdate.action_id == delivery.action_ids["HP3.1"],
                DeliveryUpdate.period == "2025-26 Q2",
            )
        ).one()
        assert (q2.overall_rag, q2.public_commentary) == ("green", "Access is improving")
        new = s.scalars(
            select(DeliveryMilestone).where(
                DeliveryMilestone.action_id == delivery.action_ids["HP3.1"]
            )
        ).one()
        assert (new.ref, new.by_text) == ("1", "Open two more hubs")
    # One audited event per changed row: HP2.2, HP3.1's Q2 update, HP2.1's milestone 1 and the
    # new milestone; nothing for the rows left as they were.
    assert touched == [
        ("delivery_action", "update"),
        ("delivery_milestone", "create"),
        ("delivery_milestone", "update"),
        ("delivery_update", "create"),
    ]
    # The next export shows what was typed; only the versions and derived cells moved.
    again = cells(export(sessions, delivery.plan_id))
    typed = cells(edited)
    header = again[ACTIONS][0]
    skip = {
        header.index(h)
        for h in (
            "Action version (do not change)",
            "Update version (do not change)",
            "Status change from last period",
        )
    }
    for got, want in zip(again[ACTIONS], typed[ACTIONS], strict=True):
        assert [v for i, v in enumerate(got) if i not in skip] == [
            v for i, v in enumerate(want) if i not in skip
        ]
    assert again[MILESTONES][1][4].date() == date(2025, 6, 1)
    assert again[MILESTONES][3][:5] == ["HP3.1", "1", "Open two more hubs", None, None]


@pytest.mark.parametrize(
    "sheet, header, row, value, expected",
    [
        # A stage not among seed 004's (started, feasibility, delivery, evaluation, complete).
        (ACTIONS, "Delivery stage", HP22_ROW, "Nearly done", "expected one of Not yet started"),
        (ACTIONS, "Overall RAG", HP31_ROW, "Purple", "expected Red, Amber, Green"),
        (ACTIONS, "Due", HP21_ROW, "31/02/2025", "expected a date such as 2025-03-31"),
        (ACTIONS, "Equity assured", HP21_ROW, "Perhaps", "expected Yes, No or an empty cell"),
        (ACTIONS, "We will", HP22_ROW, "=HYPERLINK(A1)", "expected a value, not a formula"),
        (ACTIONS, "Action ref", HP31_ROW, "HP2.1", "a ref not used by another row"),
        (MILESTONES, "Done", 3, "soon", "expected a date"),
        (ACTIONS, "Governance body", HP22_ROW, "No Such Board", "name or key of a governance"),
        (ACTIONS, "Priority ref", HP22_ROW, "3", "expected 2, the priority of action HP2.2"),
        (ACTIONS, "Lead user (username)", HP21_ROW, "nobody", "no user has the username"),
        (ACTIONS, "PLUS groups", HP21_ROW, "Astronauts", "must be one of the plan's: Homelessness"),
        (ACTIONS, "Action version (do not change)", HP21_ROW, "x", "the whole number"),
    ],
)
def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_written(
    sessions, delivery, sheet, header, row, value, expected
):
    data = export(sessions, delivery.plan_id)
    we_will = column(data, ACTIONS, "We will")
    bad = edit(
        data,
        {
            # A good change on another row first: it must not survive the bad one.
            (ACTIONS, f"{we_will}{HP31_ROW if row != HP31_ROW else HP21_ROW}"): "Changed",
            (sheet, f"{column(data, sheet, header)}{row}"): value,
        },
    )
    before = audit_count(sessions)
    with pytest.raises(InputError) as caught:
        do_import(sessions, bad)
    error = caught.value
    assert (error.sheet, error.row, error.field) == (sheet, row, header), str(error)
    assert expected in error.message, error.message
    assert error.file == "tracker.xlsx"
    assert audit_count(sessions) == before
    with sessions() as s:
        assert "Changed" not in {a.we_will for a in s.scalars(select(DeliveryAction))}


def test_every_cell_problem_is_collected_for_the_page(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    bad = edit(
        data,
        {
            (ACTIONS, f"{column(data, ACTIONS, 'Delivery stage')}{HP21_ROW}"): "Soon",
            (ACTIONS, f"{column(data, ACTIONS, 'Risk / issue RAG')}{HP22_ROW}"): "Blue",
        },
    )
    parsed = read_tracker(io.BytesIO(bad), "tracker.xlsx")
    assert [(p.row, p.column) for p in parsed.problems] == [
        (HP21_ROW, "Delivery stage"),
        (HP22_ROW, "Risk / issue RAG"),
    ]
    assert "(and 1 more problem)" in parsed.error().message


def test_an_update_text_without_a_rating_is_refused(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    bad = edit(data, {(ACTIONS, f"{column(data, ACTIONS, 'Evidence')}{HP31_ROW}"): "A report"})
    with pytest.raises(InputError) as caught:
        do_import(sessions, bad)
    assert (caught.value.row, caught.value.field) == (HP31_ROW, "Overall RAG")


def test_a_row_edited_in_the_app_since_the_export_is_a_conflict(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    with unit_of_work(sessions) as s:
        hp21 = s.get(DeliveryAction, delivery.action_ids["HP2.1"])
        service.update_action(
            s, operator("someone"), hp21.id, hp21.version, {"i_will": "Changed in the app"}
        )
    we_will = column(data, ACTIONS, "We will")
    stale = edit(data, {(ACTIONS, f"{we_will}{HP21_ROW}"): "Changed in the workbook"})
    before = audit_count(sessions)
    with pytest.raises(Conflict) as caught:
        do_import(sessions, stale)
    assert f"action HP2.1 (sheet Actions, row {HP21_ROW})" in caught.value.message
    assert caught.value.changes["i_will"] == (
        "I will receive the right support at the right time",
        "Changed in the app",
    )
    assert audit_count(sessions) == before
    # Had the workbook left that row as exported, the app's change stands and the rest goes in.
    fine = edit(data, {(ACTIONS, f"{we_will}{HP22_ROW}"): "Changed in the workbook"})
    summary = do_import(sessions, fine)
    # HP2.2 changed; HP2.1 kept as the app left it.
    assert (summary["actions_changed"], summary["left_as_changed_in_the_app"]) == (1, 1)
    with sessions() as s:
        assert s.get(DeliveryAction, delivery.action_ids["HP2.1"]).i_will == "Changed in the app"


def test_a_period_update_made_in_the_app_since_the_export_is_a_conflict(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    hp31 = delivery.action_ids["HP3.1"]
    with unit_of_work(sessions) as s:
        service.record_updates(
            s, operator("lead"), delivery.plan_id, "2025-26 Q2", [service.UpdateIn(hp31, 0, "red")]
        )
    stale = edit(data, {(ACTIONS, f"{column(data, ACTIONS, 'Overall RAG')}{HP31_ROW}"): "Green"})
    with pytest.raises(Conflict) as caught:
        do_import(sessions, stale)
    assert f"update of action HP3.1 (sheet Actions, row {HP31_ROW})" in caught.value.message


def test_new_actions_need_a_known_priority_and_a_blank_version(sessions, delivery):
    data = export(sessions, delivery.plan_id)
    col = {h: column(data, ACTIONS, h) for h in ("Priority ref", "Action ref", "We will")}
    added = edit(
        data,
        {
            (ACTIONS, f"{col['Priority ref']}5"): "3",
            (ACTIONS, f"{col['Action ref']}5"): "HP3.2",
            (ACTIONS, f"{col['We will']}5"): "Plant trees",
        },
    )
    summary = do_import(sessions, added)
    assert summary["actions_created"] == 1
    bad = edit(
        export(sessions, delivery.plan_id),
        {
            (ACTIONS, f"{col['Priority ref']}6"): "99",
            (ACTIONS, f"{col['Action ref']}6"): "HP9.1",
            (ACTIONS, f"{col['We will']}6"): "Something",
        },
    )
    with pytest.raises(InputError) as caught:
        do_import(sessions, bad)
    assert (caught.value.row, caught.value.field) == (6, "Priority ref")


def test_the_workbook_of_another_plan_is_refused(sessions, delivery, world):
    data = export(sessions, delivery.plan_id)
    with pytest.raises(InputError) as caught:
        do_import(sessions, data, plan_id=world.plan_id)
    assert caught.value.sheet == READ_ME and caught.value.field == "Plan id"


def test_a_file_that_is_not_a_workbook_is_refused(sessions, delivery):
    with pytest.raises(InputError) as caught:
        do_import(sessions, b"Theme,Priority\nA,1\n")
    assert "not an Excel workbook" in caught.value.message
