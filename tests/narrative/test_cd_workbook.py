"""The capacity and demand plan workbook: laid out as the national template (month columns April
to March; hospital discharge then community), from a plan's capacity model's latest run, read
through the capacity concept's services."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from placeplan.capacity import service as capacity
from placeplan.core.errors import InputError
from placeplan.narrative.io.cd_workbook import SHEETS, workbook_bytes
from placeplan.narrative.service.capacity_plan import capacity_plan, require_plan
from placeplan.store.uow import unit_of_work
from tests.capacity.test_service import SMALL
from tests.factories import actor_for


def test_a_plan_without_a_run_has_no_capacity_plan(sessions, world):
    with sessions() as s, pytest.raises(InputError, match="finished run"):
        require_plan(s, actor_for(s, "county-viewer"), world.plan_id, 0)


def test_the_workbook_holds_each_month_of_the_run(sessions, world):
    with unit_of_work(sessions) as s:
        op = actor_for(s, "county-editor")
        model = capacity.create_model(s, op, world.plan_id, "Base", SMALL)
        run = capacity.run_model(s, op, model.id, 20, 1)
        results = run.results
    with sessions() as s:
        found = capacity_plan(s, actor_for(s, "county-viewer"), world.plan_id, 5)
    assert found is not None
    (p2,) = found.services
    assert [m.month for m in p2.months] == results["months"]
    assert found.sizing is not None and found.sizing.today == 22
    book = load_workbook(io.BytesIO(workbook_bytes(found)))
    assert book.sheetnames == list(SHEETS)
    sheet = book["Hospital discharge"]
    header = [c.value for c in sheet[4]]
    assert header[:4] == ["Pathway", "Service", "Measure", "Apr 2025"] and header[-2:] == [
        "Mar 2026",
        "Year",
    ]
    demand = next(
        r for r in sheet.iter_rows(min_row=5, values_only=True) if r[2].startswith("Demand")
    )
    # the April figure is the run's April demand, rounded to one decimal place
    april = results["services"]["P2"]["monthly"][0]["demand"]["value"]
    assert Decimal(str(demand[3])) == Decimal(str(april)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    capacity_row = next(
        r
        for r in sheet.iter_rows(min_row=5, values_only=True)
        if r[2].startswith("Capacity: places")
    )
    assert capacity_row[3] == 22 and capacity_row[-1] is None
    assert book["Community"]["A5"].value == "The model has no service of this kind."
    # the same plan gives the same bytes
    assert workbook_bytes(found) == workbook_bytes(found)
