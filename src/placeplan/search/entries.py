"""What each findable record is found by: its index rows, read as plain columns.

Each kind's rows come from one query over the records' columns (never their mapped objects), so
the same query serves a whole rebuild and, filtered to a few ids, a write's own flush: inside a
flush, objects just added are not yet loaded as persistent, but their columns are in the table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, select

from placeplan.areas.models import Area, System
from placeplan.budget.models import Scheme
from placeplan.core.codes import PLAN_KINDS
from placeplan.core.periods import FinancialYear, Period
from placeplan.delivery.models import DeliveryAction
from placeplan.measures.models import Metric
from placeplan.organisations.models import ORGANISATION_KINDS, Organisation
from placeplan.plans.models import Plan
from placeplan.pledges.models import Pledge

Row = dict[str, Any]
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])
# A filter on one kind's query: None for every record.
Where = ColumnElement[bool] | None


def _short(value: str | None, limit: int = 160) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _filtered(query: _Query, where: Where) -> _Query:
    return query if where is None else query.where(where)


def plan_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    query = (
        select(
            Plan.id, Plan.title, Plan.summary, Plan.kind, Plan.period_start, Plan.period_end,
            Area.name.label("area"), System.name.label("system"),
        )
        .outerjoin(Area, Area.id == Plan.area_id)
        .outerjoin(System, System.id == Plan.system_id)
    )  # fmt: skip
    for p in conn.execute(_filtered(query, where)):
        place = p.area or p.system
        kind = PLAN_KINDS.get(p.kind, p.kind)
        period = Period(FinancialYear(p.period_start), FinancialYear(p.period_end)).label
        yield {
            "kind": "plan",
            "record_id": p.id,
            "plan_id": p.id,
            "title": p.title,
            "detail": ", ".join(x for x in (kind, place, period) if x),
            "body": _join(p.title, p.summary, kind, place, period),
            "url": f"/plans/{p.id}",
            "public_url": None,
        }


def scheme_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    query = select(
        Scheme.id, Scheme.plan_id, Scheme.ref, Scheme.name, Scheme.description, Plan.title
    ).join(Plan, Plan.id == Scheme.plan_id)
    for s in conn.execute(_filtered(query, where)):
        yield {
            "kind": "scheme",
            "record_id": s.id,
            "plan_id": s.plan_id,
            "title": s.name,
            "detail": f"Scheme {s.ref} of {s.title}",
            "body": _join(s.ref, s.name, s.description),
            "url": f"/schemes/{s.id}",
            "public_url": None,
        }


def action_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    a_ = DeliveryAction
    query = select(
        a_.id, a_.plan_id, a_.ref, a_.we_will, a_.i_will, a_.lead_organisations, Plan.title
    ).join(Plan, Plan.id == a_.plan_id)
    for a in conn.execute(_filtered(query, where)):
        yield {
            "kind": "action",
            "record_id": a.id,
            "plan_id": a.plan_id,
            "title": _short(a.we_will, 200),
            "detail": f"Action {a.ref} of {a.title}",
            "body": _join(a.ref, a.we_will, a.i_will, " ".join(a.lead_organisations or [])),
            "url": f"/plans/{a.plan_id}/delivery",
            "public_url": f"/public/plans/{a.plan_id}",
        }


def pledge_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    query = select(
        Pledge.id, Pledge.plan_id, Pledge.ref, Pledge.title, Pledge.statement,
        Pledge.priority, Pledge.description, Plan.title.label("plan_title"),
    ).join(Plan, Plan.id == Pledge.plan_id)  # fmt: skip
    for p in conn.execute(_filtered(query, where)):
        yield {
            "kind": "pledge",
            "record_id": p.id,
            "plan_id": p.plan_id,
            "title": p.title,
            "detail": f"Pledge {p.ref} of {p.plan_title}",
            "body": _join(p.ref, p.title, p.statement, p.priority, p.description),
            "url": f"/plans/{p.plan_id}/pledges/{p.ref}",
            "public_url": None,
        }


def metric_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    m_ = Metric
    query = select(m_.id, m_.name, m_.definition, m_.numerator, m_.denominator, m_.source)
    for m in conn.execute(_filtered(query, where)):
        yield {
            "kind": "metric",
            "record_id": m.id,
            "plan_id": None,
            "title": m.name,
            "detail": _short(m.definition) or None,
            "body": _join(m.name, m.definition, m.numerator, m.denominator, m.source),
            "url": f"/metrics#metric-{m.id}",
            "public_url": None,
        }


def organisation_rows(conn: Connection, where: Where = None) -> Iterator[Row]:
    query = select(Organisation.id, Organisation.name, Organisation.kind, Organisation.ods_code)
    for o in conn.execute(_filtered(query, where)):
        label = ORGANISATION_KINDS.get(o.kind, o.kind)
        yield {
            "kind": "organisation",
            "record_id": o.id,
            "plan_id": None,
            "title": o.name,
            "detail": _join(label, o.ods_code),
            "body": _join(o.name, label, o.ods_code),
            "url": f"/organisations/{o.id}",
            "public_url": None,
        }


# Each findable class: its kind, the rows of some of its records, and its id column.
ROWS: dict[type[Any], tuple[str, Callable[[Connection, Where], Iterator[Row]], Any]] = {
    Plan: ("plan", plan_rows, Plan.id),
    Scheme: ("scheme", scheme_rows, Scheme.id),
    DeliveryAction: ("action", action_rows, DeliveryAction.id),
    Pledge: ("pledge", pledge_rows, Pledge.id),
    Metric: ("metric", metric_rows, Metric.id),
    Organisation: ("organisation", organisation_rows, Organisation.id),
}
# What quotes a plan's title in its own entry (its detail): rewritten when the title changes.
QUOTING_PLAN = (Scheme, DeliveryAction, Pledge)


def all_rows(conn: Connection) -> Iterator[Row]:
    for _kind, rows, _id in ROWS.values():
        yield from rows(conn, None)


def rows_of(conn: Connection, cls: type[Any], ids: Collection[Any]) -> list[Row]:
    _kind, rows, id_column = ROWS[cls]
    return list(rows(conn, id_column.in_(ids)))
