"""The budget's services on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from placeplan.budget import service as budget
from placeplan.budget.domain.document import document_from_mapping
from placeplan.budget.models import ExpenditureLineRow
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.plans import service as plans
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.budget.factory import budget_mapping
from tests.factories import actor_for, build_world, submit


def load(sessions, world, mapping, who="county-editor"):
    with unit_of_work(sessions) as s:
        return budget.load_document(
            s, actor_for(s, who), world.plan_id, document_from_mapping(mapping)
        )


def test_load_and_summarise(sessions):
    world = build_world(sessions)
    load(sessions, world, budget_mapping())
    with sessions() as s:
        view = budget.view(s, operator(), world.plan_id)
    # By hand: £150,000 intermediate care + £50,000 acute = £200,000; acute is 25%.
    assert view.summary.total_pence == 200_000_00
    assert [c.total_pence for c in view.summary.categories] == [50_000_00, 150_000_00, 0]
    assert view.summary.new_pence == 10_000_00
    assert all(check.agrees for _, check in view.stated)
    assert [f.rule for f in view.findings] == ["nhs-asc-minimum"]  # no baseline: a warning only


def test_income_not_matching_spend_imports_nothing(sessions):
    world = build_world(sessions)
    with sessions() as s:
        before = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_kind != "sign_in")
        )
    with pytest.raises(InputError) as caught:
        load(sessions, world, budget_mapping(shift_income_pence=1))
    assert "income-equals-expenditure" in caught.value.message
    with sessions() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind != "sign_in")
            )
            == before
        )
        assert s.scalar(select(func.count()).select_from(ExpenditureLineRow)) == 0


def test_nhs_minimum_to_social_care_blocks_submission(sessions):
    world = build_world(sessions)
    load(sessions, world, budget_mapping())
    with unit_of_work(sessions) as s:
        plan = plans.get_plan(s, operator(), world.plan_id)
        # £100,000 baseline + 3.9% = £103,900 needed; the plan gives £150,000 to social care.
        budget.set_nhs_asc_baseline(s, operator(), plan.area_id, 2025, 100_000_00)
    with unit_of_work(sessions) as s:
        plan = plans.get_plan(s, operator(), world.plan_id)
        budget.set_nhs_asc_baseline(s, operator(), plan.area_id, 2025, 150_000_00)  # needs £155,850
    with sessions() as s, pytest.raises(InputError) as caught:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    assert caught.value.field == "budget" and "adult social care" in caught.value.message


def test_line_edits_are_versioned_and_scoped(sessions):
    world = build_world(sessions)
    load(sessions, world, budget_mapping())
    with sessions() as s:
        row = s.scalars(select(ExpenditureLineRow).where(ExpenditureLineRow.ref == "S2-1")).one()
        line_id, version = row.id, row.version
        with pytest.raises((Forbidden, NotFound)):  # the city cannot see the county's draft
            budget.update_line(
                s, actor_for(s, "city-editor"), line_id, version, {"amount_pence": 1}
            )
    with unit_of_work(sessions) as s:
        budget.update_line(
            s, actor_for(s, "county-editor"), line_id, version, {"new_pence": 5_000_00}
        )
    with sessions() as s, pytest.raises(Conflict) as caught:
        budget.update_line(s, actor_for(s, "icb-editor"), line_id, version, {"new_pence": 1})
    assert caught.value.changes == {"new_pence": (0, 5_000_00)}


def test_kloe_reviews_keep_their_history(sessions):
    world = build_world(sessions)
    load(sessions, world, budget_mapping())
    parts = {p: {"rating": "good", "comment": ""} for p in budget.KLOE_PARTS}
    with sessions() as s:
        scheme_id = s.scalars(
            select(ExpenditureLineRow.scheme_id).where(ExpenditureLineRow.ref == "S2-1")
        ).one()
    with unit_of_work(sessions) as s:
        budget.add_review(
            s, actor_for(s, "county-editor"), scheme_id, date(2025, 2, 1), parts, "continue"
        )
    with unit_of_work(sessions) as s:
        budget.add_review(
            s,
            actor_for(s, "county-editor"),
            scheme_id,
            date(2025, 9, 1),
            parts,
            "redesign",
            body_key="county-hwb",
        )
    with sessions() as s:
        scheme = budget.get_scheme(s, operator(), scheme_id)
        assert [r.recommendation for r in scheme.reviews] == ["redesign", "continue"]
        with pytest.raises(InputError) as caught:
            budget.add_review(
                s,
                actor_for(s, "county-editor"),
                scheme_id,
                date(2025, 9, 1),
                {"value_for_money": {"rating": "good"}},
                "continue",
            )
        assert caught.value.field == "parts"


def test_a_reused_view_follows_every_budget_change(sessions):
    world = build_world(sessions)
    load(sessions, world, budget_mapping())
    with sessions() as s:
        first = budget.view(s, operator(), world.plan_id)
        again = budget.view(s, operator(), world.plan_id)
        assert again.document is first.document  # reused, not recomputed
        row = s.scalars(select(ExpenditureLineRow).where(ExpenditureLineRow.ref == "S1-1")).one()
        line_id, version, area_id = (
            row.id,
            row.version,
            plans.get_plan(s, operator(), world.plan_id).area_id,
        )
    with unit_of_work(sessions) as s:
        budget.update_line(
            s, actor_for(s, "county-editor"), line_id, version, {"new_pence": 20_000_00}
        )
    with sessions() as s:
        assert budget.view(s, operator(), world.plan_id).summary.new_pence == 20_000_00
    with unit_of_work(sessions) as s:
        budget.set_nhs_asc_baseline(s, operator(), area_id, 2025, 150_000_00)  # needs £155,850
    with sessions() as s:
        rules_now = {f.rule: f.severity for f in budget.view(s, operator(), world.plan_id).findings}
        assert rules_now["nhs-asc-minimum"] == "error"
        with pytest.raises(Forbidden):
            budget.set_nhs_asc_baseline(s, actor_for(s, "county-editor"), area_id, 2025, 1)
