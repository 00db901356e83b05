"""The highlight report's figures from a plan's tracker rows: reds and ambers, what changed since
the period before, what is overdue and the decisions asked for."""

from __future__ import annotations

from typing import Any

from placeplan.core.periods import QuarterOrMonth
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.rows import ActionRow


def item(row: ActionRow) -> dict[str, Any]:
    current, previous = row.current, row.previous
    return {
        "action_id": row.id,
        "ref": row.ref,
        "we_will": row.we_will,
        "theme": row.theme,
        "priority": row.priority,
        "stage": row.stage,
        "body": row.body,
        "lead_contacts": row.lead_contacts,
        "overall_rag": current.overall if current else None,
        "risk_rag": current.risk if current else None,
        "trajectory_rag": current.trajectory if current else None,
        "rated_in": current.period if current else None,
        "previous_rag": previous.overall if previous else None,
        "previous_period": previous.period if previous else None,
        "change": row.change,
        "commentary": current.internal_commentary if current else None,
        "risks": current.risks if current else None,
    }


def highlight_report(
    plan: dict[str, Any],
    when: QuarterOrMonth | None,
    rows: list[ActionRow],
    body_id: int | None,
    definitions: dict[str, dict[str, str]],
) -> dict[str, Any]:
    counts = {rag: 0 for rag in (*rules.RAGS, "not_rated")}
    for row in rows:
        counts[row.current.overall if row.current else "not_rated"] += 1
    label = when.label if when else None

    def rated(rag: str) -> list[dict[str, Any]]:
        return [item(r) for r in rows if r.current and r.current.overall == rag]

    return {
        "plan": plan,
        "period": label,
        "period_end": when.last_day.isoformat() if when else None,
        "body": body_id,
        "counts": counts,
        "reds": rated("red"),
        "ambers": rated("amber"),
        "changes": [
            item(r)
            for r in rows
            if r.current
            and r.current.period == label
            and r.change in ("improved", "worsened", "new")
        ],
        "not_updated": [
            {
                "action_id": r.id,
                "ref": r.ref,
                "last_rated_in": r.current.period if r.current else None,
            }
            for r in rows
            if not r.current or r.current.period != label
        ],
        "overdue": [
            {
                "action_id": r.id,
                "action_ref": r.ref,
                "ref": m["ref"],
                "by": m["by"],
                "due": m["due"].isoformat(),
            }
            for r in rows
            for m in r.overdue
        ],
        "decisions": [
            {"action_id": r.id, "ref": r.ref, "decision": r.current.decision_needed}
            for r in rows
            if r.current and r.current.period == label and r.current.decision_needed
        ],
        "rag_definitions": definitions,
    }
