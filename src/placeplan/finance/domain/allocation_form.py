"""A need-weighted allocation as its form gives it, and back. Pure.

The form: a name, the first year, the total for each year one a line (pounds), the most an area
may lose a year (per cent), the areas one a line ("name, population, spend today in pounds") and
each need component as a group of fields (`component_1_name`, `_weight`, `_source`, and `_values`
one area a line, "name, value"). A refusal names the form's own field, so the page can put the
message beside it. Each figure is read and checked through `fields` (what the API, the demo's files
and the stored document accept too); the allocation the form describes is then checked whole by the
domain, and its years against the plan's period.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_period
from placeplan.finance.domain import fields
from placeplan.finance.domain.allocation import Allocation
from placeplan.finance.domain.allocation_document import from_document
from placeplan.finance.domain.model import year_label

BLANK_COMPONENTS = 1  # empty component groups the form offers for a new one


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _text(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _areas(text: str) -> list[dict[str, Any]]:
    areas = []
    for n, line in enumerate(_lines(text), start=1):
        parts = [p.strip() for p in line.rsplit(",", 2)]
        if len(parts) != 3 or not parts[0]:
            raise InputError(
                f"Area line {n} ({line!r}) needs a name, a population and today's spend, "
                "separated by commas",
                field="areas",
            )
        name, population, spend = parts
        fields.AREA_NAME.check(name, field="areas")
        people = fields.figure(population, fields.population(name), "areas")
        current = fields.figure(spend, fields.spend_today(name), "areas") / 100
        areas.append({"name": name, "population": int(people), "current": _text(current)})
    if not areas:
        raise InputError("Give at least one area", field="areas")
    names = [a["name"] for a in areas]
    if len(set(names)) != len(names):
        raise InputError("Each area may appear once", field="areas")
    return areas


def _component(values: Mapping[str, str], j: int, areas: list[str]) -> dict[str, Any] | None:
    """Component `j` of the form, None when its group is left empty."""
    prefix = f"component_{j}_"
    name = (values.get(prefix + "name") or "").strip()
    weight = (values.get(prefix + "weight") or "").strip()
    source = (values.get(prefix + "source") or "").strip()
    lines = _lines(values.get(prefix + "values") or "")
    if not (name or weight or source or lines):
        return None
    if not name:
        raise InputError(f"Give need component {j} a name", field=prefix + "name")
    fields.COMPONENT_NAME.check(name, field=prefix + "name")
    number = fields.figure(weight, fields.weight(name), prefix + "weight")
    if not source:
        raise InputError(f"Say where the figures of {name} came from", field=prefix + "source")
    fields.need_source(name).check(source, field=prefix + "source")
    given: dict[str, str] = {}
    for line in lines:
        parts = [p.strip() for p in line.rsplit(",", 1)]
        if len(parts) != 2 or parts[0] not in areas:
            raise InputError(
                f"{name}: {line!r} does not name one of the areas above, then a value",
                field=prefix + "values",
            )
        value = fields.figure(parts[1], fields.need_value(name, parts[0]), prefix + "values")
        given[parts[0]] = _text(value)
    missing = [a for a in areas if a not in given]
    if missing:
        raise InputError(f"{name} has no value for {', '.join(missing)}", field=prefix + "values")
    return {
        "name": name,
        "weight": _text(number),
        "source": source,
        "uploaded": values.get(prefix + "uploaded") == "yes",
        "values": given,
    }


def component_count(values: Mapping[str, str]) -> int:
    """How many component groups a submitted form holds (the highest number used)."""
    numbers = [
        int(key.split("_")[1])
        for key in values
        if key.startswith("component_") and key.split("_")[1].isdigit()
    ]
    return max(numbers, default=0)


def document_from_form(
    values: Mapping[str, str], period: tuple[int, int]
) -> tuple[dict[str, Any], Allocation]:
    """The document a form describes and the allocation it holds, checked: each field as the
    form names it, then the years against the plan's `period` (its first and last year), then
    the whole by the domain. InputError names the form's field."""
    first = parse_period((values.get("first_year") or "").strip(), field="first_year").first
    totals = [
        _text(fields.figure(line, fields.year_total(n), "totals") / 100)
        for n, line in enumerate(_lines(values.get("totals") or ""), start=1)
    ]
    if not totals:
        raise InputError("Give the total for each year, one a line", field="totals")
    fields.check_allocation_years(first.start_year, len(totals), period)
    pace = fields.figure(values.get("max_loss") or "", fields.MAX_LOSS)
    areas = _areas(values.get("areas") or "")
    names = [a["name"] for a in areas]
    components = [
        c
        for j in range(1, component_count(values) + 1)
        if (c := _component(values, j, names)) is not None
    ]
    if not components:
        raise InputError("Give at least one need component", field="component_1_name")
    if sum(Decimal(c["weight"]) for c in components) <= 0:
        raise InputError(
            "The components' weights must add to more than nothing", field="component_1_weight"
        )
    document: dict[str, Any] = {
        "first_year": year_label(first.start_year),
        "areas": areas,
        "components": components,
        "totals": totals,
        "max_loss": _text(pace),
    }
    return document, from_document(document)


def form_from_document(document: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields filled from a stored document (blank groups for new components)."""
    components = list(document.get("components") or [])
    values = {
        "first_year": str(document.get("first_year") or ""),
        "totals": "\n".join(str(t) for t in document.get("totals") or []),
        "max_loss": str(document.get("max_loss", "")),
        "areas": "\n".join(
            f"{a['name']}, {a['population']}, {a.get('current', 0)}"
            for a in document.get("areas") or []
        ),
    }
    for j, component in enumerate(components, start=1):
        prefix = f"component_{j}_"
        values[prefix + "name"] = str(component.get("name") or "")
        values[prefix + "weight"] = str(component.get("weight", ""))
        values[prefix + "source"] = str(component.get("source") or "")
        values[prefix + "uploaded"] = "yes" if component.get("uploaded") else ""
        values[prefix + "values"] = "\n".join(
            f"{area}, {value}" for area, value in (component.get("values") or {}).items()
        )
    for j in range(len(components) + 1, len(components) + 1 + BLANK_COMPONENTS):
        values[f"component_{j}_name"] = ""
    return values
