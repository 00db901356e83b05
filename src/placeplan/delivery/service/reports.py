"""What the delivery reports say: the content of the highlight and exception reports and of the
plan on a page, as plain dicts that the pages, the Word files and the CLI all render.

Reads only. The highlight figures come from `highlight` (and so share its cache); this
module adds what a report file needs around them (the governance body's name, the period before,
the RAG definitions' labels) and the exception report's cut of them (reds only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.hooks import Hook
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.ratings import NOT_RATED, RATINGS
from placeplan.delivery.io.report_docx import Composer
from placeplan.delivery.models import DeliveryAction
from placeplan.delivery.service.highlight import highlight
from placeplan.delivery.service.reads import periods_with_updates, tracker
from placeplan.governance.models import Body

KINDS = ("highlight", "exception")

# A report's Word file goes in the asking person's organisation's own template where it has
# uploaded one; organisations' templates are the narrative's, a later concept.
house_style: Hook[Callable[[Session, Actor], Composer | None]] = Hook(
    "delivery.house_style", "the Word template an organisation's delivery reports are put in"
)


def plan_bodies(session: Session, plan_id: int) -> list[tuple[int, str]]:
    """The governance bodies the plan's actions report to, by name."""
    rows = session.execute(
        select(Body.id, Body.name)
        .where(Body.id.in_(select(DeliveryAction.body_id).where(DeliveryAction.plan_id == plan_id)))
        .order_by(Body.name)
    ).all()
    return [(int(i), str(n)) for i, n in rows]


def find_body(session: Session, body: int | str | None) -> Body | None:
    """A governance body by id or key; none asked for is None, an unknown one is an error."""
    if body is None or str(body).strip() == "":
        return None
    text = str(body).strip()
    found = (
        session.get(Body, int(text))
        if text.isdigit()
        else session.scalar(select(Body).where(Body.key == text))
    )
    if found is None:
        raise InputError(f"no governance body '{text}': expected a body's id or key", field="body")
    return found


def _previous_period(periods: list[str], label: str | None) -> str | None:
    if label is None or label not in periods:
        return None
    index = periods.index(label)
    return periods[index - 1] if index > 0 else None


def report_content(
    session: Session,
    actor: Actor,
    plan_id: int,
    period: str | None = None,
    body: int | str | None = None,
    kind: str = "highlight",
) -> dict[str, Any]:
    """The highlight report (reds and ambers) or the exception report (reds only) for a body and
    period, with everything a board paper needs: what changed, what is overdue, the decisions
    asked for and what the ratings mean."""
    if kind not in KINDS:
        raise InputError(f"'{kind}' is not a report: expected highlight or exception", field="kind")
    found = find_body(session, body)
    report = highlight(session, actor, plan_id, period, found.id if found else None)
    periods = periods_with_updates(session, plan_id)
    reds = list(report["reds"])
    ambers = list(report["ambers"]) if kind == "highlight" else []
    changes = list(report["changes"])
    overdue = list(report["overdue"])
    decisions = list(report["decisions"])
    not_updated = list(report["not_updated"])
    if kind == "exception":
        # What the board must act on: the reds, and what moved into or out of red this period.
        red_ids = {r["action_id"] for r in reds}
        changes = [c for c in changes if "red" in (c["overall_rag"], c["previous_rag"])]
        overdue = [o for o in overdue if o["action_id"] in red_ids]
        decisions = [d for d in decisions if d["action_id"] in red_ids]
        not_updated = [n for n in not_updated if n["action_id"] in red_ids]
    title = "Highlight report" if kind == "highlight" else "Exception report"
    return {
        "kind": kind,
        "title": title,
        "plan": report["plan"],
        "period": report["period"],
        "period_end": report["period_end"],
        "previous_period": _previous_period(periods, report["period"]),
        "periods": periods,
        "body": {"id": found.id, "name": found.name} if found else None,
        "counts": dict(report["counts"]),
        "reds": reds,
        "ambers": ambers,
        "changes": changes,
        "overdue": overdue,
        "decisions": decisions,
        "not_updated": not_updated,
        "rag_definitions": report["rag_definitions"],
        "rag_kinds": dict(rules.RAG_KINDS),
        "change_labels": dict(rules.CHANGES),
        "stage_labels": dict(rules.STAGES),
    }


def _counts() -> dict[str, int]:
    return {rating: 0 for rating in RATINGS}


def on_a_page(
    session: Session, actor: Actor, plan_id: int, period: str | None = None
) -> dict[str, Any]:
    """The whole delivery plan at a glance: each theme with its ambition and priorities, and how
    many of its actions are red, amber, green or not rated at the period's end."""
    t = tracker(session, actor, plan_id, period)
    by_priority: dict[str, dict[str, int]] = {}
    overdue_by_priority: dict[str, int] = {}
    for row in t.actions:
        rating = row.current.overall if row.current else NOT_RATED
        by_priority.setdefault(row.priority_ref, _counts())[rating] += 1
        overdue_by_priority[row.priority_ref] = overdue_by_priority.get(row.priority_ref, 0) + len(
            row.overdue
        )
    themes = []
    totals = _counts()
    total_overdue = 0
    for theme in t.themes:
        counts = _counts()
        overdue = 0
        priorities = []
        for p in theme.priorities:
            pc = by_priority.get(p.ref, _counts())
            for rating, n in pc.items():
                counts[rating] += n
            overdue += overdue_by_priority.get(p.ref, 0)
            priorities.append(
                {
                    "ref": p.ref,
                    "statement": p.statement,
                    "outcome": p.outcome_statement,
                    "do_priority": bool(p.do_priority),
                    "actions": sum(pc.values()),
                    "counts": pc,
                }
            )
        for rating, n in counts.items():
            totals[rating] += n
        total_overdue += overdue
        themes.append(
            {
                "ref": theme.ref,
                "name": theme.name,
                "ambition": theme.ambition,
                "actions": sum(counts.values()),
                "counts": counts,
                "overdue": overdue,
                "priorities": priorities,
            }
        )
    principles = list(t.framework.principles) if t.framework else []
    return {
        "plan": {"id": t.plan.id, "title": t.plan.title, "status": t.plan.status},
        "period": t.period.label if t.period else None,
        "period_end": t.period.last_day.isoformat() if t.period else None,
        "periods": t.periods,
        "themes": themes,
        "totals": {**totals, "actions": sum(totals.values()), "overdue": total_overdue},
        "principles": [{"ref": p.get("ref"), "name": p.get("name")} for p in principles],
        "rag_definitions": t.rag_definitions,
        "rag_kinds": dict(rules.RAG_KINDS),
    }
