"""A scheme and its expenditure lines: reading one, editing a line, reviewing a scheme against the
key lines of enquiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.budget.domain import fields
from placeplan.budget.domain.kloe import check_review
from placeplan.budget.models import ExpenditureLineRow, KloeReview, Scheme
from placeplan.budget.service.revisions import touch
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.governance.models import Body
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

LINE_EDITABLE = [
    "amount_pence",
    "new_pence",
    "funding_source",
    "sub_type",
    "area_of_spend",
    "commissioner",
    "nhs_share",
    "provider",
    "planned_outputs",
    "output_unit",
    "note",
]


def get_scheme(session: Session, actor: Actor, scheme_id: int) -> Scheme:
    scheme = session.scalar(
        select(Scheme)
        .where(Scheme.id == scheme_id)
        .options(selectinload(Scheme.lines), selectinload(Scheme.reviews))
    )
    if scheme is None:
        raise NotFound(f"no scheme {scheme_id}")
    get_plan(session, actor, scheme.plan_id)  # visibility follows the plan's
    return scheme


@dataclass(frozen=True)
class SchemeView:
    """What a scheme's page shows: the scheme (lines and reviews loaded), its plan, and what the
    asking actor may do there."""

    scheme: Scheme
    plan: Plan
    can_edit: bool  # change its lines: an editor of a draft plan
    can_review: bool


def scheme_view(session: Session, actor: Actor, scheme_id: int) -> SchemeView:
    scheme = get_scheme(session, actor, scheme_id)
    plan = get_plan(session, actor, scheme.plan_id)
    editor = can_edit_plan(actor, plan.area_id, plan.system_id)
    return SchemeView(scheme, plan, editor and plan.status == "draft", editor)


def scheme_id_of_line(session: Session, line_id: int) -> int:
    """The scheme a line belongs to (0 for no such line): where its form is shown again."""
    row = session.get(ExpenditureLineRow, line_id)
    return row.scheme_id if row else 0


def update_line(
    session: Session,
    actor: Actor,
    line_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
) -> ExpenditureLineRow:
    row = session.get(ExpenditureLineRow, line_id)
    if row is None:
        raise NotFound(f"no expenditure line {line_id}")
    plan = get_plan(session, actor, row.plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    if plan.status != "draft":
        raise InputError(f"a {plan.status} plan's budget cannot be changed", field="status")
    unknown = set(changes) - set(LINE_EDITABLE)
    if unknown:
        raise InputError(
            f"cannot change {', '.join(sorted(unknown))} of a line", field=min(unknown)
        )
    check_version(session, row, "bcf_line", expected_version, LINE_EDITABLE)
    fields.LINE.check({"amount_pence": row.amount_pence, "new_pence": row.new_pence} | changes)
    update_recorded(session, actor, "bcf_line", row, changes)
    touch(session, [row.plan_id])
    return row


def add_review(
    session: Session,
    actor: Actor,
    scheme_id: int,
    reviewed_on: date,
    parts: dict[str, dict[str, str]],
    recommendation: str,
    body_key: str | None = None,
    summary: str | None = None,
) -> KloeReview:
    scheme = get_scheme(session, actor, scheme_id)
    plan = get_plan(session, actor, scheme.plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "review this plan's schemes")
    check_review(parts, recommendation, reviewed_on, date.today())
    body = None
    if body_key:
        body = session.scalar(select(Body).where(Body.key == body_key))
        if body is None:
            raise InputError(f"no governance body with key {body_key}", field="body")
    touch(session, [scheme.plan_id])
    return add_recorded(
        session,
        actor,
        "kloe_review",
        KloeReview(
            scheme_id=scheme.id,
            reviewed_on=reviewed_on,
            reviewer=actor.principal.display_name if actor.principal else actor.name,
            body=body,
            parts=parts,
            recommendation=recommendation,
            summary=summary,
            recorded_at=utcnow(),
            recorded_by=actor.name,
        ),
    )
