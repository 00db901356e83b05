"""Sweeps: task seeds, the varied scenario, and the sweep on a local two-worker Ray cluster
(equal to the sequential run; a dead worker's task retried; a task that always fails reported with
its area and variation while the rest completes)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from placeplan.capacity.cli import capacity
from placeplan.capacity.domain import parse_scenario
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.sweep import (
    Variation,
    parse_sweep,
    run_sequential,
    run_variation,
    scenario_for,
    task_seed,
    variations,
)
from placeplan.capacity.io.sweep import load_sweep, rows_csv
from placeplan.capacity.service.sweep import SweepOutcome, run_sweep
from placeplan.capacity.service.sweeps_stored import sweeps_of
from placeplan.cli_support import open_engine
from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.store.db import session_factory
from tests.narrative.conftest import demo  # noqa: F401  # the loaded demo, for --plan

# One small service (Erlang C's M/M/c territory, quick to simulate): 10 a day, mean stay 4 days,
# 50 places; 90 days after 30 days' warm-up keeps each task well under a second.
MODEL: dict[str, Any] = {
    "name": "one service",
    "days": 90,
    "warm_up_days": 30,
    "services": [
        {
            "id": "P2",
            "kind": "beds",
            "arrivals_per_day": 10,
            "length_of_stay": {"distribution": "exponential", "mean": 4},
            "capacity": 50,
            "cost_per_day": 100,
        }
    ],
}
# 2 areas x 2 growths x 1 option = 4 tasks at 20 replications.
SPEC: dict[str, Any] = {
    "name": "small sweep",
    "model": "model.yaml",
    "seed": 11,
    "replications": 20,
    "areas": [{"name": "North", "demand_scale": 1.0}, {"name": "South", "demand_scale": 0.5}],
    "demand_growth": [0.0, 0.2],
    "capacity_options": [{"name": "five more places", "add": {"P2": 5}}],
}


def small_outcome() -> SweepOutcome:
    """A made sweep without Ray (the sequential run of SPEC at 2 replications), to store."""
    spec = parse_sweep({**SPEC, "replications": 2})
    return SweepOutcome(spec, run_sequential(spec, parse_scenario(MODEL)), 0.5, 1)


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """A local Ray cluster of two workers for this module's tests."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def base() -> Scenario:
    return parse_scenario(MODEL)


def test_task_seeds_depend_only_on_the_sweep_seed_and_index() -> None:
    spec = parse_sweep(SPEC)
    tasks = variations(spec)
    assert [v.index for v in tasks] == [0, 1, 2, 3]
    assert [v.seed for v in tasks] == [task_seed(11, i) for i in range(4)]
    assert [v.seed for v in variations(parse_sweep(SPEC))] == [v.seed for v in tasks]
    assert len({v.seed for v in tasks}) == 4
    assert task_seed(12, 0) != task_seed(11, 0)
    # area, then growth, then option
    assert [(v.area.name, v.demand_growth) for v in tasks] == [
        ("North", 0.0),
        ("North", 0.2),
        ("South", 0.0),
        ("South", 0.2),
    ]


def test_a_variation_scales_demand_and_adds_places(base: Scenario) -> None:
    south_grown = variations(parse_sweep(SPEC))[3]
    varied = scenario_for(base, south_grown)
    # 10 a day x the area's 0.5 x (1 + 0.2) growth = 6 a day; 50 + 5 places
    assert varied.services[0].arrivals_per_day == pytest.approx((6.0,) * 12)
    assert varied.services[0].capacity == (55,) * 12


def test_a_bad_spec_is_refused_naming_the_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_sweep({**SPEC, "demand_growth": ["a lot"]})
    assert caught.value.field == "demand_growth[0]"
    with pytest.raises(InputError) as caught:
        parse_sweep({**SPEC, "areas": [{"demand_scale": 1}]})
    assert caught.value.field == "areas[0].name"


def test_the_sweep_on_two_ray_workers_equals_the_sequential_run(
    ray_cluster: None, base: Scenario
) -> None:
    spec = parse_sweep(SPEC)
    seen: list[tuple[int, int]] = []
    outcome = run_sweep(spec, base, progress=lambda done, total: seen.append((done, total)))
    assert outcome.rows == run_sequential(spec, base)
    assert outcome.workers == 2
    assert seen[-1] == (4, 4)
    assert all(r["status"] == "finished" for r in outcome.rows)


def test_a_task_whose_worker_dies_once_is_retried(
    ray_cluster: None, base: Scenario, tmp_path: Path
) -> None:
    spec = parse_sweep(SPEC)
    marker = str(tmp_path / "died-once")

    def dies_on_first_attempt(scenario: Scenario, v: Variation, replications: int) -> Any:
        if v.index == 1 and not os.path.exists(marker):
            Path(marker).touch()
            os._exit(1)  # the worker process dies, as on a lost node
        return run_variation(scenario, v, replications)

    outcome = run_sweep(spec, base, task=dies_on_first_attempt)
    assert os.path.exists(marker)
    assert outcome.rows == run_sequential(spec, base)


def test_a_task_that_always_fails_is_reported_and_the_rest_kept(
    ray_cluster: None, base: Scenario
) -> None:
    spec = parse_sweep(SPEC)

    def always_dies_or_raises(scenario: Scenario, v: Variation, replications: int) -> Any:
        if v.index == 2:
            os._exit(1)
        if v.index == 3:
            raise ValueError("no data for this area")
        return run_variation(scenario, v, replications)

    outcome = run_sweep(spec, base, task=always_dies_or_raises, max_retries=1)
    expected = run_sequential(spec, base)
    assert outcome.rows[:2] == expected[:2]
    died, raised = outcome.rows[2], outcome.rows[3]
    assert (died["status"], died["area"], died["demand_growth"]) == ("failed", "South", 0.0)
    assert died["capacity_option"] == "five more places"
    assert "worker died" in died["error"]
    assert (raised["status"], raised["area"], raised["demand_growth"]) == ("failed", "South", 0.2)
    assert "no data for this area" in raised["error"]
    assert len(outcome.failures) == 2


def test_cli_sweep_prints_rows_and_writes_csv(ray_cluster: None, tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(MODEL))
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(SPEC))
    out_csv = tmp_path / "rows.csv"
    res = CliRunner().invoke(
        capacity,
        ["sweep", str(tmp_path / "sweep.yaml"), "--format", "json", "--csv", str(out_csv)],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    spec, base = load_sweep(tmp_path / "sweep.yaml")
    assert doc["rows"] == run_sequential(spec, base)
    assert out_csv.read_bytes().decode() == rows_csv(doc["rows"])
    text = CliRunner().invoke(capacity, ["sweep", str(tmp_path / "sweep.yaml")])
    assert text.exit_code == 0, text.output
    assert "South" in text.output and "20%" in text.output


def test_cli_sweep_refuses_an_option_for_a_missing_service(tmp_path: Path) -> None:
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(MODEL))
    bad = {**SPEC, "capacity_options": [{"name": "more P3", "add": {"P3": 5}}]}
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(bad))
    res = CliRunner().invoke(capacity, ["sweep", str(tmp_path / "sweep.yaml")])
    assert res.exit_code == 2
    assert "P3" in res.output


def test_cli_sweep_keeps_the_sweep_with_a_plan(
    ray_cluster: None,
    tmp_path: Path,
    demo: Any,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, plan_id, url = demo
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", url)
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(MODEL))
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(SPEC))
    res = CliRunner().invoke(
        capacity, ["sweep", str(tmp_path / "sweep.yaml"), "--plan", "leics-bcf-2025-26"]
    )
    assert res.exit_code == 0, res.output
    with session_factory(open_engine())() as session:
        kept = sweeps_of(session, operator(), plan_id)
        spec, base = load_sweep(tmp_path / "sweep.yaml")
        assert [k.tasks for k in kept] == [4]
        assert kept[0].rows == run_sequential(spec, base)
