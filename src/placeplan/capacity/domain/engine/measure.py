"""Measuring a run: each service's monthly and period measures from the batches' accumulators,
the total cost, and the discharge-delay metric."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from placeplan.capacity.domain.arrivals import expected_arrivals
from placeplan.capacity.domain.engine.graph import offered_load
from placeplan.capacity.domain.engine.results import (
    WAIT_BANDS,
    FloatArray,
    RunResult,
    ServiceResult,
    wait_band_key,
)
from placeplan.capacity.domain.scenario import Scenario
from placeplan.capacity.domain.statistics import Accumulator, ratio


def _service_result(
    scenario: Scenario,
    accs: list[list[Accumulator]],
    i: int,
    days: FloatArray,
    load: list[float],
) -> ServiceResult:
    """Every measure of service i, monthly and over the period, per replication.

    One piece (about 120 lines) because every measure is read from the same few integrals and
    counts, which would otherwise pass between functions a dozen arrays at a time."""
    service = scenario.services[i]
    tl = scenario.timeline
    T = float(scenario.days)

    caps_all = scenario.segment_capacity(service)
    caps = [c for c, seg in zip(caps_all, tl.segments, strict=True) if seg.reported]
    joint = accs[0][i].has("l")

    def get(name: str, _i: int = i) -> FloatArray:
        return _stack(accs, _i, lambda a: a.monthly(name))

    def stack(fn: Callable[[Accumulator], FloatArray], _i: int = i) -> FloatArray:
        return _stack(accs, _i, fn)

    occ_int = stack(
        lambda a: a.integral("s", "l" if a.has("l") else "e") + np.diff(a.occ_extra, axis=1)
    )
    queue_int = stack(lambda a: a.integral("a", "s"))
    # people from the service's own source (others were routed here from another service)
    mixed = accs[0][i].has("ax")
    ext_int = stack(lambda a: a.integral("ax", "sx")) if mixed else queue_int
    blocked_int = stack(lambda a: a.integral("e", "l")) if joint else np.zeros_like(occ_int)
    demand = stack(lambda a: a.counts("a"))
    ext_demand = get("ext.n") if mixed else demand
    admissions = stack(lambda a: a.counts("s"))
    wait_sum = get("wait.sum")
    waited = get("waited")
    within2 = demand - get("over2")
    cap_days = np.array(caps, dtype=np.float64) * days
    m: dict[str, FloatArray] = {
        "demand": demand,
        "external_demand": ext_demand,
        "admissions": admissions,
        "occupancy": occ_int / days,
        "utilisation": ratio(occ_int, np.broadcast_to(cap_days, occ_int.shape)),
        "queue": queue_int / days,
        "mean_wait_days": ratio(wait_sum, demand),
        "p_wait": ratio(waited, demand),
        "p_start_within_2_days": ratio(within2, demand),
        "blocked_days": blocked_int,
    }
    zeros = np.zeros_like(occ_int)
    delayed = zeros
    interim_days = zeros
    home_days = zeros
    interim_count = zeros
    if service.source == "step_up":
        home_days = ext_int
    elif service.interim is not None:
        # waits split at the time to arrange: acute bed days first, then interim days
        delayed = stack(lambda a: a.interval("acute"))
        interim_days = stack(lambda a: a.interval("interim"))
        interim_count = get("interim.n")
    else:
        delayed = ext_int
    interim_rate = scenario.interim_cost(service.interim) if service.interim else 0.0
    m["delayed_bed_days"] = delayed
    m["delayed_bed_day_cost"] = delayed * scenario.acute_bed_day_cost
    m["interim_placements"] = interim_count
    m["interim_days"] = interim_days
    m["interim_cost"] = interim_days * interim_rate
    m["home_wait_days"] = home_days
    m["service_cost"] = occ_int * service.cost_per_day
    m["total_cost"] = m["service_cost"] + m["delayed_bed_day_cost"] + m["interim_cost"]
    months_per_period = T / (365.0 / 12.0)
    n_arr = demand.sum(axis=1)
    p: dict[str, FloatArray] = {
        "mean_wait_days": ratio(wait_sum.sum(axis=1), n_arr),
        "p_wait": ratio(waited.sum(axis=1), n_arr),
        "p_start_within_2_days": ratio(within2.sum(axis=1), n_arr),
        **dict(
            zip(
                ("wait_p50_days", "wait_p90_days", "wait_p95_days"),
                (
                    np.concatenate(parts)
                    for parts in zip(
                        *(batch[i].percentile_waits((0.5, 0.9, 0.95)) for batch in accs),
                        strict=True,
                    )
                ),
                strict=True,
            )
        ),
        **dict(
            zip(
                (wait_band_key(d) for d in WAIT_BANDS),
                (
                    np.concatenate(parts)
                    for parts in zip(
                        *(batch[i].shares_within(WAIT_BANDS) for batch in accs),
                        strict=True,
                    )
                ),
                strict=True,
            )
        ),
        "mean_queue": queue_int.sum(axis=1) / T,
        "mean_occupancy": occ_int.sum(axis=1) / T,
        "utilisation": occ_int.sum(axis=1) / float(cap_days.sum()),
        "demand_per_month": n_arr / months_per_period,
        "admissions_per_month": admissions.sum(axis=1) / months_per_period,
        "delayed_bed_days_per_month": delayed.sum(axis=1) / months_per_period,
        "delayed_bed_day_cost": m["delayed_bed_day_cost"].sum(axis=1),
        "interim_placements_per_month": interim_count.sum(axis=1) / months_per_period,
        "interim_days_per_month": interim_days.sum(axis=1) / months_per_period,
        "interim_cost": m["interim_cost"].sum(axis=1),
        "home_wait_days_per_month": home_days.sum(axis=1) / months_per_period,
        "blocked_days_per_month": blocked_int.sum(axis=1) / months_per_period,
        "service_cost": m["service_cost"].sum(axis=1),
        "total_cost": m["total_cost"].sum(axis=1),
        "queue_at_end": stack(lambda a: a.before_end("a") - a.before_end("s")),
    }
    unbounded = all(ld >= c for ld, c in zip(load, caps, strict=True))
    message = None
    if unbounded:
        worst = min(c - ld for ld, c in zip(load, caps, strict=True))
        message = (
            f"{service.id}: demand exceeds capacity in every month (short by at least "
            f"{-worst:.1f} places): the queue grows without bound, so period averages of "
            "waits and queues depend on the run length and are not given; the monthly "
            "figures show the growth"
        )
    return ServiceResult(
        service=service,
        capacity=caps,
        load=load,
        monthly=m,
        period=p,
        unbounded=unbounded,
        message=message,
    )


def measure_services(
    scenario: Scenario, accs: list[list[Accumulator]], services: list[int]
) -> dict[int, ServiceResult]:
    """`services`' results once every batch of them has run: a group's, measured on its own
    thread as soon as it finishes (`engine.run`), while the other groups still simulate."""
    reported = scenario.timeline.reported
    days = np.array([seg.days for seg in reported])
    loads = offered_load(scenario)
    out: dict[int, ServiceResult] = {}
    for i in services:
        out[i] = _service_result(scenario, accs, i, days, loads[scenario.services[i].id])
    return out


def _stack(
    accs: list[list[Accumulator]], i: int, fn: Callable[[Accumulator], FloatArray]
) -> FloatArray:
    return np.concatenate([fn(batch[i]) for batch in accs], axis=0)


def measure(
    scenario: Scenario,
    replications: int,
    seed: int,
    accs: list[list[Accumulator]],
    included: list[int],
    elapsed: float,
    measured: dict[int, ServiceResult] | None = None,
) -> RunResult:
    """The run's result from the batches' accumulators: each included service's measures (those
    in `measured` already taken, by `measure_services`), the total cost and the discharge-delay
    metric."""
    reported = scenario.timeline.reported
    days = np.array([seg.days for seg in reported])
    loads = offered_load(scenario)
    results: dict[str, ServiceResult] = {}
    warnings: list[str] = []
    total_cost = np.zeros(replications)
    drd_late = np.zeros((replications, len(reported)))
    drd_days = np.zeros((replications, len(reported)))
    modelled = np.zeros((replications, len(reported)))
    modelled_expected = np.zeros(len(reported))
    acute_unbounded: list[str] = []
    for i, service in enumerate(scenario.services):
        if i not in included:
            continue
        if measured is not None and i in measured:
            result = measured[i]
        else:
            result = _service_result(scenario, accs, i, days, loads[service.id])
        results[service.id] = result
        if result.message is not None:
            warnings.append(result.message)
        total_cost += result.period["total_cost"]
        if service.source == "discharge":
            modelled += result.monthly["external_demand"]
            modelled_expected += np.array(
                [expected_arrivals(scenario, service, s.begin, s.end) for s in reported]
            )
            drd_late += _stack(accs, i, lambda a: a.monthly("drd.late"))
            drd_days += _stack(accs, i, lambda a: a.monthly("drd.days"))
            if result.unbounded and service.interim is None:
                acute_unbounded.append(service.id)
    dm, dp = _discharge_metric(scenario, modelled, modelled_expected, drd_late, drd_days, warnings)
    return RunResult(
        scenario=scenario,
        replications=replications,
        seed=seed,
        months=[s.label for s in reported],
        month_days=[s.days for s in reported],
        services=results,
        discharge_monthly=dm,
        discharge_period=dp,
        discharge_unbounded=acute_unbounded,
        total_cost=total_cost,
        elapsed_seconds=elapsed,
        warnings=warnings,
    )


def _discharge_metric(
    scenario: Scenario,
    modelled: FloatArray,
    modelled_expected: FloatArray,
    drd_late: FloatArray,
    drd_days: FloatArray,
    warnings: list[str],
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """The BCF metric "average length of discharge delay" over all acute discharges (the modelled
    ones and, where the scenario gives acute discharges a day, the others), monthly and over the
    period."""
    reported = scenario.timeline.reported
    if scenario.acute_discharges_per_day is not None:
        acute = np.array([scenario.acute_discharges_per_day[s.cycle] * s.days for s in reported])
        others = np.maximum(acute - modelled_expected, 0.0)
    else:
        others = np.zeros(len(reported))
        if any(s.source == "discharge" for s in scenario.services):
            warnings.append(
                "acute_discharges_per_day is not given: the discharge-delay metric is over the "
                "modelled discharges only, not all acute discharges"
            )
    discharges = modelled + others[None, :]
    dm = {
        "acute_discharges": discharges,
        "delayed_discharges": drd_late,
        "share_on_drd": 1.0 - ratio(drd_late, discharges),
        "mean_delay_days_of_delayed": ratio(drd_days, drd_late),
        "average_delay_days": ratio(drd_days, discharges),
    }
    dp = {
        "acute_discharges": discharges.sum(axis=1),
        "delayed_discharges": drd_late.sum(axis=1),
        "share_on_drd": 1.0 - ratio(drd_late.sum(axis=1), discharges.sum(axis=1)),
        "mean_delay_days_of_delayed": ratio(drd_days.sum(axis=1), drd_late.sum(axis=1)),
        "average_delay_days": ratio(drd_days.sum(axis=1), discharges.sum(axis=1)),
    }
    return dm, dp
