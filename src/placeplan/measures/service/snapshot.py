"""A plan's ambitions as its versions keep them, the differences between two versions' ambitions,
and the metrics a BCF plan's schemes name that have no ambition (a warning at submission)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.models import BudgetRevision
from placeplan.core.differences import Record, Section, Value, compare
from placeplan.measures.models import MeasuresRevision
from placeplan.measures.service.ambitions import ambitions_for
from placeplan.measures.service.metrics import list_metrics
from placeplan.measures.service.plans import schemes_by_metric
from placeplan.measures.service.revisions import SCOPE
from placeplan.plans.models import Plan
from placeplan.store.revisions import ReuseCache

# How a figure in each unit reads; kept here as well as in present because a snapshot keeps the
# text people saw, and the service may not import the present layer.
_SUFFIX = {"percentage": "%", "days": " days", "minutes": " minutes", "years": " years"}


def _figure(value: Decimal | None, unit: str) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return f"{text}{_SUFFIX.get(unit, '')}"


def ambitions_part(session: Session, plan: Plan) -> list[dict[str, Any]]:
    """The plan's ambitions, JSON-ready, in the order the plan's page lists them."""
    return [
        {
            "key": f"{a.metric.key}|{a.area.gss_code}|{a.period}",
            "metric": a.metric.name,
            "area": a.area.name,
            "period": a.period,
            "target": _figure(a.target, a.metric.unit),
            "baseline": _figure(a.baseline, a.metric.unit),
            "baseline_period": a.baseline_period,
            "stated_change": a.stated_change,
        }
        for a in ambitions_for(session, plan_id=plan.id)
    ]


_LABELS = {
    "target": "Ambition",
    "baseline": "Baseline",
    "baseline_period": "Baseline period",
    "stated_change": "Stated change",
}


def _records(part: list[dict[str, Any]] | None) -> dict[str, Record]:
    return {
        item["key"]: Record(
            f"{item['metric']}, {item['area']}, {item['period']}",
            {label: Value(item.get(k), item.get(k) or "") for k, label in _LABELS.items()},
        )
        for item in part or []
    }


def ambitions_sections(
    before: list[dict[str, Any]] | None, after: list[dict[str, Any]] | None
) -> list[Section]:
    return [compare("Ambitions", "ambition", _records(before), _records(after))]


# Reused while the plan's budget (its schemes' metrics) and the measures (its ambitions) stand; the
# age bound covers a metric's new name. Every plan's assurance asks, on every view.
_unset: ReuseCache[list[str]] = ReuseCache(size=1024, ttl=60.0)


def metrics_without_ambitions(session: Session, plan: Plan) -> list[str]:
    """The metrics the plan's schemes name that the plan sets no ambition for, by name."""
    budget, measures = session.execute(
        select(
            select(BudgetRevision.token).where(BudgetRevision.plan_id == plan.id).scalar_subquery(),
            select(MeasuresRevision.token).where(MeasuresRevision.id == SCOPE).scalar_subquery(),
        )
    ).one()  # both tokens in one read
    token = f"{budget}.{measures}" if budget is not None and measures is not None else None
    key = (str(session.get_bind().engine.url), plan.id)
    return list(_unset.get_or_make(key, token, lambda: _metrics_without_ambitions(session, plan)))


def _metrics_without_ambitions(session: Session, plan: Plan) -> list[str]:
    return metrics_lacking_ambitions(session, plan, schemes_by_metric(session, plan))


def metrics_lacking_ambitions(session: Session, plan: Plan, named: Iterable[str]) -> list[str]:
    """Of the metrics `named` (by key, as the plan's schemes name them), those the plan sets no
    ambition for, by name."""
    with_ambition = {a.metric.key for a in ambitions_for(session, plan_id=plan.id)}
    names = {m.key: m.name for m in list_metrics(session)}
    return sorted(names.get(key, key) for key in set(named) if key not in with_ambition)
