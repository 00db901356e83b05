"""Financial models kept with a plan: read, create and edit a line. Every write is audited and
checked by the domain (`from_document` against the plan's period) before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import Conflict, InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.finance.domain.compute import Result, compute
from placeplan.finance.domain.differences import model_differences
from placeplan.finance.domain.document import from_document, to_document
from placeplan.finance.domain.fields import (
    MODEL,
    check_in_pounds,
    line_limits,
    settings_limits,
)
from placeplan.finance.domain.model import (
    BASES,
    Entry,
    FinancialModel,
    Line,
    RateBase,
    Series,
)
from placeplan.finance.models import FinanceModel
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

KIND = "finance_model"
EDITABLE = ["name", "document"]


@dataclass(frozen=True)
class Computed:
    """A stored model, the model it holds and what it computes."""

    record: FinanceModel
    model: FinancialModel
    result: Result


def can_edit(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


def _check_version(session: Session, record: FinanceModel, expected: int | None) -> None:
    """As store.uow.check_version, with the assumptions that moved named one by one rather
    than as two whole documents."""
    try:
        check_version(session, record, KIND, expected, EDITABLE)
    except Conflict as exc:
        moved = dict(exc.changes)
        was, now = moved.pop("document", (None, None))
        if isinstance(was, dict) and isinstance(now, dict):
            differences = model_differences(from_document(was), from_document(now))
            for section in differences.sections:
                for change in section.changes:
                    for f in change.fields:
                        moved[f"{change.name}, {f.label}"] = (
                            f.before.text if f.before else None,
                            f.after.text if f.after else None,
                        )
        raise Conflict(exc.message, exc.current_version, moved) from exc


def require_edit(actor: Actor, plan: Plan) -> None:
    require(can_edit(actor, plan), "change this plan's financial models")


def _period(plan: Plan) -> tuple[int, int]:
    return (plan.period_start, plan.period_end)


def plan_models(session: Session, actor: Actor, plan_id: int) -> list[FinanceModel]:
    """The plan's models: its own first, then its scenarios by name."""
    get_plan(session, actor, plan_id)
    rows = session.scalars(select(FinanceModel).where(FinanceModel.plan_id == plan_id))
    return sorted(rows, key=lambda m: (m.base_id is not None, m.name.lower(), m.id))


def plan_model(session: Session, actor: Actor, plan_id: int) -> FinanceModel:
    """The plan's own model (not a scenario)."""
    for model in plan_models(session, actor, plan_id):
        if model.base_id is None:
            return model
    raise NotFound(f"plan {plan_id} has no financial model")


def get_model(session: Session, actor: Actor, model_id: int) -> FinanceModel:
    model = session.get(FinanceModel, model_id)
    if model is None:
        raise NotFound(f"no financial model {model_id}")
    get_plan(session, actor, model.plan_id)  # visibility follows the plan's
    return model


def model_of(record: FinanceModel) -> FinancialModel:
    return from_document(record.document)


def computed(record: FinanceModel) -> Computed:
    model = model_of(record)
    return Computed(record, model, compute(model))


def unique_name(session: Session, plan_id: int, name: str, model_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("Give the model a name", field="name")
    MODEL.check({"name": name})
    clash = session.scalar(
        select(FinanceModel.id).where(
            FinanceModel.plan_id == plan_id,
            FinanceModel.name == name,
            FinanceModel.id != (model_id or 0),
        )
    )
    if clash is not None:
        raise InputError(f"This plan already has a financial model called {name!r}", field="name")
    return name


def create_model(
    session: Session, actor: Actor, plan_id: int, name: str, document: Mapping[str, Any]
) -> FinanceModel:
    """A plan's own model from a document, checked against the plan's period."""
    plan = get_plan(session, actor, plan_id)
    require_edit(actor, plan)
    model = from_document(document, _period(plan))
    if any(m.base_id is None for m in plan_models(session, actor, plan_id)):
        raise InputError("This plan already has its financial model", field="name")
    now = utcnow()
    record = FinanceModel(
        plan_id=plan_id,
        name=unique_name(session, plan_id, name),
        document=to_document(model),
        created_at=now,
        updated_at=now,
    )
    return add_recorded(session, actor, KIND, record)


def _pounds_to_pence(text: str) -> int:
    return int(Decimal(text.replace(",", "").replace("£", "").strip()) * 100)


def _entries(years: tuple[int, ...], values: Mapping[str, str]) -> tuple[Entry, ...]:
    entries = []
    for year in years:
        amount = (values.get(f"amount_{year}") or "").strip()
        rate = (values.get(f"rate_{year}") or "").strip()
        base = (values.get(f"base_{year}") or "").strip() or None
        if base is not None and base not in BASES:
            raise InputError(f"{base!r} is not a base a rate can be on", field=f"base_{year}")
        if amount:
            entries.append(Entry(year, amount=_pounds_to_pence(amount)))
        elif rate:
            entries.append(Entry(year, rate=Decimal(rate.rstrip("%")), base=_as_base(base)))
    return tuple(entries)


def _as_base(base: str | None) -> RateBase | None:
    return "cost_base" if base == "cost_base" else None


def update_line(
    session: Session,
    actor: Actor,
    model_id: int,
    expected_version: int | None,
    key: str,
    values: Mapping[str, str],
) -> FinanceModel:
    """Change one line's name, source, start year and figures by year (as a form gives them:
    `amount_2024` in whole pounds, `rate_2024` per cent and `base_2024`). Checked by the line's
    Limits, then the whole model by the domain against the plan's period; nothing is written on
    a refusal."""
    record = get_model(session, actor, model_id)
    require_edit(actor, record.plan)
    _check_version(session, record, expected_version)
    model = model_of(record)
    try:
        line = model.line(key)
    except KeyError as exc:
        raise NotFound(f"no line {key!r} in this model") from exc
    check_in_pounds(line_limits(model.years), values)
    changed = _changed_line(model, line, values)
    new = replace(model, lines=tuple(changed if ln.key == key else ln for ln in model.lines))
    checked = from_document(to_document(new), _period(record.plan))
    document = to_document(checked)
    if document != record.document:
        update_recorded(
            session, actor, KIND, record, {"document": document, "updated_at": utcnow()}
        )
    return record


def _changed_line(model: FinancialModel, line: Line, values: Mapping[str, str]) -> Line:
    start = (values.get("start_year") or "").strip()
    start_year = line.start_year
    if "start_year" in values:
        start_year = None if not start else _start(start)
    return replace(
        line,
        name=(values.get("name") or line.name).strip(),
        source=(values.get("source") if "source" in values else line.source) or "",
        recurrent=values.get("recurrent", "yes" if line.recurrent else "no") == "yes",
        start_year=start_year,
        entries=_entries(model.years, values),
    )


def _start(text: str) -> int:
    try:
        return int(text[:4])
    except ValueError as exc:
        raise InputError(f"{text!r} is not a financial year", field="start_year") from exc


def plan_id_of(session: Session, actor: Actor, plan: str) -> int:
    """A plan named by its id ("4") or its key ("llr-fyp-2023-28"), as the command line takes it."""
    text = plan.strip()
    if text.isdigit():
        return get_plan(session, actor, int(text)).id
    found = session.scalar(select(Plan.id).where(Plan.key == text))
    if found is None:
        raise NotFound(f"no plan {text!r}")
    return get_plan(session, actor, found).id


def _pence_or_none(text: str) -> int | None:
    text = (text or "").strip()
    return _pounds_to_pence(text) if text else None


def update_settings(
    session: Session,
    actor: Actor,
    model_id: int,
    expected_version: int | None,
    values: Mapping[str, str],
) -> FinanceModel:
    """Change the opening position (whole pounds), the cost base by year (whole pounds) and the
    uplift rate on cost removed by year (per cent), with their sources; checked by the settings'
    Limits, then the whole model against the plan's period. Nothing is written on a refusal."""
    record = get_model(session, actor, model_id)
    require_edit(actor, record.plan)
    _check_version(session, record, expected_version)
    model = model_of(record)
    check_in_pounds(settings_limits(model.years), values)
    pence = {k: _pence_or_none(values.get(k, "")) for k in ("plan_position", "non_recurrent")}
    cost_base = tuple(
        Entry(y, amount=amount)
        for y in model.years
        if (amount := _pence_or_none(values.get(f"cost_base_{y}", ""))) is not None
    )
    uplift = tuple(
        Entry(y, rate=Decimal(text.rstrip("%")))
        for y in model.years
        if (text := (values.get(f"uplift_{y}") or "").strip())
    )
    opening = replace(
        model.opening,
        plan_position=pence["plan_position"] or 0,
        non_recurrent=pence["non_recurrent"] or 0,
        source=(values.get("source") or "").strip(),
    )
    new = replace(
        model,
        opening=opening,
        cost_base=Series(cost_base, (values.get("cost_base_source") or "").strip()),
        uplift_on_removed=Series(uplift, (values.get("uplift_source") or "").strip()),
    )
    document = to_document(from_document(to_document(new), _period(record.plan)))
    if document != record.document:
        update_recorded(
            session, actor, KIND, record, {"document": document, "updated_at": utcnow()}
        )
    return record
