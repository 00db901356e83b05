"""The record's tables in the narrative plan: the governance structure from the bodies' reporting
lines (tests/factories.py: the Integration Executive reports to the county's board), and key
changes and spend moved against the previous year's plan."""

from __future__ import annotations

from placeplan.narrative.service import figures
from placeplan.plans import service as plans
from tests.factories import actor_for, add_budget


def test_the_governance_structure_follows_the_reporting_lines(sessions, world):
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-viewer"), world.plan_id)
        table = figures.governance_table(s, plan)
    assert table is not None and table.caption.startswith("Governance structure")
    rows = [(r[0].strip("\u2003"), r[1], r[2]) for r in table.rows]
    assert rows == [
        (
            "County Health and Wellbeing Board",
            "None (the top)",
            "County Health and Wellbeing Board",
        ),
        (
            "Integration Executive",
            "County Health and Wellbeing Board",
            "Integration Executive \u2192 County Health and Wellbeing Board",
        ),
    ]
    # the body under another is indented once
    assert table.rows[1][0].startswith("\u2003") and not table.rows[0][0].startswith("\u2003")


def test_spend_moved_since_the_previous_years_plan(sessions, world):
    add_budget(sessions, world)  # the 2025-26 plan's two schemes; the 2024-25 plan has none
    with sessions() as s:
        actor = actor_for(s, "county-viewer")
        plan = plans.get_plan(s, actor, world.plan_id)
        spend = figures.spend_table(s, actor, plan)
        shift = figures.shift_table(s, actor, plan)
        changes = figures.key_changes_table(s, plan)
    # tests/budget/factory.py: £150,000 NHS minimum and £50,000 iBCF, £200,000 in all
    assert spend.rows[-1][:2] == ("Total", "£200,000")
    assert shift is not None and "County BCF 2024-25" in shift.caption
    assert sum(int(r[3].strip("£").replace(",", "")) for r in shift.rows) == 200_000
    assert changes is not None and {r[1] for r in changes.rows} == {"New"}
