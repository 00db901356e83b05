"""How systems and areas read in the JSON API, CSV downloads and the population table."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from placeplan.areas.domain import population_aged
from placeplan.areas.models import Area, System


def population_table(area: Area) -> dict[int, dict[str, Any]]:
    """Per year: the bands, the total, the 65+ count, and whether any figure is illustrative."""
    years: dict[int, dict[str, Any]] = {}
    for row in area.populations:
        year = years.setdefault(
            row.year, {"bands": {}, "illustrative": False, "source": row.source}
        )
        year["bands"][row.age_band] = row.population
        year["illustrative"] = year["illustrative"] or row.illustrative
    for year in years.values():
        year["total"] = sum(year["bands"].values())
        year["aged_65_plus"] = population_aged(year["bands"], 65)
    return years


class SystemOut(BaseModel):
    code: str
    name: str
    areas: list[str]


class AreaOut(BaseModel):
    id: int
    gss_code: str
    name: str
    kind: str
    system: str | None
    registered_patients: int | None
    patients_in_most_deprived_20pct: int | None
    patients_source: str | None
    version: int
    url: str


class AreaWithPopulation(AreaOut):
    population: dict[str, dict[str, Any]]


def system_out(system: System) -> SystemOut:
    return SystemOut(code=system.code, name=system.name, areas=[a.gss_code for a in system.areas])


def _area_fields(area: Area) -> dict[str, Any]:
    return {
        "id": area.id,
        "gss_code": area.gss_code,
        "name": area.name,
        "kind": area.kind,
        "system": area.system.code if area.system else None,
        "registered_patients": area.registered_patients,
        "patients_in_most_deprived_20pct": area.patients_in_most_deprived_20pct,
        "patients_source": area.patients_source,
        "version": area.version,
        "url": f"/api/v1/areas/{area.gss_code}",
    }


def area_out(area: Area) -> AreaOut:
    return AreaOut(**_area_fields(area))


def area_with_population(area: Area) -> AreaWithPopulation:
    population = {str(y): v for y, v in population_table(area).items()}
    return AreaWithPopulation(**_area_fields(area), population=population)


AREAS_CSV_HEADER = [
    "gss_code",
    "name",
    "kind",
    "system",
    "registered_patients",
    "patients_in_most_deprived_20pct",
    "source",
]


def areas_csv_rows(areas: list[Area]) -> list[list[Any]]:
    return [
        [
            a.gss_code,
            a.name,
            a.kind,
            a.system.code if a.system else "",
            a.registered_patients,
            a.patients_in_most_deprived_20pct,
            a.patients_source,
        ]
        for a in areas
    ]
