"""Operations on organisations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.service import get_area, get_system
from placeplan.core.actor import Actor
from placeplan.core.codes import check_ods_code
from placeplan.core.errors import InputError, NotFound
from placeplan.core.hooks import Hook
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.organisations.domain import ORGANISATION
from placeplan.organisations.models import ORGANISATION_KINDS, Organisation
from placeplan.store.changes import add_recorded


def create_organisation(
    session: Session,
    actor: Actor,
    key: str,
    name: str,
    kind: str,
    ods_code: str | None = None,
    area_codes: Sequence[str] = (),
    system_code: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    source: str | None = None,
) -> Organisation:
    require(can_manage_reference_data(actor), "add an organisation")
    if kind not in ORGANISATION_KINDS:
        raise InputError(
            f"'{kind}' is not a kind of organisation: expected one of {', '.join(ORGANISATION_KINDS)}",
            field="kind",
        )
    if not name.strip():
        raise InputError("an organisation needs a name", field="name")
    ORGANISATION.check({"name": name.strip(), "source": source})
    if session.scalar(select(Organisation).where(Organisation.key == key)) is not None:
        raise InputError(f"an organisation with key {key} already exists", field="key")
    code = check_ods_code(ods_code, kind) if ods_code else None
    if code and session.scalar(select(Organisation).where(Organisation.ods_code == code)):
        raise InputError(f"an organisation with ODS code {code} already exists", field="ods_code")
    if valid_from and valid_to and valid_to < valid_from:
        raise InputError("valid_to is before valid_from", field="valid_to")
    areas = []
    for gss in area_codes:
        try:
            areas.append(get_area(session, gss))
        except NotFound as exc:
            raise InputError(str(exc), field="areas") from exc
    organisation = Organisation(
        key=key,
        name=name.strip(),
        kind=kind,
        ods_code=code,
        system=get_system(session, system_code) if system_code else None,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        areas=areas,
    )
    return add_recorded(session, actor, "organisation", organisation)


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(selectinload(Organisation.areas))
    )
    if organisation is None:
        raise NotFound(f"no organisation {organisation_id}")
    return organisation


def get_organisation_by_key(session: Session, key: str) -> Organisation:
    organisation = session.scalar(select(Organisation).where(Organisation.key == key))
    if organisation is None:
        raise NotFound(f"no organisation with key {key}")
    return organisation


def list_organisations(session: Session) -> list[Organisation]:
    return list(
        session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
    )


def organisations_in_area(session: Session, area_id: int) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.areas.any(id=area_id))
            .order_by(Organisation.kind, Organisation.name)
        )
    )


# An organisation's page lists the bodies it sits on; governance comes later, so it provides this.
bodies_with_member: Hook[Callable[[Session, int], list[Any]]] = Hook(
    "organisations.bodies_with_member", "the governance bodies an organisation sits on"
)


def organisation_with_bodies(
    session: Session, organisation_id: int
) -> tuple[Organisation, list[Any]]:
    organisation = get_organisation(session, organisation_id)
    return organisation, bodies_with_member.call(session, organisation.id)
