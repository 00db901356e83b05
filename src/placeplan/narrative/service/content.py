"""The narrative as part of what a plan holds (the plans' content hook, answered in
app.plan_content): each heading's words and the UEC priorities with their schemes. A plan with no
narrative holds no narrative part, so the versions kept before the narrative existed keep their
fingerprints; once it has one, changing its words makes decisions taken on the earlier words
stale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.differences import Record, Section, Value, compare
from placeplan.narrative.domain.headings import BY_KEY, HEADINGS
from placeplan.narrative.models import NarrativeBlock, UecPriority, UecPriorityScheme
from placeplan.plans.models import Plan

SHOWN_CHARS = 300


def narrative_part(session: Session, plan: Plan) -> dict[str, Any] | None:
    blocks = {
        b.heading: b.text
        for b in session.scalars(select(NarrativeBlock).where(NarrativeBlock.plan_id == plan.id))
    }
    uec = [
        {
            "title": p.title,
            "support": p.support,
            "schemes": [link.scheme.ref for link in p.links],
        }
        for p in session.scalars(
            select(UecPriority)
            .where(UecPriority.plan_id == plan.id)
            .options(selectinload(UecPriority.links).joinedload(UecPriorityScheme.scheme))
            .order_by(UecPriority.position)
        )
    ]
    if not blocks and not uec:
        return None
    order = [h.key for h in HEADINGS]
    return {
        "blocks": {k: blocks[k] for k in order if k in blocks},
        "uec": uec,
    }


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def narrative_sections(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[Section]:
    if before is None and after is None:
        return []

    def blocks(part: dict[str, Any] | None) -> dict[str, Record]:
        return {
            key: Record(
                BY_KEY[key].title if key in BY_KEY else key,
                {"Text": Value(text, _shown(text))},
            )
            for key, text in ((part or {}).get("blocks") or {}).items()
        }

    def priorities(part: dict[str, Any] | None) -> dict[str, Record]:
        return {
            item["title"]: Record(
                item["title"],
                {
                    "How the schemes support it": Value(item["support"], _shown(item["support"])),
                    "Schemes": Value(item["schemes"], ", ".join(item["schemes"])),
                },
            )
            for item in (part or {}).get("uec") or []
        }

    return [
        compare("Narrative", "heading", blocks(before), blocks(after)),
        compare("UEC priorities", "priority", priorities(before), priorities(after)),
    ]
