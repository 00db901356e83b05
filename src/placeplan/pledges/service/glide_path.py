"""A pledge measure that follows a need-weighted allocation's glide path: linked to an
allocation of the same plan and one of its areas, its yearly targets are that area's allocation
year by year, read from the allocation as it now stands (so they move when the allocation is
changed, and say so when the area has left it). Linking is version-checked and audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.finance import service as finance
from placeplan.pledges.models import PledgeMeasure
from placeplan.pledges.service.reads import editable_plan, find_measure
from placeplan.store.changes import update_recorded
from placeplan.store.uow import check_version

FIELDS = ["allocation_id", "allocation_area"]


def allocation_choices(session: Session, actor: Actor, plan_id: int) -> list[tuple[str, str]]:
    """(value, label) of every allocation and area of the plan a measure may follow."""
    choices = []
    for record in finance.plan_allocations(session, actor, plan_id):
        for area in record.document.get("areas") or []:
            name = str(area.get("name"))
            choices.append((f"{record.id}:{name}", f"{record.name}: {name}"))
    return choices


def follow_allocation(
    session: Session,
    actor: Actor,
    plan_id: int,
    pledge_ref: str,
    measure_ref: str,
    expected_version: int | None,
    choice: str,
) -> PledgeMeasure:
    """Link the measure to an allocation and area of the same plan (`choice`: "id:area", as the
    form gives it), or unlink it (`choice` empty). InputError naming "allocation" when the
    choice is not one of the plan's."""
    editable_plan(session, actor, plan_id)
    measure = find_measure(session, actor, plan_id, pledge_ref, measure_ref)
    check_version(session, measure, "pledge_measure", expected_version, FIELDS)
    choice = (choice or "").strip()
    changes: dict[str, object] = {"allocation_id": None, "allocation_area": None}
    if choice:
        head, _, area = choice.partition(":")
        allocation = None
        if head.isdigit():
            try:
                allocation = finance.get_allocation(session, actor, int(head))
            except NotFound:
                allocation = None
        if (
            allocation is None
            or allocation.record.plan_id != plan_id
            or area not in {r.name for r in allocation.areas}
        ):
            raise InputError(
                "Choose one of this plan's allocations and an area in it", field="allocation"
            )
        changes = {"allocation_id": allocation.record.id, "allocation_area": area}
    update_recorded(session, actor, "pledge_measure", measure, changes)
    return measure
