"""Sweeps kept with a plan: recorded (audited, editors only) and shown as a table, a chart and a
CSV of every task, failed tasks included."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from placeplan.capacity.domain.sweep import FIELDS, failed, variations
from placeplan.capacity.service.sweeps_stored import record_sweep, sweeps_of
from placeplan.core.actor import operator
from placeplan.core.errors import Forbidden
from placeplan.store.uow import unit_of_work
from tests.capacity.test_sweep import small_outcome
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.fixture
def sweep_id(sessions, world) -> int:
    outcome = small_outcome()
    # the last task kept as failed, as a sweep whose worker died on every attempt keeps it
    last = variations(outcome.spec)[-1]
    rows = [*outcome.rows[:-1], failed(last, "its worker died on every attempt")]
    with unit_of_work(sessions) as s:
        return record_sweep(
            s, operator(), world.plan_id, replace(outcome, rows=rows), "name: x", ""
        ).id


def test_the_sweep_page_shows_every_task_and_the_failed_one(browser, world, sweep_id):
    page = browser("county-viewer").get(f"/capacity/sweeps/{sweep_id}")
    assert page.status_code == 200
    assert "Average discharge delay against demand growth" in page.text
    assert "<svg" in page.text and "1 of the tasks failed" in page.text
    assert "Failed: its worker died on every attempt" in page.text
    # the chart's figures sit beside it: a row per line, a column per demand growth, and the
    # failed task (the last area's highest growth) a dash where the chart leaves a gap
    beside = page.text.split("Average delay in days at each demand growth", 1)[1].split("</table>")[
        0
    ]
    assert beside.count('<th scope="row"') == len(
        {(r["area"], r["capacity_option"]) for r in small_outcome().rows}
    )
    assert "–" in beside
    listing = browser("county-viewer").get(f"/plans/{world.plan_id}/capacity/sweeps")
    assert listing.status_code == 200 and "small sweep" in listing.text


def test_the_csv_holds_the_raw_rows(browser, sweep_id):
    got = browser("county-viewer").get(f"/capacity/sweeps/{sweep_id}?format=csv")
    assert got.status_code == 200
    table = list(csv.reader(io.StringIO(got.text)))
    expected = small_outcome().rows
    assert len(table) == 1 + len(expected) and len(table[0]) == len(FIELDS)
    # the first task's seed and its area, as the sweep derived them
    assert table[1][FIELDS.index("seed")] == str(expected[0]["seed"])
    assert table[1][FIELDS.index("area")] == "North"
    assert table[-1][FIELDS.index("status")] == "failed"


def test_only_an_editor_keeps_a_sweep(sessions, world):
    with unit_of_work(sessions) as s:
        with pytest.raises(Forbidden):
            record_sweep(
                s, actor_for(s, "county-viewer"), world.plan_id, small_outcome(), "name: x", ""
            )
        assert sweeps_of(s, operator(), world.plan_id) == []
