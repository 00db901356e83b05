"""A planning workbook's upload previewed, held and confirmed; re-imports matched by stable keys.

The budget is tests/budget/factory.py's: S1-1 £100,000 and S2-1 £50,000 from the NHS minimum
contribution (£150,000 of income), S1-2 £50,000 from the Better Care Grant. The edit every test
makes moves £10,000 of NHS money from S1-1 (intermediate care) to S2-1 (acute): £90,000 and
£60,000, so income still equals expenditure for each source."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placeplan.audit import service as audit
from placeplan.audit.present import entries
from placeplan.budget import service as budget
from placeplan.budget.domain.document import document_from_mapping
from placeplan.budget.models import (
    ExpenditureLineRow,
    IncomeContribution,
    Scheme,
    StatedFigureRow,
    TopSliceRow,
)
from placeplan.core.actor import operator
from placeplan.core.errors import Forbidden, NotFound
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from placeplan.store.uploads import PendingUpload
from tests.budget.factory import budget_mapping, edited_workbook
from tests.factories import actor_for, add_budget, build_world

EDIT = {"S1-1": 90_000, "S2-1": 60_000}


@pytest.fixture
def world(sessions):
    return add_budget(sessions, build_world(sessions))


def exported(sessions, world) -> bytes:
    with sessions() as s:
        return budget.export_workbook(s, operator(), world.plan_id).content


def counts(sessions) -> tuple[int, ...]:
    models = (Scheme, ExpenditureLineRow, IncomeContribution, StatedFigureRow, AuditEvent)
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in models)


def amounts(sessions) -> dict[str, int]:
    with sessions() as s:
        return {r.ref: r.amount_pence for r in s.scalars(select(ExpenditureLineRow))}


def events_after(sessions, last: int) -> list[tuple[str, str, int]]:
    with sessions() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id))
        return [(e.action, e.entity_kind, e.entity_id) for e in rows]


def last_event(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.max(AuditEvent.id))) or 0


def preview(sessions, world, content: bytes, who: str = "county-editor") -> budget.Preview:
    with unit_of_work(sessions) as s:
        return budget.preview_workbook(s, actor_for(s, who), world.plan_id, "budget.xlsx", content)


def test_a_preview_lists_the_changes_in_names_and_pounds_and_writes_nothing(sessions, world):
    content = edited_workbook(exported(sessions, world), EDIT)
    before = counts(sessions)
    shown = preview(sessions, world, content)
    assert counts(sessions) == before and amounts(sessions)["S1-1"] == 100_000_00
    assert shown.differences.summary() == "2 lines changed, 2 category totals changed"
    lines = shown.differences.sections[1].changes
    assert [(c.name, [(f.before.text, f.after.text) for f in c.fields]) for c in lines] == [
        ("Line S1-1 of Home first", [("£100,000.00", "£90,000.00")]),
        ("Line S2-1 of Acute discharge team", [("£50,000.00", "£60,000.00")]),
    ]
    # The plan states acute is 25%; £60,000 of £200,000 is 30%.
    stated = [f["message"] for f in shown.findings if f["rule"] == "stated-figure"]
    assert stated == ["Share of the budget for Acute: the plan states 25%; the budget gives 30%"]
    assert "nhs-asc-minimum" in {f["rule"] for f in shown.findings}
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(PendingUpload)) == 1


def test_confirming_applies_one_update_per_changed_line_and_forgets_the_upload(sessions, world):
    shown = preview(sessions, world, edited_workbook(exported(sessions, world), EDIT))
    last = last_event(sessions)
    with unit_of_work(sessions) as s:
        applied = budget.confirm_workbook(
            s, actor_for(s, "county-editor"), world.plan_id, shown.token
        )
    assert applied.summary() == shown.differences.summary()
    assert amounts(sessions) == {"S1-1": 90_000_00, "S1-2": 50_000_00, "S2-1": 60_000_00}
    with sessions() as s:
        ids = {r.ref: r.id for r in s.scalars(select(ExpenditureLineRow))}
        assert s.scalar(select(func.count()).select_from(PendingUpload)) == 0
    assert events_after(sessions, last) == [
        ("upload_workbook", "plan", world.plan_id),  # what the person did, then what it changed
        ("update", "bcf_line", ids["S1-1"]),
        ("update", "bcf_line", ids["S2-1"]),
    ]
    with sessions() as s:
        reading = audit.read(s, operator(), audit.filters_from(plan=str(world.plan_id)), 1)
    entry = entries(reading)[0]
    assert entry.sentence == (
        "county editor uploaded the planning workbook for the plan County BCF 2025-26:"
        " 2 lines changed"
    )


def test_the_exported_workbook_re_imported_unchanged_writes_nothing(sessions, world):
    content = exported(sessions, world)
    last = last_event(sessions)
    with unit_of_work(sessions) as s:
        budget.import_parsed(
            s, operator(), budget.read_upload(content, "budget.xlsx"), world.plan_id
        )
    shown = preview(sessions, world, content)
    assert shown.differences.empty
    with unit_of_work(sessions) as s:
        budget.confirm_workbook(s, actor_for(s, "county-editor"), world.plan_id, shown.token)
    assert events_after(sessions, last) == []


def test_a_confirmation_after_the_budget_changed_is_refused_with_the_new_differences(
    sessions, world
):
    shown = preview(sessions, world, edited_workbook(exported(sessions, world), EDIT))
    with unit_of_work(sessions) as s:  # someone else changes S1-2 meanwhile: £50,000 -> £50,001
        budget.update_line(
            s, actor_for(s, "icb-editor"), _line_id(s, "S1-2"), 1, {"amount_pence": 50_001_00}
        )
    before = counts(sessions)
    with sessions() as s, pytest.raises(budget.StalePreview) as caught:
        budget.confirm_workbook(s, actor_for(s, "county-editor"), world.plan_id, shown.token)
    assert caught.value.differences.summary() == "3 lines changed, 2 category totals changed"
    assert counts(sessions) == before and amounts(sessions)["S1-1"] == 100_000_00
    with sessions() as s:
        again = budget.held_preview(s, actor_for(s, "county-editor"), world.plan_id, shown.token)
    assert again.stale and again.differences.summary() == caught.value.differences.summary()


def test_only_the_person_who_previewed_may_confirm_and_only_editors_preview(sessions, world):
    content = edited_workbook(exported(sessions, world), EDIT)
    shown = preview(sessions, world, content)
    with sessions() as s, pytest.raises(NotFound):
        budget.confirm_workbook(s, actor_for(s, "icb-editor"), world.plan_id, shown.token)
    with sessions() as s, pytest.raises(Forbidden):
        budget.preview_workbook(
            s, actor_for(s, "county-viewer"), world.plan_id, "budget.xlsx", content
        )
    assert amounts(sessions)["S1-1"] == 100_000_00


def _line_id(session, ref: str) -> int:
    return session.scalars(select(ExpenditureLineRow.id).where(ExpenditureLineRow.ref == ref)).one()


def test_income_top_slices_and_stated_figures_are_matched_by_their_keys(sessions, world):
    mapping = budget_mapping()
    mapping["top_slices"] = [
        {
            "body": "county-hwb",
            "decided_on": "2025-03-27",
            "amount_pence": 0,
            "purpose": "Hoarding support",
        }
    ]
    with unit_of_work(sessions) as s:
        budget.load_document(s, operator(), world.plan_id, document_from_mapping(mapping))
    with sessions() as s:
        income_ids = {r.source: r.id for r in s.scalars(select(IncomeContribution))}
        top_id = s.scalars(select(TopSliceRow.id)).one()
        stated_ids = {r.what: r.id for r in s.scalars(select(StatedFigureRow))}
    last = last_event(sessions)
    mapping["income"][0]["note"] = "Agreed at the March board"
    mapping["stated"] = [{"what": "total", "text": "£200k"}]  # share:acute gone
    mapping["top_slices"][0]["amount_pence"] = 1_000_00
    with unit_of_work(sessions) as s:
        budget.load_document(s, operator(), world.plan_id, document_from_mapping(mapping))
    assert sorted(events_after(sessions, last)) == sorted(
        [
            ("update", "bcf_income", income_ids["nhs_minimum"]),
            ("update", "bcf_top_slice", top_id),
            ("delete", "bcf_stated_figure", stated_ids["share:acute"]),
            ("update", "bcf_stated_figure", stated_ids["total"]),
        ]
    )
