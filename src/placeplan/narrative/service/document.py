"""The narrative plan as a document: the national headings in order, each block's words and,
under the headings the record can speak to, its tables (domain.headings says which); then the
Word file in the asking person's organisation's template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from placeplan.budget import service as budget
from placeplan.core.actor import Actor
from placeplan.narrative.domain.capacity_plan import CapacityPlan
from placeplan.narrative.domain.headings import HEADINGS, REVIEW_STATES, SECTIONS
from placeplan.narrative.domain.placeholders import Document, Table
from placeplan.narrative.domain.text import parse
from placeplan.narrative.io.house_style import render
from placeplan.narrative.service import figures
from placeplan.narrative.service.blocks import blocks_of
from placeplan.narrative.service.capacity_plan import SIZING_REPLICATIONS, capacity_plan
from placeplan.narrative.service.styles import template_for
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan, period_of

TITLE = "Better Care Fund narrative plan"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def capacity_tables(found: CapacityPlan) -> list[Table]:
    rows = []
    for s in found.services:
        demand = sum(m.demand for m in s.months)
        starts = sum(m.starts for m in s.months)
        interim = sum(m.interim for m in s.months)
        rows.append(
            (
                s.name,
                f"{demand:,.0f}",
                f"{starts:,.0f}",
                f"{max(demand - starts, 0):,.0f}",
                f"{interim:,.0f}" if s.interim else "Not used",
            )
        )
    tables = [
        Table(
            "Intermediate care demand and capacity over the year, by service",
            ("Service", "Referrals", "Starts", "Not started", "Interim placements"),
            tuple(rows),
            f"the capacity model “{found.model_name}”, {found.run_label}",
            (1, 2, 3, 4),
        )
    ]
    if found.sizing is not None:
        sized = found.sizing
        tables.append(
            Table(
                f"The bedded discharge ({sized.service}) gap, sized by the model",
                ("Service", "Today", "Needed", "Gap", "Target"),
                (
                    (
                        sized.service,
                        f"{sized.today} {sized.unit}",
                        "beyond the range tried"
                        if sized.needed is None
                        else f"{sized.needed} {sized.unit}",
                        "unknown" if sized.gap is None else f"{sized.gap} {sized.unit}",
                        sized.target,
                    ),
                ),
                f"sizing the capacity model “{found.model_name}” with {sized.replications} replications",
                (1, 2, 3),
            )
        )
    return tables


def _fillers(
    session: Session, actor: Actor, plan: Plan, replications: int
) -> dict[str, Callable[[Document], None]]:
    def tables(*found: Table | None) -> Callable[[Document], None]:
        def add(doc: Document) -> None:
            for t in found:
                if t is not None:
                    doc.table(t)

        return add

    def capacity(doc: Document) -> None:
        found = capacity_plan(session, actor, plan.id, replications)
        if found is None:
            doc.note("The plan has no capacity model with a finished run yet.")
            return
        for t in capacity_tables(found):
            doc.table(t)
        if found.assumptions:
            doc.heading(3, "The model's assumptions")
            doc.text(parse("\n".join(f"- {a}" for a in found.assumptions)))

    def governance(doc: Document) -> None:
        diagram = figures.governance_diagram(session, plan)
        if diagram is not None:
            doc.diagram(diagram)
        table = figures.governance_table(session, plan)
        if table is not None:
            doc.table(table)

    scheme_metrics = [m for s in budget.document_for(session, plan).schemes for m in s.metrics]
    return {
        "bodies": tables(figures.organisations_table(session, plan)),
        "governance": governance,
        "key-changes": tables(figures.key_changes_table(session, plan)),
        "uec": tables(figures.uec_table(session, actor, plan)),
        "spend": tables(figures.spend_table(session, actor, plan)),
        "ambitions": tables(figures.ambitions_table(session, plan, scheme_metrics)),
        "discharge-shift": tables(figures.shift_table(session, actor, plan)),
        "capacity": capacity,
        "equity": tables(figures.equity_table(session, plan)),
    }


def narrative_document(
    session: Session,
    actor: Actor,
    plan_id: int,
    today: date,
    replications: int = SIZING_REPLICATIONS,
) -> Document:
    """The document, heading by heading; a heading not yet written says so."""
    plan = get_plan(session, actor, plan_id)
    blocks = blocks_of(session, plan.id)
    area = plan.area.name if plan.area else (plan.system.name if plan.system else "")
    doc = Document(
        f"{TITLE}: {plan.title}",
        {
            "plan_title": plan.title,
            "area_name": area,
            "period": period_of(plan).label,
            "status": plan.status,
            "organisation_name": actor.principal.organisation_name if actor.principal else "",
            "generated_on": _day(today),
            "document_title": TITLE,
        },
    )
    fill = _fillers(session, actor, plan, replications)
    section = 0
    for h in HEADINGS:
        if h.section != section:
            section = h.section
            doc.heading(1, SECTIONS[section])
        doc.heading(2, h.title)
        found = blocks.get(h.key)
        if found is None:
            doc.note("Not yet written.")
        else:
            if found.state != "agreed":
                doc.note(f"{REVIEW_STATES[found.state]}: version {found.number}.")
            doc.text(parse(found.text))
        for key in h.fills:
            fill[key](doc)
    return doc


def narrative_docx(
    session: Session,
    actor: Actor,
    plan_id: int,
    today: date,
    organisation_key: str | None = None,
    replications: int = SIZING_REPLICATIONS,
) -> bytes:
    document = narrative_document(session, actor, plan_id, today, replications)
    return render(template_for(session, actor, organisation_key), document)
