"""Scenarios: a mapping (as read from a YAML file by `placeplan.capacity.io.scenario`), validated
against the published JSON schema, then checked for sense.

Every refusal is an `InputError` naming the field (`services[1].onward.P3`) and the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no types-jsonschema in the lock
from jsonschema.exceptions import (  # type: ignore[import-untyped]
    ValidationError,
    best_match,
)

from placeplan.capacity.domain.distributions import Distribution, parse_distribution
from placeplan.capacity.domain.interim import check_capacity_falls, parse_arrange_times
from placeplan.capacity.domain.timeline import Timeline, build_timeline
from placeplan.core.errors import InputError

SCHEMA_NAME = "scenario.schema.json"


@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    """The published JSON schema for scenario files."""
    text = resources.files("placeplan.capacity.domain").joinpath(SCHEMA_NAME).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class Service:
    """One intermediate care service: its demand, stay, capacity, costs and onward routes."""

    id: str
    kind: str  # beds | visits
    source: str  # discharge | step_up
    arrivals_per_day: tuple[float, ...]  # 12 monthly values from `start`
    growth: float
    length_of_stay: Distribution
    capacity: tuple[int, ...]  # 12 monthly values (places or concurrent packages)
    name: str = ""
    surge_months: tuple[str, ...] = ()
    surge_extra: int = 0
    cost_per_day: float = 0.0
    onward: tuple[tuple[str, float], ...] = ()
    interim: str | None = None
    in_service: int = 0
    waiting: int = 0
    visits_per_day: float | None = None  # per package, for `visits` services given in slots
    monthly_capacity: bool = False
    notes: str = ""
    # how a fall in capacity is read: empty_gradually | hold_new_starts (see domain.interim)
    capacity_falls: str = "empty_gradually"

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def exit_probability(self) -> float:
        return max(0.0, 1.0 - sum(p for _, p in self.onward))


@dataclass(frozen=True)
class Scenario:
    """A validated model: what `run` and `size` take."""

    name: str
    services: tuple[Service, ...]
    days: int = 365
    warm_up_days: float = 0.0
    start: str | None = None
    acute_discharges_per_day: tuple[float, ...] | None = None
    acute_bed_day_cost: float = 0.0
    interim_costs: tuple[tuple[str, float], ...] = ()
    # each interim alternative's time to arrange (days in an acute bed first), where given
    interim_arrange: tuple[tuple[str, Distribution], ...] = ()
    interim_names: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    file: str | None = None
    timeline: Timeline = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "timeline", build_timeline(self.start, self.days, self.warm_up_days)
        )

    def service(self, service_id: str) -> Service:
        for s in self.services:
            if s.id == service_id:
                return s
        raise InputError(
            f"no service {service_id!r} in this scenario (it has "
            f"{', '.join(s.id for s in self.services)})",
            field="service",
            file=self.file,
        )

    def index(self, service_id: str) -> int:
        return [s.id for s in self.services].index(self.service(service_id).id)

    def interim_cost(self, name: str) -> float:
        return dict(self.interim_costs)[name]

    def arrange_time(self, name: str | None) -> Distribution | None:
        """The time to arrange interim `name` (None: at once, or no interim)."""
        return dict(self.interim_arrange).get(name) if name else None

    def interim_label(self, name: str) -> str:
        return dict(self.interim_names).get(name) or name.replace("_", " ")

    def with_capacity_added(self, service_id: str, extra: int) -> Scenario:
        """The same scenario with `extra` places added to every month of one service."""
        services = tuple(
            replace(s, capacity=tuple(max(0, c + extra) for c in s.capacity))
            if s.id == service_id
            else s
            for s in self.services
        )
        return replace(self, services=services)

    def segment_capacity(self, service: Service) -> list[int]:
        """Capacity in each segment of the timeline, surge included."""
        surge = set(service.surge_months)
        return [
            service.capacity[seg.cycle] + (service.surge_extra if seg.label in surge else 0)
            for seg in self.timeline.segments
        ]


def field_path(parts: Any) -> str:
    """['services', 1, 'onward', 'P3'] -> 'services[1].onward.P3'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(error: ValidationError) -> tuple[str, str]:
    """A plain message and the field path for a schema error."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        # prefer the branch whose type matches what was given (a list for monthly values)
        matching = [
            e
            for e in error.context
            if e.validator != "type" and not (e.validator == "type" and e.relative_path)
        ]
        if matching:
            return _describe(best_match(matching) or matching[0])
        if isinstance(error.instance, list):
            return "must be a list of 12 monthly values", field_path(error.absolute_path)
        return "must be a number, or a list of 12 monthly values", field_path(error.absolute_path)
    path = field_path(error.absolute_path)
    v, value, inst = error.validator, error.validator_value, error.instance
    if v == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        return "is required", f"{path}.{missing}" if path else missing
    if v == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        key = extra[0] if extra else "?"
        return f"unknown key {key!r}", f"{path}.{key}" if path else key
    if v in ("minItems", "maxItems") and isinstance(inst, list):
        if (
            value == 12
            or "monthly" in path
            or path.endswith(
                ("arrivals_per_day", "capacity", "visit_slots_per_day", "acute_discharges_per_day")
            )
        ):
            return f"needs 12 monthly values, got {len(inst)}", path
        return f"needs at least {value} value(s), got {len(inst)}", path
    if v == "minimum":
        return f"must be at least {value}, got {inst}", path
    if v == "exclusiveMinimum":
        return f"must be more than {value}, got {inst}", path
    if v == "maximum":
        return f"must be at most {value}, got {inst}", path
    if v in ("enum", "const"):
        options = value if isinstance(value, list) else [value]
        return f"must be one of {', '.join(map(str, options))}, got {inst!r}", path
    if v == "pattern":
        if path.endswith("start") or ".months" in path:
            return f"must be a month written YYYY-MM, got {inst!r}", path
        return f"{inst!r} is not allowed here (letters, digits, _ and -)", path
    if v == "type":
        kinds = value if isinstance(value, list) else [value]
        return f"must be {' or '.join(_article(k) for k in kinds)}, got {inst!r}", path
    return str(error.message), path


def _article(kind: str) -> str:
    return {"object": "a mapping", "array": "a list", "integer": "a whole number"}.get(
        kind, f"a {kind}"
    )


def validate_schema(data: dict[str, Any], file: str | None = None) -> None:
    validator = jsonschema.Draft202012Validator(scenario_schema())
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    error = best_match(errors)
    assert error is not None
    message, path = _describe(error)
    raise InputError(message, field=path or None, file=file)


def _monthly(value: Any, integer: bool = False) -> tuple[Any, ...]:
    if isinstance(value, list):
        return tuple(int(v) if integer else float(v) for v in value)
    return tuple([int(value) if integer else float(value)] * 12)


def parse_scenario(data: dict[str, Any], file: str | None = None) -> Scenario:
    """Validate a scenario mapping against the schema and for sense, and build it.

    One piece (about 170 lines): it reads the file's fields in order, each refusal naming its
    field; splitting it would scatter one walk through the schema over many functions."""
    validate_schema(data, file)
    start = data.get("start")
    days = int(data.get("days", 365))
    warm_up = float(data.get("warm_up_days", 0))
    raw_services: list[dict[str, Any]] = data["services"]
    interims = {k: float(v["cost_per_day"]) for k, v in (data.get("interim") or {}).items()}

    ids: dict[str, int] = {}
    for i, raw in enumerate(raw_services):
        if raw["id"] in ids:
            raise InputError(
                f"service id {raw['id']!r} is used twice (also services[{ids[raw['id']]}])",
                field=f"services[{i}].id",
                file=file,
            )
        ids[raw["id"]] = i

    timeline = build_timeline(start, days, warm_up)
    services: list[Service] = []
    for i, raw in enumerate(raw_services):
        where = f"services[{i}]"
        los = parse_distribution(raw["length_of_stay"], f"{where}.length_of_stay", file)
        kind = raw["kind"]
        visits_per_day: float | None = None
        if kind == "beds" and ("visit_slots_per_day" in raw or "visits_per_day" in raw):
            key = "visit_slots_per_day" if "visit_slots_per_day" in raw else "visits_per_day"
            raise InputError(
                "visit slots apply only to services of kind visits",
                field=f"{where}.{key}",
                file=file,
            )
        if "visit_slots_per_day" in raw:
            if "capacity" in raw:
                raise InputError(
                    "give either capacity (concurrent packages) or visit_slots_per_day, not both",
                    field=f"{where}.capacity",
                    file=file,
                )
            visits_per_day = float(raw["visits_per_day"])
            slots = _monthly(raw["visit_slots_per_day"])
            capacity = tuple(int(math.floor(s / visits_per_day + 1e-9)) for s in slots)
            monthly_cap = isinstance(raw["visit_slots_per_day"], list)
            cap_field = f"{where}.visit_slots_per_day"
        else:
            if "visits_per_day" in raw:
                raise InputError(
                    "visits_per_day goes with visit_slots_per_day",
                    field=f"{where}.visits_per_day",
                    file=file,
                )
            capacity = _monthly(raw["capacity"], integer=True)
            monthly_cap = isinstance(raw["capacity"], list)
            cap_field = f"{where}.capacity"
        surge = raw.get("surge") or {}
        surge_months = tuple(surge.get("months", ()))
        for j, month in enumerate(surge_months):
            is_calendar = not month.startswith("M")
            if is_calendar and start is None:
                raise InputError(
                    "surge months written YYYY-MM need the scenario's start; without it write M01..",
                    field=f"{where}.surge.months[{j}]",
                    file=file,
                )
            if not timeline.has_label(month):
                raise InputError(
                    f"surge month {month} is outside the modelled period",
                    field=f"{where}.surge.months[{j}]",
                    file=file,
                )
        onward_raw: dict[str, float] = raw.get("onward") or {}
        total = sum(float(p) for p in onward_raw.values())
        if total > 1.0 + 1e-9:
            raise InputError(
                f"onward routing probabilities add up to {total:g}, more than 1",
                field=f"{where}.onward",
                file=file,
            )
        for target in onward_raw:
            if target not in ids:
                raise InputError(
                    f"onward route to {target!r}, which is not a service here",
                    field=f"{where}.onward.{target}",
                    file=file,
                )
            if target == raw["id"]:
                raise InputError(
                    "a service cannot route people back to itself",
                    field=f"{where}.onward.{target}",
                    file=file,
                )
        source = raw.get("source", "discharge")
        interim = (raw.get("when_full") or {}).get("interim")
        if interim is not None:
            if interim not in interims:
                known = ", ".join(interims) or "none defined"
                raise InputError(
                    f"interim {interim!r} is not defined under interim ({known})",
                    field=f"{where}.when_full.interim",
                    file=file,
                )
            if source != "discharge":
                raise InputError(
                    "an interim alternative applies to hospital discharges; step-up referrals wait "
                    "at home",
                    field=f"{where}.when_full",
                    file=file,
                )
        service = Service(
            id=raw["id"],
            name=raw.get("name", ""),
            kind=kind,
            source=source,
            arrivals_per_day=_monthly(raw["arrivals_per_day"]),
            growth=float(raw.get("growth", 0.0)),
            length_of_stay=los,
            capacity=capacity,
            surge_months=surge_months,
            surge_extra=int(surge.get("extra", 0)),
            cost_per_day=float(raw.get("cost_per_day", 0.0)),
            onward=tuple((k, float(v)) for k, v in onward_raw.items() if float(v) > 0),
            interim=interim,
            in_service=int((raw.get("start_state") or {}).get("in_service", 0)),
            waiting=int((raw.get("start_state") or {}).get("waiting", 0)),
            visits_per_day=visits_per_day,
            monthly_capacity=monthly_cap,
            notes=raw.get("notes", ""),
            capacity_falls=raw.get("when_capacity_falls", "empty_gradually"),
        )
        surge_set = set(service.surge_months)
        caps = [
            service.capacity[seg.cycle] + (service.surge_extra if seg.label in surge_set else 0)
            for seg in timeline.segments
        ]
        if max(caps) == 0:
            raise InputError(
                "capacity is 0 in every month: nobody could ever start", field=cap_field, file=file
            )
        if service.in_service > caps[0]:
            raise InputError(
                f"{service.in_service} people in service at the start, more than the capacity "
                f"then ({caps[0]})",
                field=f"{where}.start_state.in_service",
                file=file,
            )
        services.append(service)

    _check_routing(services, file)
    check_capacity_falls(services, file)

    acute = data.get("acute_discharges_per_day")
    acute_t = _monthly(acute) if acute is not None else None
    notes_raw = data.get("notes")
    notes = (notes_raw,) if isinstance(notes_raw, str) else tuple(notes_raw or ())
    scenario = Scenario(
        name=data["name"],
        services=tuple(services),
        days=days,
        warm_up_days=warm_up,
        start=start,
        acute_discharges_per_day=acute_t,
        acute_bed_day_cost=float(data.get("acute_bed_day_cost", 0.0)),
        interim_costs=tuple(interims.items()),
        interim_arrange=parse_arrange_times(data, days, file),
        interim_names=tuple(
            (k, str(v["name"])) for k, v in (data.get("interim") or {}).items() if v.get("name")
        ),
        notes=notes,
        file=file,
    )
    if acute_t is not None:
        _check_acute(scenario)
    return scenario


def _check_routing(services: list[Service], file: str | None) -> None:
    """Refuse services that people can enter but never leave: a closed cycle of onward routes.

    Cycles are allowed when every service on them has a path, with positive probability, to
    leaving (an exit): then everyone leaves in the end, however often they go round."""
    index = {s.id: i for i, s in enumerate(services)}
    edges = {s.id: [t for t, _ in s.onward] for s in services}
    # services from which an exit is reachable
    can_exit = {s.id for s in services if s.exit_probability > 1e-12}
    changed = True
    while changed:
        changed = False
        for s in services:
            if s.id not in can_exit and any(t in can_exit for t in edges[s.id]):
                can_exit.add(s.id)
                changed = True
    trapped = [s.id for s in services if s.id not in can_exit]
    if trapped:
        first = trapped[0]
        # the closed set people routed from `first` stay in: what it reaches, all trapped too
        closed = [first]
        for node in closed:
            closed.extend(t for t in edges[node] if t not in closed)
        names = ", ".join(sorted(closed, key=index.__getitem__))
        raise InputError(
            f"people routed from {first} go round a cycle with no exit "
            f"({' -> '.join(_cycle_from(first, edges))}): services {names} route everyone "
            "onward among themselves, so nobody would ever leave; give one of them an exit "
            "(onward probabilities adding up to less than 1)",
            field=f"services[{index[first]}].onward",
            file=file,
        )


def _cycle_from(start: str, edges: dict[str, list[str]]) -> list[str]:
    path = [start]
    node = start
    for _ in range(len(edges) + 1):
        if not edges[node]:
            break
        node = edges[node][0]
        path.append(node)
        if node == start or path.count(node) > 1:
            break
    return path


def _check_acute(scenario: Scenario) -> None:
    assert scenario.acute_discharges_per_day is not None
    reported = scenario.timeline.reported
    span = sum(seg.days for seg in reported)
    total = sum(scenario.acute_discharges_per_day[seg.cycle] * seg.days for seg in reported)
    modelled = 0.0
    for s in scenario.services:
        if s.source == "discharge":
            modelled += sum(
                s.arrivals_per_day[seg.cycle]
                * seg.days
                * (1 + s.growth * (seg.begin + seg.end) / 730)
                for seg in reported
            )
    if modelled > total * (1 + 1e-9):
        raise InputError(
            f"all acute discharges ({total / span:.1f} a day) must include the discharges "
            f"modelled into services ({modelled / span:.1f} a day)",
            field="acute_discharges_per_day",
            file=scenario.file,
        )
