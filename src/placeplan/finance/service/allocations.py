"""Need-weighted allocations kept with a plan: create and read. Every write is audited and the
document checked by the domain before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.finance.domain.allocation import Allocation, AreaResult, allocate
from placeplan.finance.domain.allocation_document import from_document
from placeplan.finance.domain.fields import MODEL
from placeplan.finance.models import FinanceAllocation
from placeplan.finance.service.stored import require_edit
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded

ALLOCATION_KIND = "finance_allocation"


@dataclass(frozen=True)
class Allocated:
    record: FinanceAllocation
    allocation: Allocation
    areas: tuple[AreaResult, ...]


def create_allocation(
    session: Session,
    actor: Actor,
    plan_id: int,
    name: str,
    document: Mapping[str, Any],
    illustrative: bool = False,
) -> FinanceAllocation:
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    name = (name or "").strip()
    if not name:
        raise InputError("Give the allocation a name", field="name")
    MODEL.check({"name": name})
    from_document(document)
    clash = session.scalar(
        select(FinanceAllocation.id).where(
            FinanceAllocation.plan_id == plan_id, FinanceAllocation.name == name
        )
    )
    if clash is not None:
        raise InputError(f"This plan already has an allocation called {name!r}", field="name")
    now = utcnow()
    record = FinanceAllocation(
        plan_id=plan_id,
        name=name,
        document=dict(document),
        illustrative=illustrative,
        created_at=now,
        updated_at=now,
    )
    return add_recorded(session, actor, ALLOCATION_KIND, record)


def plan_allocations(session: Session, actor: Actor, plan_id: int) -> list[FinanceAllocation]:
    get_plan(session, actor, plan_id)
    return list(
        session.scalars(
            select(FinanceAllocation)
            .where(FinanceAllocation.plan_id == plan_id)
            .order_by(FinanceAllocation.name)
        )
    )


def get_allocation(session: Session, actor: Actor, allocation_id: int) -> Allocated:
    record = session.get(FinanceAllocation, allocation_id)
    if record is None:
        raise NotFound(f"no allocation {allocation_id}")
    get_plan(session, actor, record.plan_id)
    return allocated(record)


def allocated(record: FinanceAllocation) -> Allocated:
    """The allocation a stored record holds, worked out (the caller has read or written it)."""
    allocation = from_document(record.document)
    return Allocated(record, allocation, allocate(allocation))


def plan_allocation(session: Session, actor: Actor, plan_id: int, name: str | None) -> Allocated:
    """The plan's allocation called `name`, or its only one when `name` is None (InputError
    naming "allocation", with the names to choose from, when there are several or none)."""
    records = plan_allocations(session, actor, plan_id)
    if name is not None:
        records = [r for r in records if r.name == name.strip()]
    if len(records) == 1:
        return allocated(records[0])
    names = ", ".join(repr(r.name) for r in plan_allocations(session, actor, plan_id))
    if not names:
        raise InputError("The plan has no need-weighted allocation", field="allocation")
    if name is not None:
        raise InputError(
            f"The plan has no allocation called {name!r}: it has {names}", field="allocation"
        )
    raise InputError(f"The plan has several allocations: choose one of {names}", field="allocation")
