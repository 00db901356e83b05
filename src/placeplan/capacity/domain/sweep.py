"""Sweeps: one scenario family run over many areas and variations (demand growth x capacity
options), each variation an independent task with its own seed.

Pure: the spec arrives as a mapping (read from YAML by `placeplan.capacity.io.sweep`), the tasks
are plain data, and `run_variation` is what a Ray worker (`placeplan.capacity.service.sweep`) or
a sequential loop calls. A task's seed derives from the sweep's seed and the task's index only, so
a sweep gives the same figures however its tasks are spread over workers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from placeplan.capacity.domain.engine import run
from placeplan.capacity.domain.report import discharge_dict, finite, stat
from placeplan.capacity.domain.scenario import Scenario
from placeplan.core.errors import InputError

MAX_TASKS = 10_000
FIELDS = (
    "index",
    "area",
    "demand_growth",
    "capacity_option",
    "seed",
    "status",
    "share_on_drd",
    "average_delay_days",
    "delayed_discharges",
    "total_cost_pence",
    "unbounded",
    "error",
)


@dataclass(frozen=True)
class Area:
    """An area the family is run for: its share of the model's demand."""

    name: str
    demand_scale: float = 1.0


@dataclass(frozen=True)
class CapacityOption:
    """A capacity option: places added to (or taken from) services in every month."""

    name: str
    add: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class SweepSpec:
    name: str
    seed: int
    replications: int
    areas: tuple[Area, ...]
    demand_growth: tuple[float, ...]
    capacity_options: tuple[CapacityOption, ...]


@dataclass(frozen=True)
class Variation:
    """One task: an area, a demand growth and a capacity option, with its derived seed."""

    index: int
    area: Area
    demand_growth: float
    option: CapacityOption
    seed: int

    def describe(self) -> str:
        return (
            f"{self.area.name}, demand growth {self.demand_growth:.0%}, capacity {self.option.name}"
        )


def task_seed(seed: int, index: int) -> int:
    """The seed of task `index`: mixed from (sweep seed, index) so neighbouring tasks' streams are
    unrelated; kept below 2**31 for the engine and the database."""
    state = np.random.SeedSequence([seed, index]).generate_state(1)[0]
    return int(state) & 0x7FFF_FFFF


def _number(value: Any, where: str, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
        raise InputError(f"{where} must be a number of at least {low:g}", field=where)
    return float(value)


def _areas(data: Any) -> tuple[Area, ...]:
    if data is None:
        return (Area("the model's area"),)
    if not isinstance(data, list) or not data:
        raise InputError("areas must be a list of {name, demand_scale}", field="areas")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise InputError("each area needs a name", field=f"areas[{i}].name")
        scale = _number(item.get("demand_scale", 1.0), f"areas[{i}].demand_scale")
        out.append(Area(str(item["name"]).strip(), scale))
    return tuple(out)


def _options(data: Any) -> tuple[CapacityOption, ...]:
    if data is None:
        return (CapacityOption("as modelled"),)
    if not isinstance(data, list) or not data:
        raise InputError("capacity_options must be a list of {name, add}", field="capacity_options")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise InputError("each capacity option needs a name", field=f"capacity_options[{i}]")
        add = item.get("add") or {}
        if not isinstance(add, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in add.values()
        ):
            raise InputError(
                "add must map service ids to whole places", field=f"capacity_options[{i}].add"
            )
        out.append(CapacityOption(str(item["name"]).strip(), tuple(sorted(add.items()))))
    return tuple(out)


def parse_sweep(data: dict[str, Any]) -> SweepSpec:
    """A sweep spec from its mapping (the model itself is read by the caller)."""
    growth = data.get("demand_growth", [0.0])
    if not isinstance(growth, list) or not growth:
        raise InputError(
            "demand_growth must be a list of fractions (0.1 is 10%)", field="demand_growth"
        )
    seed = data.get("seed", 1)
    replications = data.get("replications", 200)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise InputError("seed must be a whole number of at least 0", field="seed")
    if not isinstance(replications, int) or not 2 <= replications <= 100_000:
        raise InputError(
            "replications must be a whole number from 2 to 100,000", field="replications"
        )
    spec = SweepSpec(
        name=str(data.get("name") or "sweep"),
        seed=seed,
        replications=replications,
        areas=_areas(data.get("areas")),
        demand_growth=tuple(
            _number(g, f"demand_growth[{i}]", low=-0.99) for i, g in enumerate(growth)
        ),
        capacity_options=_options(data.get("capacity_options")),
    )
    if len(variations(spec)) > MAX_TASKS:
        raise InputError(f"a sweep runs at most {MAX_TASKS:,} tasks", field="areas")
    return spec


def variations(spec: SweepSpec) -> list[Variation]:
    """Every task of the sweep, in a fixed order (area, then growth, then option)."""
    combos = itertools.product(spec.areas, spec.demand_growth, spec.capacity_options)
    return [
        Variation(i, area, growth, option, task_seed(spec.seed, i))
        for i, (area, growth, option) in enumerate(combos)
    ]


def check_options(spec: SweepSpec, base: Scenario) -> None:
    """Refuse a capacity option naming a service the model lacks (before any task runs)."""
    ids = {s.id for s in base.services}
    for i, option in enumerate(spec.capacity_options):
        for sid, _ in option.add:
            if sid not in ids:
                raise InputError(
                    f"capacity option {option.name!r} adds to {sid!r}, which the model lacks "
                    f"(it has {', '.join(sorted(ids))})",
                    field=f"capacity_options[{i}].add",
                )


def scenario_for(base: Scenario, v: Variation) -> Scenario:
    """The model as varied: demand (every service and the acute discharges) scaled by the area's
    share and the growth; the option's places added in every month."""
    factor = v.area.demand_scale * (1.0 + v.demand_growth)
    services = tuple(
        replace(s, arrivals_per_day=tuple(a * factor for a in s.arrivals_per_day))
        for s in base.services
    )
    acute = base.acute_discharges_per_day
    scenario = replace(
        base,
        name=f"{base.name}: {v.describe()}",
        services=services,
        acute_discharges_per_day=None if acute is None else tuple(a * factor for a in acute),
    )
    for sid, extra in v.option.add:
        scenario = scenario.with_capacity_added(sid, extra)
    return scenario


def run_variation(base: Scenario, v: Variation, replications: int) -> dict[str, Any]:
    """Run one task and keep the figures a sweep compares (costs in whole pence). On one thread:
    Ray gives a task one CPU, and the sweep's parallelism is its tasks."""
    result = run(scenario_for(base, v), replications=replications, seed=v.seed, threads=1)
    discharge = discharge_dict(result)
    cost = stat(result.total_cost)["value"]

    def value(key: str) -> float | None:
        found = discharge.get(key)
        return None if found is None else found["value"]

    row: dict[str, Any] = finite(
        {
            **identity(v),
            "status": "finished",
            "share_on_drd": value("share_on_drd"),
            "average_delay_days": value("average_delay_days"),
            "delayed_discharges": value("delayed_discharges"),
            "total_cost_pence": None if cost is None else int(round(cost * 100)),
            "unbounded": ", ".join(discharge["unbounded"]),
            "error": "",
        }
    )
    return row


def identity(v: Variation) -> dict[str, Any]:
    return {
        "index": v.index,
        "area": v.area.name,
        "demand_growth": v.demand_growth,
        "capacity_option": v.option.name,
        "seed": v.seed,
    }


def failed(v: Variation, message: str) -> dict[str, Any]:
    """The row of a task that could not be made (its worker died on every attempt, or it raised)."""
    row: dict[str, Any] = {key: None for key in FIELDS}
    row.update(identity(v), status="failed", unbounded="", error=message)
    return row


def run_sequential(spec: SweepSpec, base: Scenario) -> list[dict[str, Any]]:
    """Every task in order, in this process: the reference a distributed sweep must equal."""
    return [run_variation(base, v, spec.replications) for v in variations(spec)]
