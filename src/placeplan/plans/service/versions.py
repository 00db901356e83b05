"""A plan's versions: what it holds now, the snapshot each submission keeps, the differences
between any two of them (or with the previous year's plan), and the check made at submission.

What a plan holds beyond its particulars (the budget, the ambitions) is known to later concepts;
they answer through hooks (placeplan.app.wiring)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from placeplan.core.actor import Actor
from placeplan.core.differences import Differences, Record, Section, Value, compare
from placeplan.core.errors import InputError, NotFound
from placeplan.core.hooks import Hook
from placeplan.plans import domain as rules
from placeplan.plans.models import Plan, PlanSnapshot
from placeplan.plans.service.records import get_plan, period_of
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded
from placeplan.store.revisions import ReuseCache

content_parts: Hook[Callable[[Session, Plan], dict[str, Any]]] = Hook(
    "plans.content_parts",
    "what a plan holds beyond its particulars (its budget, its ambitions), as JSON-ready parts",
)
part_sections: Hook[Callable[[Session, dict[str, Any], dict[str, Any]], list[Section]]] = Hook(
    "plans.part_sections",
    "the differences between two plans' parts (budget, ambitions), in names and pounds",
)
content_token: Hook[Callable[[Session, Plan], str | None]] = Hook(
    "plans.content_token",
    "a token that changes in the writer's transaction whenever anything the plan's fingerprint"
    " covers does (its particulars, budget, ambitions, narrative); None when it cannot be told",
)
submission_problems: Hook[Callable[[Session, Plan], list[str]]] = Hook(
    "plans.submission_problems",
    "what stops a plan being submitted (the budget's error-level findings, as messages)",
)
submission_warnings: Hook[Callable[[Session, Plan, date], list[rules.SubmissionWarning]]] = Hook(
    "plans.submission_warnings",
    "what a plan's submission must acknowledge (stated figures, reviews, ambitions)",
)


def particulars(plan: Plan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "summary": plan.summary,
        "kind": plan.kind,
        "area": plan.area.name if plan.area else None,
        "system": plan.system.name if plan.system else None,
    }


def sign_off_state(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "position": step.position,
            "who": step_name(step),
            "planned_date": step.planned_date.isoformat() if step.planned_date else None,
            "actual_date": step.actual_date.isoformat() if step.actual_date else None,
            "decision": step.decision,
            "decision_note": step.decision_note,
        }
        for step in plan.steps
    ]


def step_name(step: Any) -> str:
    """A step as people name it: the body, or the signatory's role and organisation."""
    if step.body is not None:
        return str(step.body.name)
    role = rules.SIGNATORY_ROLES.get(step.signatory_role or "", step.signatory_role or "")
    return f"{role}, {step.organisation.name}" if step.organisation else role


def current_content(session: Session, plan: Plan) -> dict[str, Any]:
    """Everything the plan holds now, as a snapshot would keep it."""
    return {
        "plan": particulars(plan),
        "period": period_of(plan).label,
        **content_parts.call(session, plan),
        "sign_off": sign_off_state(plan),
    }


def current_fingerprint(session: Session, plan: Plan) -> str:
    """The plan's fingerprint worked out from everything it holds now (what a write checks)."""
    return rules.fingerprint(current_content(session, plan))


# Fingerprints reused while the plan's content token stands: reading a plan's whole content costs a
# dozen queries and its budget's every line, and every page that shows a sign-off chain asks. The
# age bound covers what the token does not (a district joining an area), as the budget's view does.
FINGERPRINT_TTL = 60.0
_fingerprints: ReuseCache[str] = ReuseCache(size=4096, ttl=FINGERPRINT_TTL)


def known_fingerprint(
    session: Session, plan: Plan, latest: PlanSnapshot | None = None, token: str | None = None
) -> str:
    """The plan's fingerprint for a reader. While the plan's content token (`token`, when the
    caller has just read it) is still the one its latest version was taken under, it is that
    version's (a published plan's first view reads nothing more); otherwise it is reused while
    the token stands."""
    token = token if token is not None else content_token.call(session, plan)
    if latest is not None and token is not None and latest.content_token == token:
        return latest.fingerprint
    key = (str(session.get_bind().engine.url), plan.id)
    return _fingerprints.get_or_make(key, token, lambda: current_fingerprint(session, plan))


def take_snapshot(session: Session, actor: Actor, plan: Plan, reason: str) -> PlanSnapshot:
    content = current_content(session, plan)
    number = (session.scalar(select(func.count()).where(PlanSnapshot.plan_id == plan.id)) or 0) + 1
    snapshot = PlanSnapshot(
        plan_id=plan.id,
        taken_at=utcnow(),
        taken_by=actor.name,
        reason=reason,
        number=number,
        fingerprint=rules.fingerprint(content),
        # Read after the content, in the same transaction: the token of exactly what was kept.
        content_token=content_token.call(session, plan),
        content=content,
    )
    return add_recorded(session, actor, "plan_snapshot", snapshot)


def latest_snapshot(session: Session, plan_id: int) -> PlanSnapshot | None:
    """The latest version; its content (the whole plan as JSON) is read only if asked for."""
    return session.scalar(
        select(PlanSnapshot)
        .options(defer(PlanSnapshot.content))
        .where(PlanSnapshot.plan_id == plan_id)
        .order_by(PlanSnapshot.number.desc(), PlanSnapshot.id.desc())
        .limit(1)
    )


def get_snapshot(session: Session, actor: Actor, plan_id: int, number: int) -> PlanSnapshot:
    plan = get_plan(session, actor, plan_id)
    snapshot = session.scalar(
        select(PlanSnapshot).where(PlanSnapshot.plan_id == plan.id, PlanSnapshot.number == number)
    )
    if snapshot is None:
        raise NotFound(f"{plan.title} has no version {number}")
    return snapshot


def list_snapshots(session: Session, plan_id: int, with_content: bool = True) -> list[PlanSnapshot]:
    """A plan's versions in order; without `with_content`, their contents are read only if
    asked for."""
    query = select(PlanSnapshot).where(PlanSnapshot.plan_id == plan_id)
    if not with_content:
        query = query.options(defer(PlanSnapshot.content))
    return list(session.scalars(query.order_by(PlanSnapshot.number)))


# --- Differences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    plan: Plan
    before_label: str
    after_label: str
    differences: Differences


def _particulars_record(content: dict[str, Any]) -> dict[str, Record]:
    plan = content.get("plan") or {}
    period = str(content.get("period") or "")
    fields = {
        "Title": Value(plan.get("title"), str(plan.get("title") or "")),
        "Period": Value(period, period),
        "Summary": Value(plan.get("summary"), str(plan.get("summary") or "")),
    }
    return {"plan": Record("Plan details", fields)}


def differences_between(
    session: Session, before: dict[str, Any], after: dict[str, Any]
) -> Differences:
    sections = [
        compare("Plan details", "detail", _particulars_record(before), _particulars_record(after))
    ]
    sections += part_sections.call(session, before, after)
    return Differences(tuple(sections))


def previous_year_plan(session: Session, plan: Plan) -> Plan | None:
    """The same kind of plan for the same area or system, for the year before."""
    query = select(Plan).where(Plan.kind == plan.kind, Plan.period_start < plan.period_start)
    if plan.area_id is not None:
        query = query.where(Plan.area_id == plan.area_id)
    else:
        query = query.where(Plan.system_id == plan.system_id)
    return session.scalar(query.order_by(Plan.period_start.desc()).limit(1))


def content_at(session: Session, actor: Actor, plan: Plan, ref: str) -> tuple[str, dict[str, Any]]:
    """A plan's content by reference: "current", "previous-year", or a version number."""
    if ref == "current":
        return "the plan as it is now", current_content(session, plan)
    if ref == "previous-year":
        before = previous_year_plan(session, plan)
        if before is None:
            raise NotFound(f"{plan.title} has no plan for an earlier year to compare with")
        visible = get_plan(session, actor, before.id)
        return visible.title, current_content(session, visible)
    if not ref.isdigit():
        raise InputError(
            f"'{ref}' is not a version: expected a version number, current or previous-year",
            field="from",
        )
    snapshot = get_snapshot(session, actor, plan.id, int(ref))
    return f"version {snapshot.number} ({snapshot.reason} {snapshot.taken_at:%d %B %Y})", dict(
        snapshot.content
    )


def compare_versions(
    session: Session, actor: Actor, plan_id: int, before: str | None, after: str = "current"
) -> Comparison:
    """`before` defaults to the latest version submitted, or the year before when there is none."""
    plan = get_plan(session, actor, plan_id)
    if before is None:
        latest = latest_snapshot(session, plan.id)
        before = str(latest.number) if latest else "previous-year"
    before_label, before_content = content_at(session, actor, plan, before)
    after_label, after_content = content_at(session, actor, plan, after)
    return Comparison(
        plan,
        before_label,
        after_label,
        differences_between(session, before_content, after_content),
    )


# --- The check made at submission -----------------------------------------------------------


def submission_check(
    session: Session, plan: Plan, today: date | None = None
) -> rules.SubmissionCheck:
    """What the national template would flag: broken funding rules block; the rest warn."""
    blocking: list[str] = []
    if not plan.steps:
        blocking.append("The plan has no sign-off chain: add its steps first")
    blocking += submission_problems.call(session, plan)
    warnings = list(submission_warnings.call(session, plan, today or date.today()))
    missing = rules.missing_sign_off(
        plan.kind, {s.signatory_role for s in plan.steps}, any(s.body_id for s in plan.steps)
    )
    if missing and plan.steps:
        warnings.append(
            rules.SubmissionWarning(
                "sign-off",
                f"The sign-off chain lacks {len(missing)} step(s) national condition 1 asks for",
                tuple(missing),
            )
        )
    return rules.SubmissionCheck(tuple(blocking), tuple(warnings))


def warning_keys(session: Session, plan: Plan) -> list[str]:
    """The keys of every warning the submission check gives now: what a submission that has read
    them all (the demo's seeds, as submitted; tests and benchmarks) acknowledges."""
    return [w.key for w in submission_check(session, plan).warnings]


def refuse_unacknowledged(check: rules.SubmissionCheck, acknowledged: Collection[str]) -> None:
    if check.blocking:
        more = f" (and {len(check.blocking) - 1} more)" if len(check.blocking) > 1 else ""
        raise InputError(f"the plan cannot be submitted: {check.blocking[0]}{more}", field="budget")
    left = check.unacknowledged(acknowledged)
    if left:
        raise InputError(
            "the plan's submission must acknowledge what the national template would flag: "
            + "; ".join(w.title for w in left),
            field="acknowledged",
        )
