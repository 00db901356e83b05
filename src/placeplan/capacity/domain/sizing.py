"""Sizing: the least capacity of one service that meets a target, and the gap against today's.

Capacity is changed by adding the same number of places to every month (surge stays on top).
Every evaluation reruns the whole scenario from the same seed (common random numbers), so the
measure moves with capacity rather than with chance, and a bisection finds the boundary: the
capacity found meets the target and one place fewer does not, in the same random world.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from placeplan.capacity.domain.engine import Progress, offered_load, run
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import Stat, summarise
from placeplan.core.errors import InputError

# measures that fall (or stay) as capacity grows, and those that rise
FALLING = (
    "mean_wait_days",
    "p_wait",
    "wait_p50_days",
    "wait_p90_days",
    "wait_p95_days",
    "mean_queue",
    "utilisation",
    "delayed_bed_days_per_month",
    "delayed_bed_day_cost",
    "interim_placements_per_month",
    "interim_cost",
    "home_wait_days_per_month",
    "queue_at_end",
)
RISING = ("p_start_within_2_days",)
OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}
_TARGET = re.compile(
    r"^\s*([a-z][a-z0-9_]*)\s*(<=|>=|<|>)\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)\s*$"
)
MAX_EVALUATIONS = 40

# Each measure a target can be set on, in words, with the unit its value is given in. The form
# offers these; a measure shown as a share is typed as a percentage.
MEASURE_WORDS: dict[str, tuple[str, str]] = {
    "mean_wait_days": ("mean wait", "days"),
    "wait_p50_days": ("median wait", "days"),
    "wait_p90_days": ("wait that 9 in 10 people are within", "days"),
    "wait_p95_days": ("wait that 19 in 20 people are within", "days"),
    "p_wait": ("share of people who wait", "%"),
    "p_start_within_2_days": ("share of people starting within 2 days", "%"),
    "mean_queue": ("mean number waiting", "people"),
    "queue_at_end": ("number waiting at the end", "people"),
    "utilisation": ("utilisation", "%"),
    "delayed_bed_days_per_month": ("delayed bed days a month", "days"),
    "interim_placements_per_month": ("interim placements a month", "people"),
    "home_wait_days_per_month": ("days waited at home a month", "days"),
}
COMPARISON_WORDS: dict[str, str] = {
    "<": "less than",
    "<=": "at most",
    ">": "more than",
    ">=": "at least",
}


@dataclass(frozen=True)
class Target:
    """A measure, a comparison and a threshold, e.g. mean_wait_days <= 0.5."""

    metric: str
    op: str
    threshold: float

    def met(self, value: float | None) -> bool:
        return value is not None and math.isfinite(value) and OPS[self.op](value, self.threshold)

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.threshold:g}"

    def in_words(self) -> str:
        """e.g. "mean wait less than 2 days" (a share as a percentage)."""
        words, unit = MEASURE_WORDS.get(self.metric, (self.metric.replace("_", " "), ""))
        comparison = COMPARISON_WORDS[self.op]
        if unit == "%":
            return f"{words} {comparison} {self.threshold * 100:g}%"
        return f"{words} {comparison} {self.threshold:g} {unit}".rstrip()


def parse_target(text: str) -> Target:
    match = _TARGET.match(text)
    if not match:
        raise InputError(
            f"target {text!r} is not of the form measure<=number (or >=, <, >), e.g. "
            "mean_wait_days<=0.5 or p_start_within_2_days>=0.95",
            field="target",
        )
    metric, op, number = match.group(1), match.group(2), float(match.group(3))
    if metric not in FALLING + RISING:
        raise InputError(
            f"cannot size for {metric!r}; choose one of {', '.join(FALLING + RISING)}",
            field="target",
        )
    if (metric in FALLING and op in (">=", ">")) or (metric in RISING and op in ("<=", "<")):
        direction = "falls" if metric in FALLING else "rises"
        raise InputError(
            f"{metric} {direction} as capacity grows, so {metric}{op}{number:g} cannot be met by "
            "adding capacity",
            field="target",
        )
    return Target(metric, op, number)


def chosen_target(measure: str, comparison: str, value: str) -> Target:
    """A target picked from the form's lists: a measure, a comparison and a value typed in the
    measure's unit (a share as a percentage: "95" is 95%). Refused as `parse_target` refuses."""
    if measure not in MEASURE_WORDS:
        raise InputError("choose a measure from the list", field="measure")
    if comparison not in COMPARISON_WORDS:
        raise InputError("choose a comparison from the list", field="comparison")
    text = value.replace(",", "").replace("%", "").strip()
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"'{value}' is not a number", field="value") from None
    if not math.isfinite(number) or number < 0:
        raise InputError(f"'{value}' is not a number of zero or more", field="value")
    if MEASURE_WORDS[measure][1] == "%":
        if number > 100:
            raise InputError("a share is at most 100%", field="value")
        number /= 100
    try:
        return parse_target(f"{measure}{comparison}{number!r}")
    except InputError as exc:
        words = MEASURE_WORDS[measure][0]
        raise InputError(
            f"the {words} {'falls' if measure in FALLING else 'rises'} as capacity grows, so "
            f"'{COMPARISON_WORDS[comparison]}' cannot be met by adding capacity; choose "
            f"'{'less than' if measure in FALLING else 'more than'}' or "
            f"'{'at most' if measure in FALLING else 'at least'}'",
            field="comparison",
        ) from exc


@dataclass
class Evaluation:
    added: int
    stat: Stat
    unbounded: bool

    @property
    def value(self) -> float | None:
        return None if self.unbounded else self.stat.value


@dataclass
class SizingResult:
    scenario: Scenario
    service_id: str
    target: Target
    replications: int
    seed: int
    added: int
    met: bool
    evaluations: dict[int, Evaluation] = field(default_factory=dict)

    def capacity(self, added: int) -> int | list[int]:
        service = self.scenario.service(self.service_id)
        caps = [max(0, c + added) for c in service.capacity]
        return caps if service.monthly_capacity else caps[0]

    def as_dict(self) -> dict[str, Any]:
        service = self.scenario.service(self.service_id)
        needed = self.evaluations.get(self.added)
        less = self.evaluations.get(self.added - 1)
        out: dict[str, Any] = {
            "scenario": self.scenario.name,
            "service": self.service_id,
            "target": str(self.target),
            "target_words": self.target.in_words(),
            "service_name": service.label,
            "met": self.met,
            "capacity_now": self.capacity(0),
            "capacity_needed": self.capacity(self.added) if self.met else None,
            "gap": self.added if self.met else None,
            "unit": "concurrent packages" if service.kind == "visits" else "places",
            "value_at_needed": needed.stat.as_dict() if needed and self.met else None,
            "value_with_one_fewer": less.stat.as_dict() if less and self.met else None,
            "value_now": self.evaluations[0].stat.as_dict() if 0 in self.evaluations else None,
            "evaluations": [
                {"added": d, "value": e.value, "unbounded": e.unbounded}
                for d, e in sorted(self.evaluations.items())
            ],
            "replications": self.replications,
            "seed": self.seed,
            "surge_unchanged": bool(service.surge_extra),
        }
        if service.kind == "visits" and service.visits_per_day and self.met:
            out["gap_visit_slots_per_day"] = self.added * service.visits_per_day
        return out

    def as_text(self) -> str:
        d = self.as_dict()
        lines = [f"{d['scenario']}: sizing {d['service']} for {d['target']}"]
        lines.append(
            f"  ({d['replications']:,} replications, seed {d['seed']}, common random numbers)"
        )
        if not self.met:
            lines.append("  The target could not be met by adding capacity in the range tried.")
        else:
            lines.append(f"  capacity now:    {d['capacity_now']} {d['unit']}")
            lines.append(f"  capacity needed: {d['capacity_needed']} {d['unit']}")
            sign = "+" if self.added >= 0 else ""
            lines.append(f"  gap:             {sign}{self.added} {d['unit']} in every month")
            at, less = d["value_at_needed"], d["value_with_one_fewer"]
            if at:
                lines.append(
                    f"  {self.target.metric} at the capacity needed: {at['value']:.4g} "
                    f"(95% CI {at['low']:.4g} to {at['high']:.4g})"
                )
            if less and less["value"] is not None:
                lines.append(f"  with one fewer: {less['value']:.4g}")
        return "\n".join(lines) + "\n"


def size(
    scenario: Scenario,
    service_id: str,
    target: str | Target,
    replications: int = 200,
    seed: int = 1,
    progress: Progress | None = None,
) -> SizingResult:
    """Find the least capacity (added to every month) of `service_id` meeting `target`."""
    tgt = parse_target(target) if isinstance(target, str) else target
    service = scenario.service(service_id)
    base = list(service.capacity)
    floor_added = -min(base)
    load = offered_load(scenario)[service_id]
    caps_now = [
        c
        for c, seg in zip(
            scenario.segment_capacity(service), scenario.timeline.segments, strict=True
        )
        if seg.reported
    ]
    stable_from = max(math.ceil(ld - c + 1e-9) for ld, c in zip(load, caps_now, strict=True))
    result = SizingResult(scenario, service_id, tgt, replications, seed, 0, False)
    ceiling = max(int(max(load) * 10) + 100, max(base) * 10 + 100)

    def evaluate(added: int) -> bool:
        if added not in result.evaluations:
            if len(result.evaluations) >= MAX_EVALUATIONS:
                raise InputError("sizing did not settle; try a looser target", field="target")
            trial = scenario.with_capacity_added(service_id, added)
            res = run(trial, replications, seed, focus=service_id)
            sr = res.services[service_id]
            values = sr.period[tgt.metric]
            result.evaluations[added] = Evaluation(added, summarise(values), sr.unbounded)
            if progress is not None:
                progress(min(1.0, len(result.evaluations) / 12))
        e = result.evaluations[added]
        return tgt.met(e.value)

    # first guess: just enough to keep up with demand in every month
    guess = max(floor_added, stable_from)
    evaluate(0)
    if evaluate(guess):
        hi = guess
        step = 1
        lo = hi - step
        while lo >= floor_added and evaluate(lo):
            hi = lo
            step *= 2
            lo = hi - step
        lo = max(lo, floor_added - 1)
    else:
        lo = guess
        step = max(1, int(np.ceil(max(max(base), 1) * 0.05)))
        hi = lo + step
        while not evaluate(hi):
            lo = hi
            step *= 2
            hi = lo + step
            if hi > ceiling:
                return result
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if evaluate(mid):
            hi = mid
        else:
            lo = mid
    if hi - 1 >= floor_added:
        evaluate(hi - 1)
    result.added = hi
    result.met = True
    return result
