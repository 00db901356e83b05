"""The intermediate care capacity and demand plan, as the national template lays it out: month by
month from April, demand and capacity for each service (hospital discharge by pathway, then
community step-up), the gap, the interim use and the assumptions. Pure: built from a capacity
run's results (plain JSON) and written by io.cd_workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The national template's pathways, by what a service of the model stands for.
PATHWAYS = {
    ("discharge", "visits"): "P1: reablement, rehabilitation or short-term care at home",
    ("discharge", "beds"): "Bedded: P2 reablement or rehabilitation, P3 short-term care",
    ("step_up", "visits"): "Community (step-up): reablement or rehabilitation at home",
    ("step_up", "beds"): "Community (step-up): bedded rehabilitation",
}


@dataclass(frozen=True)
class Month:
    month: str  # 2025-04
    days: int
    capacity: float  # beds, or packages a day for visits
    demand: float  # referrals in the month (mean of the replications)
    starts: float  # people who started the service in the month
    occupancy: float  # mean in service
    interim: float  # people placed in the interim (e.g. a temporary care package)
    mean_wait_days: float | None
    visits_per_day: float | None = None  # a visits service's care calls a day (mean in service x
    # each package's visits a day); None for beds

    @property
    def gap(self) -> float:
        """Referrals the service could not start in the month."""
        return max(self.demand - self.starts, 0.0)


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    kind: str  # beds or visits
    source: str  # discharge or step_up
    pathway: str
    length_of_stay: str
    interim: str | None  # what people take while it is full
    months: tuple[Month, ...]


@dataclass(frozen=True)
class Sizing:
    service: str
    target: str
    today: int | None
    needed: int | None
    gap: int | None
    replications: int
    unit: str


@dataclass(frozen=True)
class CapacityPlan:
    plan_title: str
    model_name: str
    run_label: str  # which run, with its replications and seed
    months: tuple[str, ...]
    services: tuple[Service, ...]
    assumptions: tuple[str, ...]
    sizing: Sizing | None = None


def _v(stat: Any) -> float:
    value = stat.get("value") if isinstance(stat, dict) else stat
    return float(value) if isinstance(value, int | float) else 0.0


def _opt(stat: Any) -> float | None:
    value = stat.get("value") if isinstance(stat, dict) else stat
    return float(value) if isinstance(value, int | float) else None


def services_from(results: dict[str, Any], interims: dict[str, str]) -> tuple[Service, ...]:
    """Each service of a run's results; keys a later engine may drop read as nothing."""
    found = []
    for sid, doc in (results.get("services") or {}).items():
        kind, source = str(doc.get("kind", "beds")), str(doc.get("source", "discharge"))
        months = tuple(
            Month(
                month=str(row.get("month")),
                days=int(row.get("days") or 0),
                capacity=float(row.get("capacity") or 0),
                demand=_v(row.get("demand")),
                starts=_v(row.get("admissions")),
                occupancy=_v(row.get("occupancy")),
                interim=_v(row.get("interim_placements")),
                mean_wait_days=_opt(row.get("mean_wait_days")),
                visits_per_day=_opt(row.get("visits_per_day")),
            )
            for row in doc.get("monthly") or []
        )
        found.append(
            Service(
                id=sid,
                name=str(doc.get("name") or sid),
                kind=kind,
                source=source,
                pathway=PATHWAYS.get((source, kind), f"{source} {kind}"),
                length_of_stay=str(doc.get("length_of_stay") or ""),
                interim=interims.get(sid),
                months=months,
            )
        )
    order = {"discharge": 0, "step_up": 1}
    return tuple(sorted(found, key=lambda s: (order.get(s.source, 2), s.id)))
