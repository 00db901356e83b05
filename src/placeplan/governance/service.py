"""Operations on governance bodies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.service import get_area, get_system
from placeplan.core.actor import Actor
from placeplan.core.codes import PLAN_KINDS
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.governance.models import Body
from placeplan.organisations.service import get_organisation_by_key
from placeplan.store.changes import add_recorded


def create_body(
    session: Session,
    actor: Actor,
    key: str,
    name: str,
    short_name: str,
    area_code: str | None = None,
    system_code: str | None = None,
    reports_to_key: str | None = None,
    member_keys: Sequence[str] = (),
    may_approve: Sequence[str] = (),
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str | None = None,
    source: str | None = None,
) -> Body:
    require(can_manage_reference_data(actor), "add a governance body")
    if session.scalar(select(Body).where(Body.key == key)) is not None:
        raise InputError(f"a body with key {key} already exists", field="key")
    for kind in may_approve:
        if kind not in PLAN_KINDS:
            raise InputError(
                f"'{kind}' is not a kind of plan: expected one of {', '.join(PLAN_KINDS)}",
                field="may_approve",
            )
    if valid_from and valid_to and valid_to < valid_from:
        raise InputError("valid_to is before valid_from", field="valid_to")
    try:
        members = [get_organisation_by_key(session, k) for k in member_keys]
        reports_to = get_body_by_key(session, reports_to_key) if reports_to_key else None
    except NotFound as exc:
        raise InputError(
            str(exc), field="members" if "organisation" in str(exc) else "reports_to"
        ) from exc
    body = Body(
        key=key,
        name=name,
        short_name=short_name,
        area=get_area(session, area_code) if area_code else None,
        system=get_system(session, system_code) if system_code else None,
        reports_to=reports_to,
        members=members,
        may_approve=list(may_approve),
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        source=source,
    )
    return add_recorded(session, actor, "body", body)


def get_body(session: Session, body_id: int) -> Body:
    body = session.scalar(
        select(Body)
        .where(Body.id == body_id)
        .options(selectinload(Body.members), selectinload(Body.reporting))
    )
    if body is None:
        raise NotFound(f"no governance body {body_id}")
    return body


def get_body_by_key(session: Session, key: str) -> Body:
    body = session.scalar(select(Body).where(Body.key == key))
    if body is None:
        raise NotFound(f"no governance body with key {key}")
    return body


def list_bodies(session: Session) -> list[Body]:
    return list(session.scalars(select(Body).order_by(Body.name)))


def bodies_with_member(session: Session, organisation_id: int) -> list[Body]:
    return list(
        session.scalars(
            select(Body).where(Body.members.any(id=organisation_id)).order_by(Body.name)
        )
    )
