"""A plan's budget in its snapshots, and the differences between two of them: the answers to the
plans' snapshot hooks (the wiring names them), and the names the differences are shown with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain.differences import Names, budget_sections
from placeplan.budget.domain.document import document_from_mapping, document_to_mapping
from placeplan.budget.service.documents import document_for
from placeplan.core.differences import Section
from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan


def names_for(session: Session) -> Names:
    """Every organisation's and governance body's name, by key."""
    return Names(
        organisations={
            k: n for k, n in session.execute(select(Organisation.key, Organisation.name))
        },
        bodies={k: n for k, n in session.execute(select(Body.key, Body.name))},
    )


def snapshot_part(session: Session, plan: Plan) -> dict[str, Any] | None:
    """The plan's budget as a snapshot keeps it (document_to_mapping); None if the plan is not a
    BCF plan or has no budget."""
    if plan.kind != "bcf_plan":
        return None
    document = document_for(session, plan)
    if not (
        document.schemes
        or document.lines
        or document.income
        or document.top_slices
        or document.stated
    ):
        return None
    return document_to_mapping(document)


def part_differences(
    session: Session, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[Section]:
    """What changed in the budget between two snapshots' parts (None: no budget then)."""
    return budget_sections(
        document_from_mapping(before) if before is not None else None,
        document_from_mapping(after) if after is not None else None,
        names_for(session),
    )
