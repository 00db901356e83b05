"""Intermediate care demand and capacity: a seeded, continuous-time simulation of discharge and
step-up pathways, with an analytic Erlang C helper and capacity sizing.

    from placeplan.capacity import load_scenario, run, size, erlang_c, report

    scenario = load_scenario("capacity_llr.yaml")
    result = run(scenario, replications=1000, seed=1)
    doc = report.as_dict(result)            # what `placeplan capacity run --format json` prints
    gap = size(scenario, "P2", "mean_wait_days<=0.5").as_dict()

Pure Python and numpy: no database and no HTTP here.
"""

from __future__ import annotations

from placeplan.capacity import report
from placeplan.capacity.engine import RunResult, ServiceResult, run
from placeplan.capacity.erlang import ErlangResult, erlang_c
from placeplan.capacity.scenario import (
    Scenario,
    Service,
    load_scenario,
    parse_scenario,
    parse_scenario_text,
    scenario_schema,
)
from placeplan.capacity.sizing import SizingResult, Target, parse_target, size
from placeplan.capacity.statistics import Stat, summarise

__all__ = [
    "ErlangResult",
    "RunResult",
    "Scenario",
    "Service",
    "ServiceResult",
    "SizingResult",
    "Stat",
    "Target",
    "erlang_c",
    "load_scenario",
    "parse_scenario",
    "parse_scenario_text",
    "parse_target",
    "report",
    "run",
    "scenario_schema",
    "size",
    "summarise",
]
