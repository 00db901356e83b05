"""A need-weighted allocation as a plain document (the demo's YAML, the stored record) and back.
Money is whole pounds; weights, values and the pace are numbers written as text or numbers.
Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_period
from placeplan.finance.domain.allocation import Allocation, Area, Component, check_allocation


def _number(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise InputError(f"{value!r} is not a number", field=where) from exc
    if not number.is_finite():
        raise InputError(f"{value!r} is not a number", field=where)
    return number


def _pence(value: Any, where: str) -> int:
    return int(_number(value, where) * 100)


def from_document(document: Mapping[str, Any]) -> Allocation:
    """The allocation a document describes, checked (InputError names the field)."""
    first = parse_period(str(document.get("first_year")), field="first_year").first.start_year
    areas = tuple(
        Area(
            name=str(item.get("name") or "").strip(),
            population=int(_number(item.get("population"), "population")),
            current=_pence(item.get("current", 0), "current"),
        )
        for item in document.get("areas") or []
    )
    components = tuple(
        Component(
            name=str(item.get("name") or "").strip(),
            weight=_number(item.get("weight"), "weight"),
            values={str(k): _number(v, "values") for k, v in (item.get("values") or {}).items()},
            source=str(item.get("source") or ""),
            uploaded=bool(item.get("uploaded", False)),
        )
        for item in document.get("components") or []
    )
    allocation = Allocation(
        areas=areas,
        components=components,
        totals=tuple(_pence(t, "totals") for t in document.get("totals") or []),
        max_loss=_number(document.get("max_loss", 0), "max_loss"),
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
    if weight < 0:
        raise InputError(f"The weight must not be negative (it is {weight})", field="index_weight")
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
