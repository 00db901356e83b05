"""A scenario's settings and its interim options on forms: the mapping to fields and back, and a
refusal of the scenario's validation to the field it is about (as `service_form` does for a
service; what a field accepts is the scenario's own validation)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from placeplan.capacity.domain.form_fields import (
    MONTH_NAMES,
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
    said,
    text,
)
from placeplan.core.errors import InputError

# the scenario's keys the settings form owns, in the order a file writes them
SETTINGS_KEYS = (
    "name",
    "description",
    "notes",
    "start",
    "days",
    "warm_up_days",
    "acute_discharges_per_day",
    "acute_bed_day_cost",
)


def settings_fields(data: Mapping[str, Any]) -> dict[str, str]:
    start = str(data.get("start") or "")
    month, year = "", ""
    if re.fullmatch(r"\d{4}-\d{2}", start):
        year, month = start[:4], str(int(start[5:]))
    notes = data.get("notes")
    return {
        "scenario_name": str(data.get("name") or ""),
        "description": str(data.get("description") or ""),
        "notes": "\n".join(notes) if isinstance(notes, list) else str(notes or ""),
        "start_month": month,
        "start_year": year,
        "days": text(data.get("days")),
        "warm_up_days": text(data.get("warm_up_days")),
        **monthly_fields(data.get("acute_discharges_per_day"), "acute"),
        "acute_bed_day_cost": text(data.get("acute_bed_day_cost")),
    }


def settings_from_fields(fields: Fields, data: Mapping[str, Any]) -> dict[str, Any]:
    """The whole scenario with the settings as typed (its interim options and services kept)."""
    out: dict[str, Any] = {"name": fields.get("scenario_name", "").strip()}
    if given(fields, "description"):
        out["description"] = _lines(fields["description"])
    lines = [n.strip() for n in _lines(fields.get("notes", "")).split("\n") if n.strip()]
    if lines:
        was_text = isinstance(data.get("notes"), str)
        out["notes"] = lines[0] if was_text and len(lines) == 1 else lines
    month, year = fields.get("start_month", "").strip(), fields.get("start_year", "").strip()
    if month or year:
        digits = month.isdigit() and year.isdigit() and 1 <= int(month) <= 12
        out["start"] = f"{int(year):04d}-{int(month):02d}" if digits else f"{year}-{month}"
    for key in ("days", "warm_up_days", "acute_bed_day_cost"):
        if given(fields, key):
            out[key] = number(fields[key])
    acute = monthly_value(fields, "acute")
    if acute is not None:
        out["acute_discharges_per_day"] = acute
    ordered = {k: out[k] for k in SETTINGS_KEYS if k in out}
    kept = {k: v for k, v in data.items() if k not in SETTINGS_KEYS}
    return ordered | kept


def _lines(typed: str) -> str:
    return typed.replace("\r\n", "\n").strip()


SETTINGS_LABELS = {
    "scenario_name": "The scenario's title",
    "description": "The description",
    "notes": "Notes",
    "start_month": "The first month",
    "days": "The modelled period",
    "warm_up_days": "The warm-up",
    "acute": "All acute discharges a day",
    "acute_bed_day_cost": "The cost of a delayed acute bed day",
}


def settings_refusal(error: InputError, fields: Fields, names: Mapping[str, str]) -> InputError:
    """The scenario's refusal as the settings form's field. A refusal of a service that the
    settings caused (a surge month outside a moved period) names the service, at the first
    month."""
    path = error.field or ""
    if path.startswith("acute_discharges_per_day"):
        field = monthly_field(fields, "acute", path[len("acute_discharges_per_day") :])
        label = SETTINGS_LABELS["acute"]
        if field != "acute":
            label = f"Acute discharges a day in {cycle_words(_start(fields))[int(field[6:]) - 1]}"
        return said(error, field, label)
    if path == "start":
        return InputError(
            "The first month must be a month and a year, such as April 2025", field="start_month"
        )
    simple = {"name": "scenario_name", "description": "description", "notes": "notes"}
    simple |= {k: k for k in ("days", "warm_up_days", "acute_bed_day_cost")}
    for key, field in simple.items():
        if path == key or path.startswith(f"{key}["):
            return said(error, field, SETTINGS_LABELS[field])
    other = re.match(r"services\[(\d+)\]", path)
    codes = list(names)
    if other and int(other.group(1)) < len(codes):
        who = names[codes[int(other.group(1))]]
        return InputError(f"{who[0].upper()}{who[1:]}: {error.message}", field="start_month")
    return InputError(error.message, field="scenario_name")


def _start(fields: Fields) -> str | None:
    month, year = fields.get("start_month", ""), fields.get("start_year", "")
    if month.isdigit() and year.isdigit() and 1 <= int(month) <= 12:
        return f"{int(year):04d}-{int(month):02d}"
    return None


def month_choices() -> list[tuple[str, str]]:
    return [(str(i + 1), MONTH_NAMES[i]) for i in range(MONTHS)]


def interim_fields(code: str, raw: Mapping[str, Any]) -> dict[str, str]:
    return {
        "interim_code": code,
        "interim_name": str(raw.get("name") or ""),
        "interim_cost": text(raw.get("cost_per_day")),
        **distribution_fields(raw.get("time_to_arrange"), "arrange"),
        "interim_notes": str(raw.get("notes") or ""),
    }


def interim_from_fields(fields: Fields, old: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An interim option from its form (its code is the key it is kept under)."""
    old = old or {}
    raw: dict[str, Any] = {}
    if given(fields, "interim_name"):
        raw["name"] = fields["interim_name"].strip()
    if given(fields, "interim_cost"):
        raw["cost_per_day"] = number(fields["interim_cost"])
    if given(fields, "interim_notes"):
        raw["notes"] = fields["interim_notes"].strip()
    arrange = distribution_value(fields, "arrange", old.get("time_to_arrange"))
    if arrange is not None:
        raw["time_to_arrange"] = arrange
    return raw


INTERIM_LABELS = {
    "interim_code": "The short code",
    "interim_name": "The name",
    "interim_cost": "The cost a day",
    "arrange_distribution": "The time to arrange's distribution",
    "arrange_mean": "The mean time to arrange",
    "arrange_sd": "The standard deviation of the time to arrange",
    "arrange_days": "The observed times to arrange",
    "interim_notes": "Notes",
}


def interim_refusal(error: InputError, code: str) -> InputError:
    path = error.field or ""
    mine = f"interim.{code}"
    if path.startswith(mine):
        rest = path[len(mine) :]
        field = "interim_code"
        if rest.startswith(".time_to_arrange"):
            field = distribution_field("arrange", rest[len(".time_to_arrange") :])
        else:
            for key, name in (
                (".cost_per_day", "interim_cost"),
                (".name", "interim_name"),
                (".notes", "interim_notes"),
            ):
                if rest.startswith(key):
                    field = name
        return said(error, field, INTERIM_LABELS[field])
    if path == "interim":  # a code the schema refuses (letters, digits, _ and -)
        return said(error, "interim_code", INTERIM_LABELS["interim_code"])
    return InputError(error.message, field="interim_name")
