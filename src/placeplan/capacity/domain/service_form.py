"""One service of a scenario on a form: the scenario's mapping (as read from its YAML) to the
form's fields and back, and a refusal of the scenario's validation to the field it is about.

Every key of the scenario schema's `service` has a field; what a field accepts is the schema's
and `parse_scenario`'s (see `form_fields`). A default the editor leaves as it is (`source`,
`when_capacity_falls`) is written only where the stored mapping had it, so a service saved
unchanged is the mapping it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from placeplan.capacity.domain.form_fields import (
    MONTHS,
    Fields,
    cycle_words,
    distribution_field,
    distribution_fields,
    distribution_value,
    given,
    monthly_field,
    monthly_fields,
    monthly_value,
    number,
    percent_text,
    said,
    share,
    text,
)
from placeplan.core.errors import InputError

KIND_WORDS = {
    "beds": "Beds (people stay in a place: a bed, a care home room)",
    "visits": "Visits at home (people receive a care package at home)",
}
SOURCE_WORDS = {
    "discharge": "Discharges from hospital",
    "step_up": "Step-up referrals from the community (they wait at home)",
}
CAPACITY_UNIT_WORDS = {
    "places": "Places, or care packages at once",
    "slots": "Visit slots a day (visits at home only)",
}
DEFAULTS = {"source": "discharge", "when_capacity_falls": "empty_gradually"}


def onward_name(code: str) -> str:
    return f"onward-{code}"


def service_fields(raw: Mapping[str, Any]) -> dict[str, str]:
    """A scenario's service as its form's fields (all text)."""
    slots = "visit_slots_per_day" in raw
    capacity = monthly_fields(raw.get("visit_slots_per_day" if slots else "capacity"), "capacity")
    surge = raw.get("surge") or {}
    start_state = raw.get("start_state") or {}
    fields = {
        "service_name": str(raw.get("name") or ""),
        "code": str(raw.get("id") or ""),
        "kind": str(raw.get("kind") or ""),
        "source": str(raw.get("source") or DEFAULTS["source"]),
        **monthly_fields(raw.get("arrivals_per_day"), "arrivals"),
        "growth": percent_text(raw["growth"]) if "growth" in raw else "",
        **distribution_fields(raw.get("length_of_stay"), "los"),
        "capacity_unit": "slots" if slots else "places",
        **capacity,
        "visits_per_day": text(raw.get("visits_per_day")),
        "surge_extra": text(surge.get("extra")),
        "surge_months": ",".join(surge.get("months") or ()),
        "cost_per_day": text(raw.get("cost_per_day")),
        "interim": str((raw.get("when_full") or {}).get("interim") or ""),
        "in_service": text(start_state.get("in_service")),
        "waiting": text(start_state.get("waiting")),
        "capacity_falls": str(raw.get("when_capacity_falls") or DEFAULTS["when_capacity_falls"]),
        "notes": str(raw.get("notes") or ""),
    }
    for target, probability in (raw.get("onward") or {}).items():
        fields[onward_name(str(target))] = percent_text(probability)
    return fields


def service_from_fields(
    fields: Fields, others: Sequence[str], old: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The scenario's service from its form. `others` are the codes of the scenario's other
    services (the onward routes the form offers); `old`, the service as stored, keeps what the
    form leaves as it was (defaults, the stay's notes).

    One piece (about 60 lines): it writes the schema's keys in the schema's order."""
    old = old or {}
    raw: dict[str, Any] = {"id": fields.get("code", "").strip()}
    if given(fields, "service_name"):
        raw["name"] = fields["service_name"].strip()
    raw["kind"] = fields.get("kind", "")
    source = fields.get("source") or DEFAULTS["source"]
    if source != DEFAULTS["source"] or "source" in old:
        raw["source"] = source
    arrivals = monthly_value(fields, "arrivals")
    if arrivals is not None:
        raw["arrivals_per_day"] = arrivals
    if given(fields, "growth"):
        raw["growth"] = share(fields["growth"])
    los = distribution_value(fields, "los", old.get("length_of_stay"))
    if los is not None:
        raw["length_of_stay"] = los
    capacity = monthly_value(fields, "capacity")
    if fields.get("capacity_unit") == "slots":
        if capacity is not None:
            raw["visit_slots_per_day"] = capacity
        if given(fields, "visits_per_day"):
            raw["visits_per_day"] = number(fields["visits_per_day"])
    elif capacity is not None:
        raw["capacity"] = capacity
    months = [m for m in (fields.get("surge_months") or "").split(",") if m]
    if months or given(fields, "surge_extra"):
        surge: dict[str, Any] = {}
        if months:
            surge["months"] = months
        if given(fields, "surge_extra"):
            surge["extra"] = number(fields["surge_extra"])
        raw["surge"] = surge
    if given(fields, "cost_per_day"):
        raw["cost_per_day"] = number(fields["cost_per_day"])
    onward = {
        code: share(fields[onward_name(code)])
        for code in others
        if given(fields, onward_name(code))
    }
    if onward:
        raw["onward"] = onward
    if given(fields, "interim"):
        raw["when_full"] = {"interim": fields["interim"].strip()}
    start_state = {
        key: number(fields[key]) for key in ("in_service", "waiting") if given(fields, key)
    }
    if start_state:
        raw["start_state"] = start_state
    if given(fields, "notes"):
        raw["notes"] = fields["notes"].strip()
    falls = fields.get("capacity_falls") or DEFAULTS["when_capacity_falls"]
    if falls != DEFAULTS["when_capacity_falls"] or "when_capacity_falls" in old:
        raw["when_capacity_falls"] = falls
    return raw


def labels(start: str | None, names: Mapping[str, str]) -> dict[str, str]:
    """Each field's label, as an error about it begins ("Capacity in July 2025")."""
    months = cycle_words(start)
    out = {
        "service_name": "The name",
        "code": "The short code",
        "kind": "The kind of service",
        "source": "Where people come from",
        "arrivals": "Demand (people a day)",
        "growth": "Growth over the year",
        "los_distribution": "The length of stay's distribution",
        "los_mean": "The mean length of stay",
        "los_sd": "The standard deviation of the length of stay",
        "los_days": "The observed lengths of stay",
        "capacity": "Capacity",
        "visits_per_day": "Visits a day for one package",
        "surge_extra": "Surge capacity",
        "surge_months": "Surge months",
        "cost_per_day": "Cost a day",
        "interim": "When full",
        "in_service": "People in the service at the start",
        "waiting": "People waiting at the start",
        "capacity_falls": "When capacity falls",
        "notes": "Notes",
    }
    for i in range(MONTHS):
        out[f"arrivals_{i + 1}"] = f"Demand in {months[i]}"
        out[f"capacity_{i + 1}"] = f"Capacity in {months[i]}"
    for code, name in names.items():
        out[onward_name(code)] = f"The share going on to {name}"
    return out


_SIMPLE = {
    ".id": "code",
    ".name": "service_name",
    ".kind": "kind",
    ".source": "source",
    ".growth": "growth",
    ".visits_per_day": "visits_per_day",
    ".surge.months": "surge_months",
    ".surge": "surge_extra",
    ".cost_per_day": "cost_per_day",
    ".when_full": "interim",
    ".start_state.waiting": "waiting",
    ".start_state": "in_service",
    ".notes": "notes",
    ".when_capacity_falls": "capacity_falls",
}


def field_of(rest: str, fields: Fields, others: Sequence[str]) -> str:
    """The form field of an error path inside the service (`.capacity[3]` -> `capacity_4`)."""
    for key, name in (("arrivals_per_day", "arrivals"), ("capacity", "capacity")):
        if rest.startswith(f".{key}"):
            return monthly_field(fields, name, rest[len(key) + 1 :])
    if rest.startswith(".visit_slots_per_day"):
        return monthly_field(fields, "capacity", rest[len(".visit_slots_per_day") :])
    if rest.startswith(".length_of_stay"):
        return distribution_field("los", rest[len(".length_of_stay") :])
    if rest.startswith(".onward"):
        target = rest[len(".onward.") :] if rest.startswith(".onward.") else ""
        if target in others:
            return onward_name(target)
        return onward_name(others[0]) if others else "service_name"
    for key, name in _SIMPLE.items():
        if rest.startswith(key):
            return name
    return "service_name"


def refusal(
    error: InputError,
    index: int,
    fields: Fields,
    start: str | None,
    names: Mapping[str, str],
) -> InputError:
    """The scenario's refusal of the services as this form's: about service `index` (the one on
    the form), its field; about the demand all the services make (the acute discharges), its
    demand; about another service, that service by name, at the form's first field."""
    path = error.field or ""
    others = [code for code in names if code != fields.get("code", "").strip()]
    plain = InputError(_named(error.message, names), field=error.field)
    mine = f"services[{index}]"
    if path == mine or path.startswith((f"{mine}.", f"{mine}[")):
        field = field_of(path[len(mine) :], fields, others)
        base = re.sub(r"_\d+$", "", field)
        label = labels(start, names).get(field, "This")
        return said(plain, field, label, percent=base in ("growth", "onward") or "onward-" in field)
    if path.startswith("acute_discharges_per_day"):
        field = monthly_field(fields, "arrivals", "")
        return said(plain, field, "Demand (people a day)")
    other = re.match(r"services\[(\d+)\]", path)
    codes = list(names)
    if other and int(other.group(1)) < len(codes):
        who = names[codes[int(other.group(1))]]
        return InputError(f"{who[0].upper()}{who[1:]}: {plain.message}", field="service_name")
    return InputError(plain.message, field="service_name")


def _named(message: str, names: Mapping[str, str]) -> str:
    """A message that names services by their codes (a routing cycle), by their names."""
    for code, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        if name and name != code:
            message = re.sub(rf"(?<![\w']){re.escape(code)}(?![\w'])", name, message)
    return message
