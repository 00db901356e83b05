"""The record's tables in the narrative plan: the governance structure from the bodies' reporting
lines (tests/factories.py: the Integration Executive reports to the county's board), as a table
and a diagram, with only the bodies in being during the plan's years; and key changes and spend
moved against the previous year's plan."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from placeplan.core.actor import operator
from placeplan.governance import service as governance
from placeplan.narrative.io.diagram import diagram_png
from placeplan.narrative.service import figures
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE, actor_for, add_budget


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


def test_the_diagram_draws_the_areas_bodies_in_being_during_the_plans_years(sessions, world):
    with unit_of_work(sessions) as s:
        # merged away before the 2025-26 plan began (as Leicestershire's two sub-groups were in
        # March 2024), and one set up during its year
        for key, name, ended, began in (
            ("old-group", "Old Delivery Group", date(2024, 3, 31), None),
            ("new-group", "New Delivery Group", None, date(2025, 9, 1)),
        ):
            governance.create_body(
                s,
                operator("test"),
                key,
                name,
                name,
                area_code=LEICESTERSHIRE,
                reports_to_key="county-ie",
                valid_from=began,
                valid_to=ended,
            )
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-viewer"), world.plan_id)
        diagram = figures.governance_diagram(s, plan)
        table = figures.governance_table(s, plan)
    assert diagram is not None and table is not None
    assert diagram.nodes == (
        ("County Health and Wellbeing Board", None),
        ("Integration Executive", 0),
        ("New Delivery Group", 1),
    )
    assert "Old Delivery Group" not in {r[0].strip("\u2003") for r in table.rows}
    assert diagram.description().endswith(
        "At the top: County Health and Wellbeing Board. Reporting to County Health and"
        " Wellbeing Board: Integration Executive. Reporting to Integration Executive: New"
        " Delivery Group."
    )
    png, width = diagram_png(diagram)
    picture = Image.open(io.BytesIO(png))
    # three levels of one box each: one column wide, three boxes deep
    assert picture.format == "PNG" and picture.width == width
    assert picture.height > 3 * 60 and picture.width < picture.height * 2


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
