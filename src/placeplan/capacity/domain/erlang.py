"""Erlang C: the analytic M/M/c queue, for quick estimates and to check the simulation against.

Arrivals are Poisson at `arrivals_per_day`, stays exponential with mean `mean_stay_days`, and there
are `servers` places (beds or concurrent packages) served first come, first served.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from placeplan.core.errors import InputError


@dataclass(frozen=True)
class ErlangResult:
    """Steady-state measures of an M/M/c queue. Waits are in days; `None` where there is none."""

    arrivals_per_day: float
    mean_stay_days: float
    servers: int
    offered_load: float
    utilisation: float
    p_wait: float
    mean_wait_days: float | None
    mean_queue: float | None
    p_start_within_2_days: float
    unbounded: bool
    message: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def p_start_within(self, days: float) -> float:
        """Probability that a person starts within `days` of arriving."""
        if self.unbounded:
            return 0.0
        rate = (self.servers - self.offered_load) / self.mean_stay_days
        return 1.0 - self.p_wait * math.exp(-rate * days)


def erlang_b(offered_load: float, servers: int) -> float:
    """Probability that all `servers` are busy in the loss system (stable recursion)."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def erlang_c(arrivals_per_day: float, mean_stay_days: float, servers: int) -> ErlangResult:
    """Mean wait, probability of waiting and utilisation of an M/M/c queue.

    >>> r = erlang_c(20, 4, 90)
    >>> round(r.mean_wait_days, 4), round(r.p_wait, 3)
    (0.0781, 0.195)
    """
    if not math.isfinite(arrivals_per_day) or arrivals_per_day < 0:
        raise InputError("arrivals per day must be a number of at least 0", field="arrivals")
    if not math.isfinite(mean_stay_days) or mean_stay_days <= 0:
        raise InputError("the mean stay must be more than 0 days", field="mean_stay")
    if servers < 1:
        raise InputError("there must be at least 1 server (bed or package)", field="servers")
    load = arrivals_per_day * mean_stay_days
    utilisation = load / servers
    if load >= servers:
        return ErlangResult(
            arrivals_per_day=arrivals_per_day,
            mean_stay_days=mean_stay_days,
            servers=servers,
            offered_load=load,
            utilisation=utilisation,
            p_wait=1.0,
            mean_wait_days=None,
            mean_queue=None,
            p_start_within_2_days=0.0,
            unbounded=True,
            message=(
                f"demand ({load:g} places: {arrivals_per_day:g} a day x {mean_stay_days:g} days) "
                f"is at least the capacity ({servers}): the queue grows without bound"
            ),
        )
    b = erlang_b(load, servers)
    p_wait = servers * b / (servers - load * (1.0 - b))
    mean_wait = p_wait * mean_stay_days / (servers - load)
    result = ErlangResult(
        arrivals_per_day=arrivals_per_day,
        mean_stay_days=mean_stay_days,
        servers=servers,
        offered_load=load,
        utilisation=utilisation,
        p_wait=p_wait,
        mean_wait_days=mean_wait,
        mean_queue=arrivals_per_day * mean_wait,
        p_start_within_2_days=0.0,
        unbounded=False,
        message=None,
    )
    return ErlangResult(**{**asdict(result), "p_start_within_2_days": result.p_start_within(2.0)})
