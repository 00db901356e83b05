"""A need-weighted allocation as a plain document (the demo's YAML, the stored record) and back.
Money is whole pounds; weights, values and the pace are numbers written as text or numbers.
Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from placeplan.core.errors import InputError
from placeplan.core.fields import Field
from placeplan.core.periods import parse_period
from placeplan.finance.domain import fields
from placeplan.finance.domain.allocation import Allocation, Area, Component, check_allocation
from placeplan.finance.domain.model import year_label


def _pence(value: Any, field: Field) -> int:
    return int(fields.figure(value, field))


def from_document(document: Mapping[str, Any]) -> Allocation:
    """The allocation a document describes, checked (InputError names the field)."""
    first = parse_period(str(document.get("first_year")), field="first_year").first.start_year
    areas = []
    for item in document.get("areas") or []:
        name = str(item.get("name") or "").strip()
        areas.append(
            Area(
                name=name,
                population=int(fields.figure(item.get("population"), fields.population(name))),
                current=_pence(item.get("current", 0), fields.spend_today(name)),
            )
        )
    names = [a.name for a in areas]
    components = []
    for item in document.get("components") or []:
        name = str(item.get("name") or "").strip()
        given = item.get("values") or {}
        values = {
            str(k): fields.figure(v, fields.need_value(name, str(k))) for k, v in given.items()
        }
        components.append(
            Component(
                name=name,
                weight=fields.figure(item.get("weight"), fields.weight(name)),
                values=values,
                source=str(item.get("source") or ""),
                uploaded=bool(item.get("uploaded", False)),
            )
        )
    unknown = sorted({k for c in components for k in c.values} - set(names))
    if unknown:
        raise InputError(
            f"{', '.join(unknown)} is not one of the allocation's areas", field="values"
        )
    allocation = Allocation(
        areas=tuple(areas),
        components=tuple(components),
        totals=tuple(
            _pence(t, fields.year_total(n))
            for n, t in enumerate(document.get("totals") or [], start=1)
        ),
        max_loss=fields.figure(document.get("max_loss", 0), fields.MAX_LOSS),
        first_year=first,
    )
    check_allocation(allocation)
    return allocation


def with_uploaded_index(
    document: Mapping[str, Any],
    name: str,
    weight: Decimal,
    source: str,
    index: Mapping[str, Decimal],
    file: str,
) -> dict[str, Any]:
    """The document with an uploaded need index as its component `name` (replacing one of that
    name, else added), checked: the file must give every area and no other (InputError naming
    the file and the field)."""
    name = name.strip()
    if not name:
        raise InputError("Give the uploaded index a name", field="index_name")
    fields.weight(name).check(weight, field="index_weight")
    if not source.strip():
        raise InputError("Say where the need index came from", field="index_source")
    areas = [str(a.get("name")) for a in document.get("areas") or []]
    missing = [a for a in areas if a not in index]
    if missing:
        raise InputError(
            f"The file has no need index for {', '.join(missing)}",
            file=file,
            field="index_file",
        )
    unknown = [a for a in index if a not in areas]
    if unknown:
        raise InputError(
            f"The file names {', '.join(unknown)}, not an area of this allocation",
            file=file,
            field="index_file",
        )
    component = {
        "name": name,
        "weight": f"{weight.normalize():f}",
        "source": source.strip(),
        "uploaded": True,
        "values": {a: f"{index[a].normalize():f}" for a in areas},
    }
    components = [dict(c) for c in document.get("components") or [] if c.get("name") != name]
    changed = {**document, "components": [*components, component]}
    from_document(changed)
    return changed


def _shown(number: Decimal) -> str:
    return f"{number.normalize():f}"


def to_document(allocation: Allocation) -> dict[str, Any]:
    """The plain document of an allocation, as the form and the demo write it: pounds and
    numbers as text, so a document read back and written again is unchanged."""
    return {
        "first_year": year_label(allocation.first_year),
        "areas": [
            {
                "name": a.name,
                "population": a.population,
                "current": _shown(Decimal(a.current) / 100),
            }
            for a in allocation.areas
        ],
        "components": [
            {
                "name": c.name,
                "weight": _shown(c.weight),
                "source": c.source,
                "uploaded": c.uploaded,
                "values": {a.name: _shown(c.values[a.name]) for a in allocation.areas},
            }
            for c in allocation.components
        ],
        "totals": [_shown(Decimal(t) / 100) for t in allocation.totals],
        "max_loss": _shown(allocation.max_loss),
    }
