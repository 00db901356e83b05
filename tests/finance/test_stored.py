"""A plan's financial model through the service: created, edited with version checks and
audit, refused whole on bad input, copied to scenarios that go out of date."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.finance import service
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.finance.factory import small_document

FIGURES = {"name": "Tariff inflation", "source": "hand", "amount_2024": "10", "amount_2025": "25"}


def _events(session) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_kind == "finance_model")
    )


def test_editing_a_line_recomputes_and_is_audited(sessions, finance_world) -> None:
    with unit_of_work(sessions) as s:
        before = _events(s)
        record = service.update_line(
            s, operator("test"), finance_world.model_id, 1, "inflation", FIGURES
        )
        assert record.version == 2
        # Year 2's inflation now £25 rather than £20: the do-nothing recurrent position ends
        # at -75 rather than -70 (tests/finance/test_compute.py).
        result = service.computed(record).result
        assert result.do_nothing.recurrent_end == -75_00
        assert _events(s) == before + 1


def test_a_stale_version_is_refused(sessions, finance_world) -> None:
    with unit_of_work(sessions) as s:
        service.update_line(s, operator("test"), finance_world.model_id, 1, "inflation", FIGURES)
    with sessions() as s, pytest.raises(Conflict) as caught:
        service.update_line(
            s,
            operator("test"),
            finance_world.model_id,
            1,
            "inflation",
            FIGURES | {"amount_2025": "30"},
        )
    # What moved is named as a person reads it: the line, the year, before and now.
    assert caught.value.changes == {"Tariff inflation, 2025-26": ("£20", "£25")}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount_2024": "", "rate_2024": "5"}, "base_2024"),  # a rate without a base
        ({"amount_2024": "ten"}, "amount_2024"),
        ({"amount_2024": "10", "rate_2024": "5", "base_2024": "cost_base"}, "rate_2024"),
    ],
)
def test_bad_figures_are_refused_with_the_field_named(
    sessions, finance_world, values, field
) -> None:
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            service.update_line(
                s, operator("test"), finance_world.model_id, 1, "inflation", FIGURES | values
            )
        s.rollback()
        assert caught.value.field == field
        assert service.get_model(s, operator("test"), finance_world.model_id).version == 1


def test_a_recurrent_investment_without_a_start_year_is_refused(sessions, world) -> None:
    from placeplan.plans import service as plans

    document = small_document()
    document["lines"].append(
        {
            "key": "hub",
            "kind": "investment",
            "name": "Hub",
            "stage": "proposal",
            "recurrent": True,
            "source": "hand",
            "entries": [{"year": "2025-26", "amount": 5}],
        }
    )
    with sessions() as s:
        plan = plans.create_plan(
            s, operator("t"), "five_year_plan", "P", "2024-25 to 2025-26", system_code="LLR"
        )
        with pytest.raises(InputError) as caught:
            service.create_model(s, operator("t"), plan.id, "M", document)
        assert caught.value.field == "start_year"


def test_a_model_outside_the_plans_period_is_refused(sessions, finance_world) -> None:
    document = small_document(last_year="2026-27")
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            service.create_model(s, operator("t"), finance_world.world.plan_id, "M", document)
        assert caught.value.field == "first_year"  # the county plan is 2025-26 alone


def test_only_the_plans_editors_may_change_it(sessions, finance_world) -> None:
    with sessions() as s:
        viewer = actor_for(s, "county-viewer")
        with pytest.raises(Forbidden):
            service.update_line(s, viewer, finance_world.model_id, 1, "inflation", FIGURES)


def test_a_scenario_goes_out_of_date_when_its_base_changes(sessions, finance_world) -> None:
    with unit_of_work(sessions) as s:
        scenario = service.copy_to_scenario(s, operator("t"), finance_world.model_id, "Low growth")
        scenario_id = scenario.id
        assert service.staleness(s, operator("t"), scenario).out_of_date is False
    with unit_of_work(sessions) as s:
        service.update_line(s, operator("t"), finance_world.model_id, 1, "inflation", FIGURES)
    with sessions() as s:
        scenario = service.get_model(s, operator("t"), scenario_id)
        stale = service.staleness(s, operator("t"), scenario)
        assert stale is not None and stale.out_of_date
        assert stale.base_changes.summary() == "1 assumption changed"
        (change,) = stale.base_changes.sections[0].changes
        assert [
            (f.label, f.before.text, f.after.text) for f in change.fields if f.before and f.after
        ] == [("2025-26", "£20", "£25")]
        # Never recomputed: the scenario keeps the inflation it was copied with.
        assert service.computed(scenario).result.do_nothing.recurrent_end == -70_00
