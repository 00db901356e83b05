"""Audit events for the audit's tests: written through the real services where a person's action
is the point, inserted directly where only their number, time or author matters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from placeplan.budget import service as budget
from placeplan.budget.domain.document import document_from_mapping
from placeplan.core.actor import Actor
from placeplan.store import audit
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.budget.factory import budget_mapping
from tests.factories import World, actor_for


def change_line(
    sessions: sessionmaker[Session], world: World, pence: int, who: str = "county-editor"
) -> None:
    """Line S2-1 (of the scheme "Acute discharge team") set to `pence`, on its edit form."""
    with unit_of_work(sessions) as s:
        budget.update_line(s, actor_for(s, who), world.line_id, None, {"amount_pence": pence})


def upload(
    sessions: sessionmaker[Session], world: World, mapping: dict[str, Any], who: str
) -> None:
    """The budget loaded again from `mapping`, as an upload of the planning workbook loads it."""
    with unit_of_work(sessions) as s:
        budget.load_document(s, actor_for(s, who), world.plan_id, document_from_mapping(mapping))


def two_lines_moved() -> dict[str, Any]:
    """The test budget with £10,000 moved from line S2-1 to line S1-1, both NHS minimum: S1-1
    £100,000 -> £110,000 and S2-1 £50,000 -> £40,000, so income still equals spend."""
    mapping = budget_mapping()
    home_first, discharge = mapping["schemes"]
    home_first["lines"][0]["amount_pence"] = 110_000_00
    discharge["lines"][0]["amount_pence"] = 40_000_00
    return mapping


def separate_actions(sessions: sessionmaker[Session], n: int, kind: str = "note") -> None:
    """`n` events, each its own user action, on records named "Note 1" to "Note n"."""
    with unit_of_work(sessions) as s:
        for i in range(1, n + 1):
            audit.record(
                s, Actor(name="someone", via="cli"), "create", kind, i, None, {"name": f"Note {i}"}
            )


def event_at(session: Session, at: datetime, actor: str, kind: str, ident: int) -> None:
    session.add(
        AuditEvent(
            action_id=f"{actor}-{ident}",
            at=at,
            actor=actor,
            via="cli",
            action="create",
            entity_kind=kind,
            entity_id=ident,
            after={"name": f"{kind} {ident}"},
        )
    )
