"""Operations on systems and areas. Every write is audited in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.areas.domain import AREA, check_bands
from placeplan.areas.models import Area, AreaPopulation, Region, System
from placeplan.core.actor import Actor
from placeplan.core.codes import hwb_area_kind
from placeplan.core.errors import InputError, NotFound
from placeplan.core.hooks import Hook
from placeplan.core.permissions import can_manage_area, can_manage_reference_data, require
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version


def create_region(session: Session, actor: Actor, code: str, name: str) -> Region:
    require(can_manage_reference_data(actor), "add a region")
    if not name.strip():
        raise InputError("a region needs a name", field="name")
    if session.scalar(select(Region).where(Region.code == code)) is not None:
        raise InputError(f"a region with code {code} already exists", field="code")
    return add_recorded(session, actor, "region", Region(code=code, name=name.strip()))


def get_region(session: Session, code: str) -> Region:
    region = session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(f"no region with code {code}")
    return region


def list_regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.name)))


def create_system(
    session: Session, actor: Actor, code: str, name: str, region_code: str | None = None
) -> System:
    require(can_manage_reference_data(actor), "add a system")
    if session.scalar(select(System).where(System.code == code)) is not None:
        raise InputError(f"a system with code {code} already exists", field="code")
    region = get_region(session, region_code) if region_code else None
    return add_recorded(session, actor, "system", System(code=code, name=name, region=region))


def place_system_in_region(
    session: Session, actor: Actor, system_code: str, region_code: str | None
) -> System:
    """Put a system in an NHS region (or take it out with None): who assures its plans."""
    require(can_manage_reference_data(actor), "change a system's region")
    system = get_system(session, system_code)
    region_id = get_region(session, region_code).id if region_code else None
    if system.region_id != region_id:
        update_recorded(session, actor, "system", system, {"region_id": region_id})
    return system


def region_area_ids(session: Session, region_ids: frozenset[int]) -> list[int]:
    """The ids of every area whose system sits in one of `region_ids`."""
    if not region_ids:
        return []
    return list(
        session.scalars(
            select(Area.id).join(System).where(System.region_id.in_(sorted(region_ids)))
        )
    )


def get_system(session: Session, code: str) -> System:
    system = session.scalar(select(System).where(System.code == code))
    if system is None:
        raise NotFound(f"no system with code {code}")
    return system


def list_systems(session: Session) -> list[System]:
    """Every system with its areas (read in one more statement, not one a system)."""
    return list(
        session.scalars(select(System).options(selectinload(System.areas)).order_by(System.name))
    )


def create_area(
    session: Session,
    actor: Actor,
    gss_code: str,
    name: str,
    system_code: str | None = None,
    registered_patients: int | None = None,
    patients_in_most_deprived_20pct: int | None = None,
    patients_source: str | None = None,
) -> Area:
    require(can_manage_reference_data(actor), "add an area")
    code = gss_code.strip().upper()
    kind = hwb_area_kind(code)
    if not name.strip():
        raise InputError("an area needs a name", field="name")
    AREA.check(
        {
            "name": name.strip(),
            "registered_patients": registered_patients,
            "patients_in_most_deprived_20pct": patients_in_most_deprived_20pct,
            "patients_source": patients_source,
        }
    )
    if session.scalar(select(Area).where(Area.gss_code == code)) is not None:
        raise InputError(f"an area with GSS code {code} already exists", field="gss_code")
    system = get_system(session, system_code) if system_code else None
    area = Area(
        gss_code=code,
        name=name.strip(),
        kind=kind,
        system=system,
        registered_patients=registered_patients,
        patients_in_most_deprived_20pct=patients_in_most_deprived_20pct,
        patients_source=patients_source,
    )
    return add_recorded(session, actor, "area", area)


def set_population(
    session: Session,
    actor: Actor,
    area: Area,
    year: int,
    bands: Mapping[str, int],
    *,
    illustrative: bool,
    source: str | None,
) -> list[AreaPopulation]:
    require(can_manage_area(actor, area.id), f"set the population of {area.name}")
    check_bands(bands)
    existing = {(p.year, p.age_band): p for p in area.populations}
    rows = []
    for band, people in bands.items():
        row = existing.get((year, band))
        if row is None:
            row = add_recorded(
                session,
                actor,
                "area_population",
                AreaPopulation(
                    area_id=area.id,
                    year=year,
                    age_band=band,
                    population=people,
                    illustrative=illustrative,
                    source=source,
                ),
            )
        else:
            update_recorded(
                session,
                actor,
                "area_population",
                row,
                {"population": people, "illustrative": illustrative, "source": source},
            )
        rows.append(row)
    session.refresh(area, ["populations"])
    return rows


def get_area(session: Session, gss_code: str) -> Area:
    area = session.scalar(
        select(Area)
        .where(Area.gss_code == gss_code.strip().upper())
        .options(selectinload(Area.populations), joinedload(Area.system))
    )
    if area is None:
        raise NotFound(f"no area with GSS code {gss_code}")
    return area


def list_areas(session: Session, system_code: str | None = None) -> list[Area]:
    query = select(Area).order_by(Area.name)
    if system_code:
        query = query.join(System).where(System.code == system_code)
    return list(session.scalars(query))


AREA_EDITABLE = [
    "name",
    "registered_patients",
    "patients_in_most_deprived_20pct",
    "patients_source",
]


def update_area(
    session: Session, actor: Actor, gss_code: str, expected_version: int | None, **changes: object
) -> Area:
    unknown = set(changes) - set(AREA_EDITABLE)
    if unknown:
        raise InputError(
            f"cannot change {', '.join(sorted(unknown))} of an area", field=min(unknown)
        )
    area = get_area(session, gss_code)
    require(can_manage_area(actor, area.id), f"change {area.name}")
    check_version(session, area, "area", expected_version, AREA_EDITABLE)
    if "name" in changes and not str(changes["name"] or "").strip():
        raise InputError("an area needs a name", field="name")
    AREA.check(changes)
    update_recorded(session, actor, "area", area, dict(changes))
    return area


# An area's page lists what later concepts hold about it; they provide these when the application
# is wired (placeplan.app.wiring), since areas come first and import none of them.
organisations_in_area: Hook[Callable[[Session, int], list[Any]]] = Hook(
    "areas.organisations_in_area", "the organisations with a part in an area"
)
plans_about_area: Hook[Callable[[Session, Actor, int], list[Any]]] = Hook(
    "areas.plans_about_area", "the plans about an area that the asker may see"
)
metrics_about_area: Hook[Callable[[Session, int], list[Any]]] = Hook(
    "areas.metrics_about_area", "the metrics with figures for an area"
)


@dataclass(frozen=True)
class AreaOverview:
    area: Area
    organisations: list[Any]
    plans: list[Any]
    metrics: list[Any]


def overview(session: Session, actor: Actor, gss_code: str) -> AreaOverview:
    """An area with the organisations, plans (as the asker may see them) and metrics about it."""
    area = get_area(session, gss_code)
    return AreaOverview(
        area=area,
        organisations=organisations_in_area.call(session, area.id),
        plans=plans_about_area.call(session, actor, area.id),
        metrics=metrics_about_area.call(session, area.id),
    )
