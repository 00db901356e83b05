"""What the record knows, as the narrative plan's tables: the bodies and organisations involved
(those in being during the plan's years), the governance structure from the bodies' reporting
lines (a table, and the area's bodies as a diagram), key changes from the previous year's
plan, the UEC priorities and their schemes, spend by category with new investment, the metric
ambitions, spending moved between categories, and the equity figures. Each table says where its
figures come from."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from placeplan.areas.models import Area
from placeplan.budget import service as budget
from placeplan.budget.domain.summary import summarise
from placeplan.core.actor import Actor
from placeplan.core.money import format_pence
from placeplan.governance.models import Body
from placeplan.measures.models import Metric
from placeplan.measures.service.ambitions import ambitions_for
from placeplan.narrative.domain.placeholders import Diagram, Table
from placeplan.narrative.service.uec import priorities
from placeplan.organisations.service import organisations_in_area
from placeplan.plans.models import Plan

CHANGES = {
    "new": "New",
    "stopped": "Stopped",
    "grown": "More",
    "shrunk": "Less",
    "unchanged": "Unchanged",
}


def pounds(pence: int) -> str:
    return format_pence(pence, whole_pounds=True)


def percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def in_force(valid_from: date | None, valid_to: date | None, plan: Plan) -> bool:
    """In being at some time in the plan's years (1 April of the first to 31 March after the last):
    a 2025-26 plan names neither the clinical commissioning groups nor the sub-groups merged in
    2024."""
    return (valid_to is None or valid_to >= date(plan.period_start, 4, 1)) and (
        valid_from is None or valid_from <= date(plan.period_end + 1, 3, 31)
    )


def plan_bodies(session: Session, plan: Plan) -> list[Body]:
    """The bodies of the plan's area and of its system in being during its years, members
    loaded."""
    system_id = plan.system_id if plan.area is None else plan.area.system_id
    query = select(Body).options(selectinload(Body.members), selectinload(Body.reports_to))
    conditions = []
    if plan.area_id is not None:
        conditions.append(Body.area_id == plan.area_id)
    if system_id is not None:
        conditions.append(Body.system_id == system_id)
    if not conditions:
        return []
    found = session.scalars(query.where(or_(*conditions)).order_by(Body.name))
    return [b for b in found if in_force(b.valid_from, b.valid_to, plan)]


def organisations_table(session: Session, plan: Plan) -> Table | None:
    if plan.area_id is None:
        return None
    rows = tuple(
        (o.name, o.kind_label)
        for o in organisations_in_area(session, plan.area_id)
        if in_force(o.valid_from, o.valid_to, plan)
    )
    if not rows:
        return None
    return Table(
        f"Organisations with a part in {plan.area.name if plan.area else 'the area'}",
        ("Organisation", "Kind"),
        rows,
        "placeplan's organisations of the plan's area",
    )


def governance_table(session: Session, plan: Plan) -> Table | None:
    """The governance diagram as a structured table: each body under the body it reports to, with
    its line of accountability to the top written out, so it reads the same to everyone."""
    bodies = plan_bodies(session, plan)
    if not bodies:
        return None

    def line(body: Body) -> list[str]:
        chain, seen = [body.name], {body.id}
        at = body.reports_to
        while at is not None and at.id not in seen:
            chain.append(at.name)
            seen.add(at.id)
            at = at.reports_to
        return chain

    ordered = sorted(bodies, key=lambda b: list(reversed(line(b))))
    rows = tuple(
        (
            ("\u2003" * (len(line(b)) - 1)) + b.name,
            b.reports_to.name if b.reports_to is not None else "None (the top)",
            " \u2192 ".join(line(b)),
            ", ".join(o.name for o in b.members if in_force(o.valid_from, o.valid_to, plan))
            or "None recorded",
        )
        for b in ordered
    )
    return Table(
        "Governance structure: each body, the body it reports to, and its members",
        ("Body", "Reports to", "Line of accountability", "Members"),
        rows,
        "placeplan's governance bodies and their reporting lines",
    )


def governance_diagram(session: Session, plan: Plan) -> Diagram | None:
    """The area's bodies as seed 000's "Diagram 1" draws them: each under the body it reports to,
    from the area's board down (the system's bodies are in the table beside it)."""
    if plan.area_id is None:
        return None
    bodies = [b for b in plan_bodies(session, plan) if b.area_id == plan.area_id]
    ids = {b.id for b in bodies}
    nodes: list[tuple[str, int | None]] = []

    def place(body: Body, parent: int | None, seen: frozenset[int]) -> None:
        nodes.append((body.name, parent))
        at = len(nodes) - 1
        for child in sorted(bodies, key=lambda b: b.name):
            if child.reports_to_id == body.id and child.id not in seen:
                place(child, at, seen | {child.id})

    for top in bodies:
        if top.reports_to_id is None or top.reports_to_id not in ids:
            place(top, None, frozenset({top.id}))
    if len(nodes) < 2:
        return None
    return Diagram(
        f"Governance of the {plan.area.name if plan.area else 'area'} Better Care Fund: who"
        " reports to whom",
        tuple(nodes),
        "placeplan's governance bodies of the plan's area and their reporting lines",
    )


def key_changes_table(session: Session, plan: Plan) -> Table | None:
    before, changes = budget.changes_since_previous(session, plan)
    if before is None:
        return None
    moved = [c for c in changes if c.change != "unchanged"]
    rows = tuple(
        (c.scheme, CHANGES.get(c.change, c.change), pounds(c.before_pence), pounds(c.after_pence))
        for c in moved
    )
    return Table(
        f"Schemes that changed since {before.title}",
        ("Scheme", "Change", "Before", "This plan"),
        rows,
        f"the budgets of {before.title} and this plan, schemes matched by name",
        (2, 3),
    )


def uec_table(session: Session, actor: Actor, plan: Plan) -> Table | None:
    found = priorities(session, actor, plan.id)
    if not found:
        return None
    rows = tuple(
        (
            p.title,
            "; ".join(link.scheme.name for link in p.links) or "None linked",
            p.support,
        )
        for p in found
    )
    return Table(
        "Urgent and emergency care priorities and the BCF schemes that support them",
        ("UEC priority", "BCF schemes", "How they support it"),
        rows,
        "the plan's UEC priorities, linked to its budget's schemes",
    )


def spend_table(session: Session, actor: Actor, plan: Plan) -> Table:
    summary = budget.view(session, actor, plan.id).summary
    rows = [
        (s.label, pounds(s.total_pence), pounds(s.new_pence), percent(s.share))
        for s in summary.categories
    ]
    rows.append(("Total", pounds(summary.total_pence), pounds(summary.new_pence), "100.0%"))
    return Table(
        "Spend by category, with new investment",
        ("Category", "Total BCF", "New", "Share of total"),
        tuple(rows),
        "the plan's budget: the sum of its expenditure lines by category",
        (1, 2, 3),
    )


def shift_table(session: Session, actor: Actor, plan: Plan) -> Table | None:
    """Each category's spend against the previous year's plan: what moved toward or away from
    discharge."""
    before = budget.previous_plan(session, plan)
    if before is None:
        return None
    now = budget.view(session, actor, plan.id).summary
    then = {s.key: s for s in summarise(budget.document_for(session, before).lines).categories}
    rows = tuple(
        (
            s.label,
            pounds(then[s.key].total_pence) if s.key in then else pounds(0),
            pounds(s.total_pence),
            pounds(s.total_pence - (then[s.key].total_pence if s.key in then else 0)),
        )
        for s in now.categories
    )
    return Table(
        f"Spend by category: {before.title} and this plan",
        ("Category", "Previous plan", "This plan", "Change"),
        rows,
        f"the budgets of {before.title} and this plan",
        (1, 2, 3),
    )


def ambitions_table(session: Session, plan: Plan, scheme_metrics: list[str]) -> Table:
    found = ambitions_for(session, plan_id=plan.id)
    rows = [
        (
            a.metric.name,
            a.period,
            f"{a.target.normalize():f}",
            "" if a.baseline is None else f"{a.baseline.normalize():f} ({a.baseline_period or ''})",
        )
        for a in found
    ]
    with_ambition = {a.metric.key for a in found}
    missing = [k for k in dict.fromkeys(scheme_metrics) if k not in with_ambition]
    if missing:
        names = {
            m.key: m.name for m in session.scalars(select(Metric).where(Metric.key.in_(missing)))
        }
        rows += [(names.get(k, k), "", "Not yet set", "") for k in missing]
    return Table(
        "Ambitions for the national metrics",
        ("Metric", "Period", "Ambition", "Baseline"),
        tuple(rows),
        "the plan's ambitions; metrics its schemes name without one are shown as not yet set",
        (2,),
    )


def equity_table(session: Session, plan: Plan) -> Table | None:
    """Each area of the plan's system: its registered patients and the share living in the most
    deprived fifth of England (Core20)."""
    system_id = plan.system_id if plan.area is None else plan.area.system_id
    if system_id is None:
        return None
    areas = list(
        session.scalars(select(Area).where(Area.system_id == system_id).order_by(Area.name))
    )
    counted = [
        (a.name, a.registered_patients, a.patients_in_most_deprived_20pct)
        for a in areas
        if a.registered_patients and a.patients_in_most_deprived_20pct is not None
    ]
    if not counted:
        return None
    rows = tuple(
        (name, f"{registered:,}", f"{core20:,}", percent(Decimal(core20) / Decimal(registered)))
        for name, registered, core20 in counted
    )
    sources = sorted({a.patients_source for a in areas if a.patients_source})
    return Table(
        "Registered patients living in the most deprived 20% of England (Core20), by place",
        ("Place", "Registered patients", "In Core20", "Share"),
        rows,
        "; ".join(sources) or "placeplan's areas",
        (1, 2, 3),
    )
