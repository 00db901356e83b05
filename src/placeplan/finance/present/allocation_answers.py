"""A need-weighted allocation's JSON answers (the API and `placeplan finance allocation --format
json`) and what the API takes to make or change one. Money is integer pence; need indices,
shares, weights and the pace are Decimals written as text, so nothing is lost to a float.

What an answer gives back (`name`, `first_year`, `totals_pence`, `max_loss_percent`, `areas`,
`components`) is what a change takes, so a script reads an allocation, edits it and sends it
back with its `version`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from placeplan.finance.domain.model import year_label
from placeplan.finance.service import Allocated


class AreaIn(BaseModel):
    name: str
    population: int
    current_pence: int = Field(description="Spend in the area today, pence")


class ComponentIn(BaseModel):
    name: str
    weight: Decimal = Field(description="Not negative; weights need not add to 1")
    source: str
    uploaded: bool = Field(False, description="The values are already a need index")
    values: dict[str, Decimal] = Field(description="A value for every area, by area name")


class AllocationIn(BaseModel):
    """An allocation as a script sends it; `version` is the one the change started from (a
    stale one answers 409; a new allocation needs none)."""

    version: int | None = None
    name: str
    first_year: str = Field(description='The path\'s first financial year, e.g. "2024-25"')
    totals_pence: list[int] = Field(description="The sum shared out, one a year of the path")
    max_loss_percent: Decimal = Field(description="The most an area may lose a year, 0 to 99.99")
    areas: list[AreaIn]
    components: list[ComponentIn]


class ChangeIn(AllocationIn):
    version: int  # a change must say which version it started from


class PathYear(BaseModel):
    year: str
    pence: int


class AreaOut(AreaIn):
    need_index: str
    current_share: str = Field(description="Share of today's spend, 0 to 1")
    target_share: str = Field(description="Share by population weighted by need, 0 to 1")
    target_pence: int = Field(description="The target in the path's first year")
    distance_percent: str = Field(description="(Today's spend - target) / target, per cent")
    path: list[PathYear]


class ComponentOut(BaseModel):
    name: str
    weight: str
    source: str
    uploaded: bool
    values: dict[str, str]


class AllocationOut(BaseModel):
    id: int
    version: int
    url: str
    plan_id: int
    name: str
    illustrative: bool
    first_year: str
    years: list[str]
    totals_pence: list[int]
    max_loss_percent: str
    areas: list[AreaOut]
    components: list[ComponentOut]


class AllocationSummary(BaseModel):
    id: int
    version: int
    url: str
    name: str
    illustrative: bool


class AllocationsOut(BaseModel):
    plan_id: int
    allocations: list[AllocationSummary]


def _text(number: Decimal) -> str:
    return f"{number.normalize():f}"


def summary_json(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "version": record.version,
        "url": f"/finance/allocations/{record.id}",
        "name": record.name,
        "illustrative": record.illustrative,
    }


def allocation_json(seen: Allocated) -> dict[str, Any]:
    allocation = seen.allocation
    years = [year_label(allocation.first_year + i) for i in range(len(allocation.totals))]
    people = {a.name: a for a in allocation.areas}
    return {
        **summary_json(seen.record),
        "plan_id": seen.record.plan_id,
        "first_year": years[0],
        "years": years,
        "totals_pence": list(allocation.totals),
        "max_loss_percent": _text(allocation.max_loss),
        "areas": [
            {
                "name": r.name,
                "population": people[r.name].population,
                "current_pence": people[r.name].current,
                "need_index": f"{r.need:.6f}",
                "current_share": f"{r.current_share:.6f}",
                "target_share": f"{r.target_share:.6f}",
                "target_pence": r.target,
                "distance_percent": f"{r.distance:.2f}",
                "path": [{"year": y, "pence": p} for y, p in zip(years, r.path, strict=True)],
            }
            for r in seen.areas
        ],
        "components": [
            {
                "name": c.name,
                "weight": _text(c.weight),
                "source": c.source,
                "uploaded": c.uploaded,
                "values": {a: _text(v) for a, v in c.values.items()},
            }
            for c in allocation.components
        ],
    }


def _pounds(pence: int) -> str:
    return _text(Decimal(pence) / 100)


def document_of(body: AllocationIn) -> dict[str, Any]:
    """The plain document (pounds, as the form and the demo write it) a request describes;
    checked by the service through the same fields as the form."""
    return {
        "first_year": body.first_year,
        "areas": [
            {"name": a.name, "population": a.population, "current": _pounds(a.current_pence)}
            for a in body.areas
        ],
        "components": [
            {
                "name": c.name,
                "weight": str(c.weight),
                "source": c.source,
                "uploaded": c.uploaded,
                "values": {k: str(v) for k, v in c.values.items()},
            }
            for c in body.components
        ],
        "totals": [_pounds(t) for t in body.totals_pence],
        "max_loss": str(body.max_loss_percent),
    }
