"""What the scenario's forms show: each choice in words, the months a monthly figure is typed
for, and each service in a sentence for the model's list of services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from placeplan.capacity.domain.form_fields import (
    DISTRIBUTION_WORDS,
    cycle_words,
    month_words,
    percent_text,
    text,
)
from placeplan.capacity.domain.interim import CAPACITY_FALLS
from placeplan.capacity.domain.model_form import month_choices
from placeplan.capacity.domain.service_form import (
    CAPACITY_UNIT_WORDS,
    KIND_WORDS,
    SOURCE_WORDS,
    onward_name,
)
from placeplan.capacity.domain.timeline import build_timeline


def _start(data: Mapping[str, Any]) -> str | None:
    start = data.get("start")
    return start if isinstance(start, str) else None


def surge_choices(data: Mapping[str, Any], chosen: str) -> list[tuple[str, str]]:
    """The months a surge can be in (the modelled period's), and any already chosen."""
    try:
        timeline = build_timeline(
            _start(data), int(data.get("days", 365)), float(data.get("warm_up_days", 0))
        )
        labels = timeline.labels()
    except (ValueError, TypeError):
        labels = []
    labels += [m for m in chosen.split(",") if m and m not in labels]
    return [(m, month_words(m)) for m in labels]


def choices(data: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Everything a service's, interim option's or the settings' form offers, in words."""
    interims = data.get("interim") or {}
    return {
        "months": cycle_words(_start(data)),
        "kinds": KIND_WORDS,
        "sources": SOURCE_WORDS,
        "distributions": DISTRIBUTION_WORDS,
        "capacity_units": CAPACITY_UNIT_WORDS,
        "falls": {k: first_upper(v) for k, v in CAPACITY_FALLS.items()},
        "interims": {k: str(v.get("name") or k.replace("_", " ")) for k, v in interims.items()},
        "names": dict(names),
        "onward_name": onward_name,
        "month_choices": month_choices(),
        "first_upper": first_upper,
    }


def _figure(value: Any, unit: str) -> str:
    if isinstance(value, list):
        shown = [text(v) for v in value]
        return f"{min(shown, key=float)} to {max(shown, key=float)} {unit} by month"
    if value == 1 and unit.startswith("people"):
        unit = unit.replace("people", "person", 1)
    return f"{text(value)} {unit}"


def _stay(spec: Mapping[str, Any] | None) -> str:
    if not spec:
        return ""
    kind = spec.get("distribution")
    if kind == "empirical":
        return f"observed lengths ({len(spec.get('days') or [])} stays)"
    if kind in ("lognormal", "gamma"):
        mean, sd = text(spec.get("mean")), text(spec.get("sd"))
        return f"{kind}, mean {mean} days, standard deviation {sd} days"
    return f"{kind}, mean {text(spec.get('mean'))} days"


def service_rows(data: Mapping[str, Any], names: Mapping[str, str]) -> list[dict[str, str]]:
    """Each service in words: its name, kind, demand, stay and capacity."""
    rows = []
    interims = data.get("interim") or {}
    for raw in data.get("services") or []:
        slots = "visit_slots_per_day" in raw
        capacity = raw.get("visit_slots_per_day" if slots else "capacity")
        unit = "visit slots a day" if slots else "places"
        surge = raw.get("surge") or {}
        surge_words = ""
        if surge.get("extra"):
            months = ", ".join(month_words(m) for m in surge.get("months") or [])
            surge_words = f"; {surge['extra']} more in {months}"
        growth = (
            f", growing {percent_text(raw['growth'])}% over the year" if raw.get("growth") else ""
        )
        onward = raw.get("onward") or {}
        rows.append(
            {
                "code": str(raw.get("id")),
                "name": names.get(str(raw.get("id")), str(raw.get("id"))),
                "kind": "beds" if raw.get("kind") == "beds" else "visits at home",
                "demand": _figure(raw.get("arrivals_per_day"), "people a day") + growth,
                "stay": _stay(raw.get("length_of_stay")),
                "capacity": _figure(capacity, unit) + surge_words,
                "when_full": _interim_name(interims, (raw.get("when_full") or {}).get("interim")),
                "onward": "; ".join(
                    f"{percent_text(p)}% to {names.get(t, t)}" for t, p in onward.items()
                ),
            }
        )
    return rows


def _interim_name(interims: Mapping[str, Any], code: str | None) -> str:
    if not code:
        return ""
    return f"people take a {interims.get(code, {}).get('name') or code.replace('_', ' ')}"


def interim_rows(data: Mapping[str, Any]) -> list[dict[str, str]]:
    rows = []
    for code, raw in (data.get("interim") or {}).items():
        arrange = raw.get("time_to_arrange")
        rows.append(
            {
                "code": code,
                "name": str(raw.get("name") or code.replace("_", " ")),
                "cost": text(raw.get("cost_per_day")),
                "arrange": _stay(arrange) if arrange else "available at once",
            }
        )
    return rows


def first_upper(words: str) -> str:
    """A name at the start of a line: its first letter a capital, the rest as written (HART)."""
    return words[:1].upper() + words[1:]
