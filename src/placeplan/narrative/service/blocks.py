"""A plan's narrative blocks: read them, save a block (each save a new numbered version), move its
review state, and compare two of its versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden, InputError, NotFound
from placeplan.core.permissions import can_edit_plan
from placeplan.narrative.domain.fields import BLOCK
from placeplan.narrative.domain.headings import (
    BY_KEY,
    HEADINGS,
    REVIEW_STATES,
    Heading,
    length_warning,
)
from placeplan.narrative.domain.text import DiffLine, diff
from placeplan.narrative.models import NarrativeBlock, NarrativeVersion
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

KIND = "narrative_block"


@dataclass(frozen=True)
class Narrative:
    plan: Plan
    blocks: dict[str, NarrativeBlock]  # by heading key; a heading not yet written is absent
    can_edit: bool

    def rows(self) -> list[tuple[Heading, NarrativeBlock | None]]:
        return [(h, self.blocks.get(h.key)) for h in HEADINGS]


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def require_edit(actor: Actor, plan: Plan) -> None:
    if not can_edit(actor, plan):
        raise Forbidden("only an editor of the plan's area may change its narrative")


def blocks_of(session: Session, plan_id: int) -> dict[str, NarrativeBlock]:
    rows = session.scalars(select(NarrativeBlock).where(NarrativeBlock.plan_id == plan_id))
    return {b.heading: b for b in rows}


def narrative(session: Session, actor: Actor, plan_id: int) -> Narrative:
    plan = get_plan(session, actor, plan_id)
    return Narrative(plan, blocks_of(session, plan.id), can_edit(actor, plan))


def heading_of(key: str) -> Heading:
    found = BY_KEY.get(key)
    if found is None:
        raise NotFound(f"the narrative template has no heading '{key}'")
    return found


def block(session: Session, actor: Actor, plan_id: int, key: str) -> NarrativeBlock | None:
    """The block under a heading with its versions, or None when nothing is written yet."""
    plan = get_plan(session, actor, plan_id)
    heading_of(key)
    return session.scalar(
        select(NarrativeBlock)
        .where(NarrativeBlock.plan_id == plan.id, NarrativeBlock.heading == key)
        .options(selectinload(NarrativeBlock.versions))
    )


@dataclass(frozen=True)
class Saved:
    block: NarrativeBlock
    warning: str | None  # the length guidance, passed: saved all the same
    changed: bool


def save_block(
    session: Session,
    actor: Actor,
    plan_id: int,
    key: str,
    text: str,
    expected_version: int | None,
    note: str | None = None,
) -> Saved:
    """A new version of the block under `key` (its first, if none): unchanged words save nothing.
    A save moves the block back to draft: what was agreed is no longer what it says."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    heading = heading_of(key)
    text = text.replace("\r\n", "\n").strip()
    note = (note or "").strip() or None
    BLOCK.check({"text": text, "note": note or ""})
    if not text:
        raise InputError(f"enter the text under “{heading.title}”", field="text")
    warning = length_warning(key, text)
    now = utcnow()
    existing = blocks_of(session, plan.id).get(key)
    if existing is None:
        found = add_recorded(
            session,
            actor,
            KIND,
            NarrativeBlock(
                plan_id=plan.id, heading=key, text=text, state="draft", number=1, updated_at=now
            ),
        )
    else:
        check_version(session, existing, KIND, expected_version, ["text", "state"])
        if existing.text == text:
            return Saved(existing, warning, False)
        found = update_recorded(
            session,
            actor,
            KIND,
            existing,
            {"text": text, "state": "draft", "number": existing.number + 1, "updated_at": now},
        )
    session.add(
        NarrativeVersion(
            block_id=found.id,
            plan_id=plan.id,
            number=found.number,
            text=text,
            note=note,
            saved_at=now,
            saved_by=actor.name,
        )
    )
    session.flush()
    return Saved(found, warning, True)


def set_state(
    session: Session, actor: Actor, plan_id: int, key: str, state: str, expected_version: int | None
) -> NarrativeBlock:
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    heading = heading_of(key)
    if state not in REVIEW_STATES:
        raise InputError("choose draft, ready for review or agreed", field="state")
    found = blocks_of(session, plan.id).get(key)
    if found is None:
        raise InputError(f"write the text under “{heading.title}” before it is reviewed")
    check_version(session, found, KIND, expected_version, ["text", "state"])
    return update_recorded(session, actor, KIND, found, {"state": state})  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Comparison:
    block: NarrativeBlock
    before: NarrativeVersion
    after: NarrativeVersion
    lines: list[DiffLine]


def compare(
    session: Session, actor: Actor, plan_id: int, key: str, before: int, after: int
) -> Comparison:
    found = block(session, actor, plan_id, key)
    if found is None:
        raise NotFound(f"nothing is written under “{heading_of(key).title}” yet")
    by_number = {v.number: v for v in found.versions}
    for n in (before, after):
        if n not in by_number:
            raise NotFound(f"“{heading_of(key).title}” has no version {n}")
    a, b = by_number[before], by_number[after]
    return Comparison(found, a, b, diff(a.text, b.text))
