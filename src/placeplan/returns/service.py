"""A plan's quarterly and year-end returns: the return worked out from the record (actual spend,
the measures board, what its preparers wrote), edited while it is a draft, and confirmed: the
whole return is then kept as it was, with its fingerprint, and never changes again. A confirmed
return whose figures the record no longer gives is shown as such (`stale`), as a sign-off
decision taken on a version the plan no longer holds is.

Who: reading needs a sign-in; the plan's editors prepare a return; confirming it is a decision of
the plan's sign-off chain, so it needs someone who may decide one of the chain's steps (an
approver of its body, or of a signatory's organisation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain.actuals import Quarter
from placeplan.budget.service.actuals import (
    editable_plan,
    quarter_of,
    readable_plan,
    spend_view,
)
from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError
from placeplan.core.permissions import can_edit_plan, can_sign_off, require
from placeplan.measures.domain.spc_scale import period_label
from placeplan.measures.models import Ambition
from placeplan.measures.present.board_view import summary_row
from placeplan.measures.service import STANDING
from placeplan.measures.service.board import BoardRow, board
from placeplan.plans.models import Plan, SignOffStep
from placeplan.returns import domain
from placeplan.returns.domain import EDITABLE, NARRATIVE, LineFacts, MetricFacts
from placeplan.returns.models import PlanReturn
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

KIND = "plan_return"


@dataclass(frozen=True)
class ReturnView:
    """A return as shown: its row (None until someone saves it), its content (as confirmed, or
    as the record gives it now), and whether a confirmed one still agrees with the record."""

    plan: Plan
    quarter: Quarter
    row: PlanReturn | None
    content: dict[str, Any]
    fingerprint: str
    stale: bool  # confirmed, and the record now gives different figures
    can_edit: bool
    can_confirm: bool

    @property
    def confirmed(self) -> bool:
        return self.row is not None and self.row.status == "confirmed"


NO_AMBITION = "None set in this plan"


def _metric_rows(session: Session, plan: Plan) -> tuple[list[BoardRow], set[int]]:
    """The measures board's rows for the plan's area (the metrics the plan sets ambitions for,
    where it sets any), and the metrics it sets ambitions for."""
    if plan.area is None:
        return [], set()
    rows = board(session, [plan.area])
    planned = set(session.scalars(select(Ambition.metric_id).where(Ambition.plan_id == plan.id)))
    return ([r for r in rows if r.metric.id in planned] if planned else rows), planned


def _metric_facts(row: BoardRow, planned: set[int]) -> MetricFacts:
    """A metric's latest reading; its ambition only where this plan sets one (the board's latest
    ambition may be an earlier plan's, e.g. 2021-22's, which a 2025-26 return is not held to)."""
    s = summary_row(row)
    ours = row.metric.id in planned
    return MetricFacts(
        name=row.metric.name,
        period=period_label(row.latest.period) if row.latest else "",
        value=s.latest,
        variation=s.variation,
        assurance=s.assurance,
        ambition=s.ambition if ours and s.ambition else NO_AMBITION,
        against=STANDING[row.standing[1]] if ours and row.standing else "",
    )


def _said(row: PlanReturn | None) -> dict[str, Any]:
    return {name: getattr(row, name) for name in EDITABLE} if row else {}


def live_content(
    session: Session, actor: Actor, plan: Plan, quarter: Quarter, row: PlanReturn | None
) -> dict[str, Any]:
    """The return as the record gives it now."""
    spend = spend_view(session, actor, plan.id, quarter.label)
    rows, planned = _metric_rows(session, plan)
    lines = [LineFacts(s.position, s.scheme.name, s.category, s.source) for s in spend.lines]
    return domain.return_content(
        plan={"title": plan.title, "area": plan.area.name if plan.area else ""},
        quarter=quarter,
        lines=lines,
        metrics=[_metric_facts(r, planned) for r in rows],
        said=_said(row),
        illustrative=spend.illustrative or bool(row and row.illustrative),
    )


def _row(session: Session, plan: Plan, quarter: Quarter) -> PlanReturn | None:
    return session.scalar(
        select(PlanReturn).where(PlanReturn.plan_id == plan.id, PlanReturn.quarter == quarter.label)
    )


def may_confirm(session: Session, actor: Actor, plan: Plan) -> bool:
    steps = session.scalars(select(SignOffStep).where(SignOffStep.plan_id == plan.id))
    return any(can_sign_off(actor, s.body_id, s.organisation_id) for s in steps)


def return_view(session: Session, actor: Actor, plan_id: int, quarter: str) -> ReturnView:
    plan = readable_plan(session, actor, plan_id)
    at = quarter_of(plan, quarter)
    row = _row(session, plan, at)
    live = live_content(session, actor, plan, at, row)
    now = domain.content_fingerprint(live)
    confirmed = row is not None and row.status == "confirmed" and row.content is not None
    can_edit = not confirmed and can_edit_plan(actor, plan.area_id, plan.system_id)
    return ReturnView(
        plan=plan,
        quarter=at,
        row=row,
        content=row.content if confirmed and row and row.content else live,
        fingerprint=row.fingerprint if confirmed and row and row.fingerprint else now,
        stale=confirmed and row is not None and row.fingerprint != now,
        can_edit=can_edit,
        can_confirm=not confirmed and may_confirm(session, actor, plan),
    )


def _read_only(row: PlanReturn | None) -> None:
    if row is not None and row.status == "confirmed":
        raise Conflict(
            f"the return for {row.quarter} was confirmed, so it cannot change: it is kept as it"
            " was confirmed",
            current_version=row.version,
        )


def save_return(
    session: Session,
    actor: Actor,
    plan_id: int,
    quarter: str,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> PlanReturn:
    """Save what the preparers say in the return for `quarter` (EDITABLE), while it is a draft."""
    plan = editable_plan(session, actor, plan_id)
    at = quarter_of(plan, quarter)
    row = _row(session, plan, at)
    _read_only(row)
    kept = {k: values.get(k) for k in EDITABLE if k in values}
    for k, v in kept.items():
        if isinstance(v, str):
            kept[k] = v.strip() or None
    NARRATIVE.check(kept)
    if row is None:
        made: PlanReturn = add_recorded(
            session,
            actor,
            KIND,
            PlanReturn(plan_id=plan.id, quarter=at.label, year_end=at.number == 4, **kept),
        )
        return made
    check_version(session, row, KIND, expected_version, EDITABLE)
    updated: PlanReturn = update_recorded(session, actor, KIND, row, kept)
    return updated


def confirm_return(
    session: Session, actor: Actor, plan_id: int, quarter: str, expected_version: int | None
) -> PlanReturn:
    """Confirm the return: its content and fingerprint kept; read-only from now on."""
    plan = readable_plan(session, actor, plan_id)
    require(may_confirm(session, actor, plan), "confirm this plan's returns")
    at = quarter_of(plan, quarter)
    row = _row(session, plan, at)
    _read_only(row)
    if row is None:
        raise InputError(
            "Save the return, with the national conditions, before confirming it",
            field="conditions_met",
        )
    problem = domain.conditions_problem(_said(row))
    if problem is not None:
        raise InputError(problem, field="conditions_met")
    check_version(session, row, KIND, expected_version, EDITABLE)
    content = live_content(session, actor, plan, at, row)
    confirmed: PlanReturn = update_recorded(
        session,
        actor,
        KIND,
        row,
        {
            "status": "confirmed",
            "content": content,
            "fingerprint": domain.content_fingerprint(content),
            "confirmed_at": utcnow(),
            "confirmed_by": actor.principal.display_name
            if actor.principal is not None
            else actor.name,
        },
        action="confirm",
    )
    return confirmed


def returns_of(session: Session, actor: Actor, plan_id: int) -> list[PlanReturn]:
    plan = readable_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(PlanReturn).where(PlanReturn.plan_id == plan.id).order_by(PlanReturn.quarter)
        )
    )
