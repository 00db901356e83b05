"""The capacity engine, pure: scenarios, arrivals, distributions, the simulation (engine and its
kernels), statistics, sizing, Erlang C, the timeline and the report. No database, no HTTP, no
file formats (a scenario's YAML is read by `placeplan.capacity.io.scenario`).

    from placeplan.capacity.domain import parse_scenario, run, size, erlang_c, report

    result = run(scenario, replications=1000, seed=1)            # kernel="compiled" (default)
    doc = report.as_dict(result)            # what `placeplan capacity run --format json` prints
    gap = size(scenario, "P2", "mean_wait_days<=0.5").as_dict()
"""

from __future__ import annotations

from placeplan.capacity.domain import report
from placeplan.capacity.domain.engine import Progress, RunResult, ServiceResult, run
from placeplan.capacity.domain.erlang import ErlangResult, erlang_c
from placeplan.capacity.domain.kernels import Kernel, kernel_for
from placeplan.capacity.domain.scenario import Scenario, Service, parse_scenario, scenario_schema
from placeplan.capacity.domain.sizing import SizingResult, Target, parse_target, size
from placeplan.capacity.domain.statistics import Stat, summarise

__all__ = [
    "ErlangResult",
    "Kernel",
    "Progress",
    "RunResult",
    "Scenario",
    "Service",
    "ServiceResult",
    "SizingResult",
    "Stat",
    "Target",
    "erlang_c",
    "kernel_for",
    "parse_scenario",
    "parse_target",
    "report",
    "run",
    "scenario_schema",
    "size",
    "summarise",
]
