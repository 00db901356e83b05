"""A plan's budget as its snapshots keep it, and the differences between two snapshots."""

from __future__ import annotations

from placeplan.budget import service as budget
from placeplan.core.actor import operator
from placeplan.core.differences import differences
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.budget.factory import budget_mapping
from tests.factories import add_budget, build_world


def test_a_plan_without_a_budget_has_no_part_and_one_with_a_budget_has_its_document(sessions):
    world = build_world(sessions)
    with sessions() as s:
        assert budget.snapshot_part(s, plans.get_plan(s, operator(), world.plan_id)) is None
    add_budget(sessions, world)
    with sessions() as s:
        part = budget.snapshot_part(s, plans.get_plan(s, operator(), world.plan_id))
    assert part is not None
    assert [line["id"] for scheme in part["schemes"] for line in scheme["lines"]] == [
        "S1-1",
        "S1-2",
        "S2-1",
    ]
    # Income comes ordered by source: the Better Care Grant's £50,000, then the NHS £150,000.
    assert [i["amount_pence"] for i in part["income"]] == [
        i["amount_pence"] for i in reversed(budget_mapping()["income"])
    ]


def test_two_parts_differ_in_names_and_pounds(sessions):
    world = add_budget(sessions, build_world(sessions))
    with sessions() as s:
        before = budget.snapshot_part(s, plans.get_plan(s, operator(), world.plan_id))
    assert before is not None
    after = {**before, "income": [dict(i) for i in before["income"]]}
    after["income"][1]["amount_pence"] += 1_000_00  # the factory's £150,000 NHS income, + £1,000
    with unit_of_work(sessions) as s:
        sections = budget.part_differences(s, before, after)
        assert budget.part_differences(s, None, None)[0].changes == ()
    [figure] = [c for s in sections for c in s.changes]
    # Income is ordered by source: better_care_grant (£50,000), then nhs_minimum (£150,000).
    assert figure.name == "NHS minimum contribution from Test ICB"
    assert [(f.before.text, f.after.text) for f in figure.fields] == [
        ("£150,000.00", "£151,000.00")
    ]
    assert differences(sections).summary() == "1 income figure changed"
