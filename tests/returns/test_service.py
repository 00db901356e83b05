"""A plan's returns: worked out from the record while a draft, saved by its editors, confirmed by
someone who may decide a step of its sign-off chain, and read-only afterwards.

The budget is tests/budget/factory.py's: S1-1 £100,000 (NHS minimum contribution) and S1-2
£50,000 (Better Care Grant) in intermediate care and discharge support, S2-1 £50,000 (NHS minimum
contribution) in acute; £200,000 in all. The plan's chain has the county HWB's step, on which the
county sits (tests/factories.py)."""

from __future__ import annotations

import pytest

from placeplan.budget.service import actuals
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.returns import service
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, add_budget, build_world

SAID = {
    "conditions_met": True,
    "conditions_confirmed_by": "Ann Example, Director of Adult Social Care",
    "successes": "Discharge hubs open",
    "challenges": "Recruitment",
}


@pytest.fixture
def world(sessions):
    world = add_budget(sessions, build_world(sessions))
    with unit_of_work(sessions) as s:
        for ref, quarter, pence in (
            ("S1-1", "2025-26 Q1", 20_000_00),
            ("S1-1", "2025-26 Q2", 30_000_00),
            ("S2-1", "2025-26 Q1", 15_000_00),
        ):
            actuals.record_spend(
                s, operator(), world.plan_id, ref, quarter, {"actual_pence": pence}
            )
    return world


def test_a_draft_return_gives_spend_against_the_plan_by_category_and_source(sessions, world):
    with sessions() as s:
        view = service.return_view(s, actor_for(s, "county-viewer"), world.plan_id, "2025-26-Q2")
    spend = view.content["spend"]
    # Planned to Q2: half of £200,000. Actual: £20,000 + £30,000 + £15,000.
    assert spend["total"]["planned_pence"] == 100_000_00
    assert spend["total"]["actual_pence"] == 65_000_00
    assert spend["total"]["variance_pence"] == -35_000_00
    by_category = {c["name"]: c["actual_pence"] for c in spend["by_category"]}
    assert by_category == {
        "Intermediate care and discharge support": 50_000_00,
        "Acute": 15_000_00,
    }
    by_source = {c["name"]: c["plan_pence"] for c in spend["by_source"]}
    assert by_source == {
        "NHS minimum contribution": 150_000_00,
        "Local Authority Better Care Grant": 50_000_00,
    }
    assert view.content["kind"] == "Quarterly return" and "outturn" not in view.content
    assert not view.confirmed and not view.can_edit and not view.can_confirm


def test_the_year_end_return_adds_the_outturn(sessions, world):
    with sessions() as s:
        content = service.return_view(s, operator(), world.plan_id, "2025-26 Q4").content
    assert content["kind"] == "Year-end return"
    assert content["outturn"] == {
        "plan_pence": 200_000_00,
        "outturn_pence": 65_000_00,
        "variance_pence": -135_000_00,
    }


def test_a_confirmed_return_is_kept_as_it_was_and_cannot_change(sessions, world):
    with unit_of_work(sessions) as s:
        service.save_return(s, actor_for(s, "county-editor"), world.plan_id, "2025-26 Q2", SAID)
    with sessions() as s, pytest.raises(Forbidden):
        service.confirm_return(s, actor_for(s, "county-editor"), world.plan_id, "2025-26 Q2", None)
    with unit_of_work(sessions) as s:
        row = service.confirm_return(
            s, actor_for(s, "county-approver"), world.plan_id, "2025-26 Q2", None
        )
        kept = row.fingerprint
        assert row.confirmed_by == "county approver"
    # The record moves on: the confirmed return keeps its figures and says it is stale.
    with unit_of_work(sessions) as s:
        actuals.record_spend(
            s, operator(), world.plan_id, "S1-2", "2025-26 Q1", {"actual_pence": 1_000_00}
        )
    with sessions() as s:
        view = service.return_view(s, actor_for(s, "county-editor"), world.plan_id, "2025-26-Q2")
        assert view.confirmed and view.stale and view.fingerprint == kept
        assert view.content["spend"]["total"]["actual_pence"] == 65_000_00
        assert view.content["conditions"]["confirmed_by"] == SAID["conditions_confirmed_by"]
        assert not view.can_edit
        with pytest.raises(Conflict, match="was confirmed"):
            service.save_return(s, operator(), world.plan_id, "2025-26 Q2", {"successes": "x"})
        with pytest.raises(Conflict, match="was confirmed"):
            service.confirm_return(s, operator(), world.plan_id, "2025-26 Q2", None)


def test_a_return_is_not_confirmed_without_the_national_conditions_answered_by_name(
    sessions, world
):
    with unit_of_work(sessions) as s:
        service.save_return(s, operator(), world.plan_id, "2025-26 Q1", {"conditions_met": True})
    with sessions() as s, pytest.raises(InputError, match="Name the person"):
        service.confirm_return(s, operator(), world.plan_id, "2025-26 Q1", None)
    with sessions() as s, pytest.raises(InputError, match="Save the return"):
        service.confirm_return(s, operator(), world.plan_id, "2025-26 Q3", None)
    with sessions() as s, pytest.raises(InputError, match="200 characters or fewer"):
        service.save_return(
            s, operator(), world.plan_id, "2025-26 Q1", {"conditions_confirmed_by": "x" * 201}
        )
