"""Background runs (the runner and the run's statuses), fan quantiles, fan charts and the
predicted discharge-delay metric; on SQLite and PostgreSQL where storage is involved."""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest
import yaml
from sqlalchemy import select

from placeplan.capacity import service as capacity
from placeplan.capacity.domain import parse_scenario, report, run
from placeplan.capacity.models import CapacityRun
from placeplan.capacity.present.fan_svg import fan_svg
from placeplan.capacity.service.runner import Runner, make
from placeplan.core.actor import operator
from placeplan.store.audit import AuditEvent
from placeplan.store.changes import update_recorded
from placeplan.store.uow import unit_of_work
from tests.capacity.test_service import SMALL, make_model
from tests.factories import actor_for, build_world


def _statuses(sessions, run_id: int) -> list[str]:
    with sessions() as s:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_kind == "capacity_run", AuditEvent.entity_id == run_id)
            .order_by(AuditEvent.id)
        ).all()
        return [str((e.after or {}).get("status")) for e in events]


def test_a_run_moves_queued_running_finished_with_progress(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        run_id = capacity.queue_run(s, editor, model_id, replications=30, seed=4).id
    with sessions() as s:
        assert s.get(CapacityRun, run_id).status == "queued"
    seen: list[tuple[int, int]] = []
    statuses_while_running: list[str] = []

    def on_progress(done: int, total: int) -> None:
        if not statuses_while_running:  # the row is committed `running` before the engine starts
            with sessions() as s:
                statuses_while_running.append(s.get(CapacityRun, run_id).status)
        seen.append((done, total))

    make(sessions, run_id, editor, on_progress)
    assert statuses_while_running == ["running"]
    assert _statuses(sessions, run_id) == ["queued", "running", "finished"]
    # progress counts replications: never backwards, of the 30 asked for, ending at 30
    assert seen and all(total == 30 for _, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][0] == 30
    with sessions() as s:
        row = s.get(CapacityRun, run_id)
        assert row.status == "finished" and row.finished_at is not None
        assert row.results["replications"] == 30 and row.results["seed"] == 4
        assert capacity.run_error(row) is None
    # made once only: a second worker finds it no longer queued and leaves it
    make(sessions, run_id, editor)
    assert _statuses(sessions, run_id) == ["queued", "running", "finished"]


def test_a_failing_run_is_marked_failed_with_its_message(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        row = capacity.queue_run(s, editor, model_id, replications=10, seed=1)
        # the stored scenario is one the engine refuses (as if edited by an older version)
        update_recorded(
            s,
            operator(),
            "capacity_run",
            row,
            {"scenario_yaml": SMALL.replace("capacity: 22", "capacity: -3")},
        )
        run_id = row.id
    runner = Runner(sessions)
    try:
        runner.submit(run_id, 10, editor)
        runner.wait(run_id, timeout=60)
    finally:
        runner.shutdown()
    with sessions() as s:
        row = s.get(CapacityRun, run_id)
        assert row.status == "failed" and row.finished_at is not None
        message = capacity.run_error(row)
        assert message is not None and "services[0].capacity" in message
    assert _statuses(sessions, run_id)[-2:] == ["running", "failed"]
    assert runner.progress(run_id) is None  # the registry forgets made runs


def test_the_runner_makes_runs_one_after_another_in_a_thread(sessions):
    world = build_world(sessions)
    model_id = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        ids = [capacity.queue_run(s, editor, model_id, 20, seed).id for seed in (1, 2)]
    runner = Runner(sessions)
    try:
        for run_id in ids:
            runner.submit(run_id, 20, editor)
        names = {t.name for t in threading.enumerate()}
        for run_id in ids:
            runner.wait(run_id, timeout=60)
    finally:
        runner.shutdown()
    assert any(n.startswith("capacity-run") for n in names)
    with sessions() as s:
        rows = [s.get(CapacityRun, i) for i in ids]
        assert [r.status for r in rows] == ["finished", "finished"]
        # seeds 1 and 2 differ, so their results do
        assert rows[0].results["services"]["P2"] != rows[1].results["services"]["P2"]


def test_predicted_metrics_take_each_models_latest_finished_run(sessions):
    world = build_world(sessions)
    first = make_model(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        second = capacity.create_model(s, editor, world.plan_id, "Winter", SMALL).id
        capacity.run_model(s, editor, first, 20, 1)
        latest = capacity.run_model(s, editor, first, 20, 2).id
        capacity.queue_run(s, editor, first, 20, 3)  # not made: not a prediction
        winter = capacity.run_model(s, editor, second, 20, 5).id
    with sessions() as s:
        got = capacity.predicted_metrics(s, operator(), world.plan_id)
        runs = {r.id: r for r in s.scalars(select(CapacityRun))}
    assert [(p["model"], p["run_id"]) for p in got] == [("Base", latest), ("Winter", winter)]
    for p in got:
        dm = runs[p["run_id"]].results["discharge_metric"]
        assert p["metric"] == "discharge_delay"
        for key in ("share_on_drd", "mean_delay_days_of_delayed", "average_delay_days"):
            assert p[key] == dm[key]


def test_the_predicted_metric_is_the_product_of_the_two_complements():
    """metrics.yaml, discharge_delay: (1 - share discharged on the ready date) x mean delay of
    the others. In each replication the engine's average (delayed days / all discharges) is
    exactly that product; across replications only the means are reported."""
    data = yaml.safe_load(SMALL)
    data["services"][0]["capacity"] = 21  # busier, so some people wait a day or more
    result = run(parse_scenario(data), replications=100, seed=3)
    dp = result.discharge_period
    share, mean, average = (
        dp["share_on_drd"],
        dp["mean_delay_days_of_delayed"],
        dp["average_delay_days"],
    )
    some = np.isfinite(mean)
    assert some.sum() > 50
    np.testing.assert_allclose(average[some], (1 - share[some]) * mean[some], rtol=1e-12)


def test_fan_quantiles_are_ordered_and_match_the_spread():
    scenario = parse_scenario(
        {
            "name": "fan",
            "start": "2025-04",
            "days": 365,
            "warm_up_days": 30,
            "services": [
                {
                    "id": "P2",
                    "kind": "beds",
                    "arrivals_per_day": 5,
                    "length_of_stay": {"distribution": "exponential", "mean": 4},
                    "capacity": 22,
                }
            ],
        }
    )
    result = run(scenario, replications=200, seed=7)
    doc = report.as_dict(result)["services"]["P2"]
    occupancy = result.services["P2"].monthly["occupancy"]
    for measure in ("occupancy", "queue"):
        rows = doc["fan"][measure]
        assert [r["month"] for r in rows] == result.months
        for r in rows:
            assert r["p2_5"] <= r["p25"] <= r["p50"] <= r["p75"] <= r["p97_5"]
    for m, r in enumerate(doc["fan"]["occupancy"]):
        # the 95% band is the monthly figure's own spread of replications
        assert r["p2_5"] == pytest.approx(doc["monthly"][m]["occupancy"]["p2_5"])
        assert r["p97_5"] == pytest.approx(doc["monthly"][m]["occupancy"]["p97_5"])
        # and about half the replications lie inside the 50% band (200 replications: +/- 10%)
        inside = np.mean((occupancy[:, m] >= r["p25"]) & (occupancy[:, m] <= r["p75"]))
        assert 0.4 <= inside <= 0.6


ROWS = [
    {"month": "2025-04", "p2_5": 10.0, "p25": 14.0, "p50": 16.0, "p75": 18.0, "p97_5": 21.0},
    {"month": "2025-05", "p2_5": 11.0, "p25": 15.0, "p50": 17.5, "p75": 19.0, "p97_5": 23.0},
    {"month": "2025-06", "p2_5": None, "p25": None, "p50": None, "p75": None, "p97_5": None},
]


def test_fan_svg_is_accessible_and_deterministic():
    svg = fan_svg(
        ROWS,
        "P2: places occupied by month",
        ident="fan-P2",
        measure="places occupied",
        capacity=[22, 22, 22],
    )
    assert svg == fan_svg(
        ROWS,
        "P2: places occupied by month",
        ident="fan-P2",
        measure="places occupied",
        capacity=[22, 22, 22],
    )
    # named by its title, described by its summary
    assert 'role="img" aria-labelledby="fan-P2-title" aria-describedby="fan-P2-desc"' in svg
    assert '<title id="fan-P2-title">P2: places occupied by month</title>' in svg
    # the description summarises the medians (16.0 in April, 17.5 in May; June has none)
    assert "median from 16.0 in Apr 2025 to 17.5 in May 2025" in svg
    # meaning by line style and legend text, not colour alone
    for label in ("median", "middle 50%", "middle 95%", "capacity"):
        assert f">{label}</text>" in svg
    assert 'stroke-dasharray="2 3"' in svg and 'stroke-dasharray="8 4"' in svg
    # one marker per month with a value, each with its figures as a tooltip
    assert len(re.findall(r"<circle ", svg)) == 2
    assert "<title>May 2025: median 17.5, 95% of replications 11.0 to 23.0</title>" in svg
    # each month is named with its year (the name over the year on the axis)
    assert re.search(r">Apr<tspan[^>]*>2025</tspan>", svg) and re.search(r">May<tspan", svg)


def test_fan_svg_colours_meet_three_to_one_on_white():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    from placeplan.capacity.present import fan_svg as module

    for colour in (module.INK, module.BLUE, module.GREY, module.RED):
        # WCAG contrast ratio against white (luminance 1): (1 + 0.05) / (L + 0.05)
        assert 1.05 / (luminance(colour) + 0.05) >= 3.0, colour


def test_threads_do_not_change_results(demo_path):
    """Independent groups of services run side by side, each with its own streams: one thread
    and two give the same numbers."""
    from placeplan.capacity.domain import engine
    from placeplan.capacity.io.scenario import load_scenario

    scenario = load_scenario(demo_path)
    threads = engine.THREADS
    try:
        engine.THREADS = 1
        one = report.as_dict(run(scenario, 40, seed=6))
        engine.THREADS = 2
        two = report.as_dict(run(scenario, 40, seed=6))
    finally:
        engine.THREADS = threads
    assert one == two
