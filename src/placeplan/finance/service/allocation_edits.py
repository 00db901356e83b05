"""A need-weighted allocation made and changed on its form, and an uploaded need index previewed
before it is applied. Every write is version-checked and audited; a refusal names the field and
writes nothing.

An uploaded index is held (`store.uploads`) with the allocation's version it was previewed
against; confirming it after the allocation changed is refused (a Conflict), so what is applied
is always what the person saw."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.finance.domain.allocation import AreaResult, allocate
from placeplan.finance.domain.allocation_document import (
    from_document,
    to_document,
    with_uploaded_index,
)
from placeplan.finance.domain.allocation_form import document_from_form
from placeplan.finance.domain.fields import MODEL, check_allocation_years, figure
from placeplan.finance.domain.fields import weight as weight_field
from placeplan.finance.io.need_index import read_need_index
from placeplan.finance.models import FinanceAllocation
from placeplan.finance.service.allocations import ALLOCATION_KIND
from placeplan.finance.service.stored import require_edit
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store import uploads
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

INDEX_KIND = "need_index"


def _name(session: Session, plan_id: int, name: str, allocation_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("Give the allocation a name", field="name")
    MODEL.check({"name": name})
    clash = session.scalar(
        select(FinanceAllocation.id).where(
            FinanceAllocation.plan_id == plan_id,
            FinanceAllocation.name == name,
            FinanceAllocation.id != (allocation_id or 0),
        )
    )
    if clash is not None:
        raise InputError(f"This plan already has an allocation called {name!r}", field="name")
    return name


def _check_version(session: Session, record: FinanceAllocation, expected: int | None) -> None:
    """As store.uow.check_version, the document's move said in words rather than as two whole
    documents."""
    try:
        check_version(session, record, ALLOCATION_KIND, expected, ["name", "document"])
    except Conflict as exc:
        moved = {
            ("Name" if key == "name" else "Areas, need and pace"): (
                (was, now) if key == "name" else ("as you opened it", "changed since")
            )
            for key, (was, now) in exc.changes.items()
        }
        raise Conflict(exc.message, exc.current_version, moved) from exc


def _save(
    session: Session,
    actor: Actor,
    plan_id: int | None,
    allocation_id: int | None,
    expected_version: int | None,
    name: str,
    read: Callable[[tuple[int, int]], dict[str, Any]],
) -> FinanceAllocation:
    """Make or change an allocation: `read` turns what was sent into the checked document,
    given the plan's period."""
    record = None
    if allocation_id is not None:
        record = editable_allocation(session, actor, allocation_id)
        plan = record.plan
        _check_version(session, record, expected_version)
    elif plan_id is not None:
        plan = plan_for_allocation(session, actor, plan_id)
    else:
        raise NotFound("no plan to make the allocation in")
    plan_id = plan.id
    name = _name(session, plan_id, name, allocation_id)
    document = read((plan.period_start, plan.period_end))
    if record is None:
        now = utcnow()
        made = FinanceAllocation(
            plan_id=plan_id, name=name, document=document, created_at=now, updated_at=now
        )
        return add_recorded(session, actor, ALLOCATION_KIND, made)
    if name != record.name or document != record.document:
        update_recorded(
            session,
            actor,
            ALLOCATION_KIND,
            record,
            {"name": name, "document": document, "updated_at": utcnow()},
        )
    return record


def save_allocation(
    session: Session,
    actor: Actor,
    plan_id: int | None,
    allocation_id: int | None,
    expected_version: int | None,
    values: Mapping[str, str],
) -> FinanceAllocation:
    """Make an allocation in plan `plan_id` (`allocation_id` None) or change allocation
    `allocation_id` from its form's `values`; the years must fall within the plan's period.
    Nothing is written on a refusal."""
    return _save(
        session,
        actor,
        plan_id,
        allocation_id,
        expected_version,
        values.get("name") or "",
        lambda period: document_from_form(values, period)[0],
    )


def save_allocation_document(
    session: Session,
    actor: Actor,
    plan_id: int | None,
    allocation_id: int | None,
    expected_version: int | None,
    name: str,
    document: Mapping[str, Any],
) -> FinanceAllocation:
    """As `save_allocation`, from a plain document (the API's): the same checks through the
    same fields, the years against the plan's period; stored as the form would store it."""

    def read(period: tuple[int, int]) -> dict[str, Any]:
        allocation = from_document(document)
        check_allocation_years(allocation.first_year, len(allocation.totals), period)
        return to_document(allocation)

    return _save(session, actor, plan_id, allocation_id, expected_version, name, read)


@dataclass(frozen=True)
class IndexPreview:
    """What an uploaded need index would change: each area's need and target share before and
    after (`before`, `after`: the domain's results), the held upload's token, and whether the
    allocation changed since it was held (`stale`: it can then not be applied)."""

    record: FinanceAllocation
    filename: str
    name: str
    weight: Decimal
    source: str
    before: tuple[AreaResult, ...]
    after: tuple[AreaResult, ...]
    token: str
    stale: bool


def _weight(text: str, name: str) -> Decimal:
    return figure(text, weight_field(name.strip() or "the uploaded index"), "index_weight")


def editable_allocation(session: Session, actor: Actor, allocation_id: int) -> FinanceAllocation:
    """The allocation, if the asker may change it."""
    record = session.get(FinanceAllocation, allocation_id)
    if record is None:
        raise NotFound(f"no allocation {allocation_id}")
    require_edit(actor, get_plan(session, actor, record.plan_id))
    return record


def plan_for_allocation(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan a new allocation would be made in, if the asker may."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    return plan


def _applied(record: FinanceAllocation, held: uploads.PendingUpload) -> dict[str, Any]:
    """The allocation's document with the held index applied (checked again: the allocation may
    have changed since)."""
    envelope = json.loads(held.content)
    return with_uploaded_index(
        record.document,
        envelope["name"],
        Decimal(envelope["weight"]),
        envelope["source"],
        {area: Decimal(value) for area, value in envelope["index"].items()},
        held.filename,
    )


def _preview(record: FinanceAllocation, held: uploads.PendingUpload) -> IndexPreview:
    envelope = json.loads(held.content)
    return IndexPreview(
        record=record,
        filename=held.filename,
        name=envelope["name"],
        weight=Decimal(envelope["weight"]),
        source=envelope["source"],
        before=allocate(from_document(record.document)),
        after=allocate(from_document(_applied(record, held))),
        token=held.token,
        stale=held.base != str(record.version),
    )


def preview_need_index(
    session: Session,
    actor: Actor,
    allocation_id: int,
    filename: str,
    content: bytes,
    fields: Mapping[str, str],
) -> IndexPreview:
    """Read and check an uploaded index (`fields`: its `index_name`, `index_weight` and
    `index_source`) against the allocation, and hold it; nothing is written to the allocation."""
    record = editable_allocation(session, actor, allocation_id)
    if not content:
        raise InputError("Choose a CSV file of the need index", field="index_file")
    filename = filename or "need-index.csv"
    try:
        index = read_need_index(content, filename)
    except InputError as exc:  # the form's field is the file; the message names row and column
        raise InputError(str(exc), field="index_file", file=exc.file, row=exc.row) from exc
    weight = _weight(fields.get("index_weight") or "", fields.get("index_name") or "")
    name = (fields.get("index_name") or "").strip()
    source = (fields.get("index_source") or "").strip()
    with_uploaded_index(record.document, name, weight, source, index, filename)
    envelope = {
        "name": name,
        "weight": f"{weight.normalize():f}",
        "source": source,
        "index": {area: f"{value.normalize():f}" for area, value in index.items()},
    }
    held = uploads.hold(
        session,
        actor,
        INDEX_KIND,
        str(record.id),
        filename,
        json.dumps(envelope).encode(),
        str(record.version),
    )
    return _preview(record, held)


def held_index_preview(
    session: Session, actor: Actor, allocation_id: int, token: str
) -> IndexPreview:
    """The preview of a held index, for the person who uploaded it."""
    record = editable_allocation(session, actor, allocation_id)
    return _preview(record, uploads.held(session, actor, token, INDEX_KIND, str(record.id)))


def apply_need_index(
    session: Session, actor: Actor, allocation_id: int, token: str
) -> FinanceAllocation:
    """Apply the index the person previewed: refused (a Conflict) when the allocation changed
    since the preview. The held upload is released once applied."""
    record = editable_allocation(session, actor, allocation_id)
    held = uploads.held(session, actor, token, INDEX_KIND, str(record.id))
    if held.base != str(record.version):
        raise Conflict(
            "the allocation was changed by someone else since you previewed the need index: "
            "upload it again to see what it would change now",
            current_version=record.version,
        )
    update_recorded(
        session,
        actor,
        ALLOCATION_KIND,
        record,
        {"document": _applied(record, held), "updated_at": utcnow()},
    )
    uploads.release(session, held)
    return record
