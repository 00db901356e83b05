"""Operations on a plan's pledges and interventions. Every write is audited in the caller's
transaction; whoever may read a plan may read its pledges, and editors of the plan's area or
system may record a measure's latest value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, require
from placeplan.governance.models import Body
from placeplan.measures.models import Metric
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.pledges import rules
from placeplan.pledges.models import Intervention, Pledge, PledgeMeasure, PledgePartnership
from placeplan.store.changes import add_many_recorded, update_recorded
from placeplan.store.uow import check_version

DEMO_PLAN_KEY = "llr-fyp-2023-28"
DEMO_FILE = Path(__file__).resolve().parents[1] / "demo" / "data" / "five_year_plan.yaml"
PLEDGE_KINDS = frozenset({"five_year_plan", "strategy_delivery_plan"})
LATEST_FIELDS = ["latest_value", "latest_period", "latest_illustrative", "latest_source"]


# ---- permissions ------------------------------------------------------------------------------


def can_record(actor: Actor, plan: Plan) -> bool:
    return can_edit_plan(actor, plan.area_id, plan.system_id)


# ---- reading ----------------------------------------------------------------------------------


@dataclass
class MeasureView:
    measure: PledgeMeasure
    assessment: rules.Assessment
    # The latest stored measurement of a linked catalogue metric (pledges.stored), when asked for.
    stored: Any = None

    @property
    def status(self) -> str:
        return self.assessment.status


@dataclass
class PledgeView:
    pledge: Pledge
    measures: list[MeasureView]
    status: str
    interventions: list[Intervention] = field(default_factory=list)

    @property
    def accountable(self) -> list[PledgePartnership]:
        return list(self.pledge.partnerships)


def assess(measure: PledgeMeasure) -> rules.Assessment:
    return rules.assess(
        measure.direction,
        measure.baseline_value,
        measure.baseline_period,
        measure.target_value,
        measure.target_period,
        measure.latest_value,
        measure.latest_period,
    )


def _view(pledge: Pledge) -> PledgeView:
    measures = [MeasureView(m, assess(m)) for m in pledge.measures]
    return PledgeView(pledge, measures, rules.pledge_status([m.status for m in measures]))


def _pledge_query(plan_id: int) -> Any:
    return (
        select(Pledge)
        .where(Pledge.plan_id == plan_id)
        .order_by(Pledge.position)
        .options(
            selectinload(Pledge.measures),
            selectinload(Pledge.partnerships).selectinload(PledgePartnership.body),
        )
    )


def list_pledges(session: Session, actor: Actor, plan_id: int) -> tuple[Plan, list[PledgeView]]:
    plan = get_plan(session, actor, plan_id)
    return plan, [_view(p) for p in session.scalars(_pledge_query(plan_id))]


def get_pledge(session: Session, actor: Actor, plan_id: int, ref: str) -> tuple[Plan, PledgeView]:
    plan = get_plan(session, actor, plan_id)
    pledge = session.scalar(_pledge_query(plan_id).where(Pledge.ref == ref))
    if pledge is None:
        raise NotFound(f"no pledge {ref} in plan {plan_id}")
    view = _view(pledge)
    view.interventions = list(
        session.scalars(
            select(Intervention)
            .where(Intervention.pledge_id == pledge.id)
            .order_by(Intervention.position)
        )
    )
    return plan, view


def list_interventions(
    session: Session, actor: Actor, plan_id: int
) -> tuple[Plan, list[Intervention]]:
    plan = get_plan(session, actor, plan_id)
    rows = session.scalars(
        select(Intervention)
        .where(Intervention.plan_id == plan_id)
        .order_by(Intervention.position)
        .options(selectinload(Intervention.pledge))
    )
    return plan, list(rows)


# ---- recording a measure's latest value -------------------------------------------------------


def find_measure(
    session: Session, actor: Actor, plan_id: int, pledge_ref: str, measure_ref: str
) -> PledgeMeasure:
    get_plan(session, actor, plan_id)
    measure = session.scalar(
        select(PledgeMeasure)
        .join(Pledge, PledgeMeasure.pledge_id == Pledge.id)
        .where(
            Pledge.plan_id == plan_id, Pledge.ref == pledge_ref, PledgeMeasure.ref == measure_ref
        )
    )
    if measure is None:
        raise NotFound(f"no measure {measure_ref} of pledge {pledge_ref} in plan {plan_id}")
    return measure


def _decimal(value: Any, where: str, file: str | None = None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        # YAML reads 95.5 as a float: go through its shortest text so 95.5 stays 95.5.
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise InputError(f"'{value}' is not a number", field=where, file=file) from exc
    if not number.is_finite():
        raise InputError(f"'{value}' is not a finite number", field=where, file=file)
    return number


def _period(value: Any, where: str, file: str | None = None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return rules.parse_period(str(value), where).label
    except InputError as exc:
        raise InputError(exc.message, field=where, file=file) from exc


def record_latest(
    session: Session,
    actor: Actor,
    measure_id: int,
    expected_version: int | None,
    value: Any,
    period: Any,
    illustrative: bool = False,
    source: str | None = None,
) -> PledgeMeasure:
    """Record (or, with neither value nor period, clear) a measure's latest value. A save made
    from a stale version is refused with what moved since. `source` says where a value copied
    from the stored measurements came from; a typed value has none."""
    measure = session.get(PledgeMeasure, measure_id)
    if measure is None:
        raise NotFound(f"no pledge measure {measure_id}")
    plan = get_plan(session, actor, measure.plan_id)
    where = plan.area.name if plan.area else plan.system.name if plan.system else "this plan"
    require(can_record(actor, plan), f"record pledge measures of {where}'s plans")
    check_version(session, measure, "pledge_measure", expected_version, LATEST_FIELDS)
    number = _decimal(value, "latest_value")
    label = _period(period, "latest_period")
    if measure.direction is None and number is not None:
        raise InputError(
            f"measure {measure.ref} is still to be defined: it has no direction to judge a value by",
            field="latest_value",
        )
    if (number is None) != (label is None):
        raise InputError(
            "give both the latest value and the period it is for (or neither, to clear it)",
            field="latest_value" if number is None else "latest_period",
        )
    if (
        label is not None
        and measure.baseline_period
        and rules.parse_period(label).end < rules.parse_period(measure.baseline_period).end
    ):
        raise InputError(
            f"{label} ends before the baseline period {measure.baseline_period}",
            field="latest_period",
        )
    update_recorded(
        session,
        actor,
        "pledge_measure",
        measure,
        {
            "latest_value": number,
            "latest_period": label,
            "latest_illustrative": bool(illustrative) and number is not None,
            "latest_source": source[:300] if source and number is not None else None,
        },
    )
    return measure


# ---- documents: the demo's YAML --------------------------------------------------------------


def _text(item: Mapping[str, Any], name: str, where: str, file: str | None) -> str:
    value = item.get(name)
    if value is None or not str(value).strip():
        raise InputError(f"{where} needs a {name}", field=f"{where}.{name}", file=file)
    return " ".join(str(value).split())


def _optional(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None


def _figure(
    item: Mapping[str, Any], name: str, where: str, file: str | None
) -> tuple[Decimal | None, str | None]:
    given = item.get(name) or {}
    if not isinstance(given, Mapping):
        raise InputError(
            f"{where}.{name} should be a mapping with value and period",
            field=f"{where}.{name}",
            file=file,
        )
    return (
        _decimal(given.get("value"), f"{where}.{name}.value", file),
        _period(given.get("period"), f"{where}.{name}.period", file),
    )


def _measure(
    item: Mapping[str, Any], where: str, file: str | None, metric_keys: set[str]
) -> dict[str, Any]:
    baseline, baseline_period = _figure(item, "baseline", where, file)
    target, target_period = _figure(item, "target", where, file)
    latest, latest_period = _figure(item, "latest", where, file)
    direction: str | None = None
    # A measure still to be defined has no direction yet; one with any figure needs it.
    if item.get("direction") is not None or any(v is not None for v in (baseline, target, latest)):
        try:
            direction = rules.check_direction(item.get("direction"), f"{where}.direction")
        except InputError as exc:
            raise InputError(exc.message, field=exc.field, file=file) from exc
        try:
            rules.check_figures(direction, baseline, baseline_period, target, target_period)
        except InputError as exc:
            raise InputError(exc.message, field=f"{where}.{exc.field}", file=file) from exc
    if (latest is None) != (latest_period is None):
        raise InputError(
            "a latest value needs its period (and a period its value)",
            field=f"{where}.latest",
            file=file,
        )
    metric = _optional(item, "metric")
    if metric is not None and metric not in metric_keys:
        raise InputError(
            f"no metric {metric} in the metric catalogue", field=f"{where}.metric", file=file
        )
    latest_given = item.get("latest") or {}
    return {
        "ref": _text(item, "ref", where, file),
        "name": _text(item, "name", where, file),
        "definition": _optional(item, "definition"),
        "metric_key": metric,
        "unit": _optional(item, "unit"),
        "direction": direction,
        "baseline_value": baseline,
        "baseline_period": baseline_period,
        "target_value": target,
        "target_period": target_period,
        "latest_value": latest,
        "latest_period": latest_period,
        "latest_illustrative": bool(latest_given.get("illustrative", False)) and latest is not None,
        "source": _optional(item, "source"),
        "note": _optional(item, "note"),
        "illustrative": bool(item.get("illustrative", False)),
    }


@dataclass
class _Planned:
    pledge: dict[str, Any]
    partnerships: list[dict[str, Any]]
    measures: list[dict[str, Any]]


def _plan_pledges(
    items: Sequence[Mapping[str, Any]],
    file: str | None,
    bodies: dict[str, int],
    metric_keys: set[str],
) -> list[_Planned]:
    planned: list[_Planned] = []
    refs: set[str] = set()
    for n, item in enumerate(items):
        where = f"pledges[{n}]"
        ref = _text(item, "ref", where, file)
        if ref in refs:
            raise InputError(f"pledge {ref} is given twice", field=f"{where}.ref", file=file)
        refs.add(ref)
        number = item.get("number", ref)
        if not str(number).isdigit():
            raise InputError(
                f"'{number}' is not a pledge number", field=f"{where}.number", file=file
            )
        partnerships = []
        for p_n, given in enumerate(item.get("accountable") or []):
            p_where = f"{where}.accountable[{p_n}]"
            body_key = _optional(given, "body")
            if body_key is not None and body_key not in bodies:
                raise InputError(
                    f"no governance body {body_key}", field=f"{p_where}.body", file=file
                )
            partnerships.append(
                {
                    "name": _text(given, "name", p_where, file),
                    "body_id": bodies[body_key] if body_key else None,
                    "position": p_n,
                }
            )
        if not partnerships:
            raise InputError(
                f"pledge {ref} needs its accountable partnership",
                field=f"{where}.accountable",
                file=file,
            )
        measures = []
        measure_refs: set[str] = set()
        for m_n, given in enumerate(item.get("measures") or []):
            measure = _measure(given, f"{where}.measures[{m_n}]", file, metric_keys)
            if measure["ref"] in measure_refs:
                raise InputError(
                    f"measure {measure['ref']} is given twice",
                    field=f"{where}.measures[{m_n}].ref",
                    file=file,
                )
            measure_refs.add(measure["ref"])
            measures.append({**measure, "position": m_n})
        planned.append(
            _Planned(
                {
                    "ref": ref,
                    "number": int(str(number)),
                    "title": _text(item, "title", where, file),
                    "statement": _text(item, "statement", where, file),
                    "priority": _optional(item, "priority"),
                    "description": _optional(item, "description"),
                    "source": _optional(item, "source"),
                    "position": n,
                },
                partnerships,
                measures,
            )
        )
    return planned


def _plan_interventions(
    tables: Sequence[Mapping[str, Any]], file: str | None, pledge_refs: set[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for t_n, table in enumerate(tables):
        t_where = f"interventions[{t_n}]"
        table_ref = _text(table, "table", t_where, file)
        table_pledge = _optional(table, "pledge")
        for i_n, item in enumerate(table.get("items") or []):
            where = f"{t_where}.items[{i_n}]"
            number = _text(item, "number", where, file)
            if (table_ref, number) in seen:
                raise InputError(
                    f"{table_ref} intervention {number} is given twice",
                    field=f"{where}.number",
                    file=file,
                )
            seen.add((table_ref, number))
            pledge = _optional(item, "pledge") if "pledge" in item else table_pledge
            if pledge is not None and pledge not in pledge_refs:
                raise InputError(f"no pledge {pledge}", field=f"{where}.pledge", file=file)
            timeline_text = _optional(item, "timeline")
            try:
                timeline = rules.parse_timeline(timeline_text, f"{where}.timeline")
            except InputError as exc:
                raise InputError(exc.message, field=exc.field, file=file) from exc
            rows.append(
                {
                    "table_ref": table_ref,
                    "table_title": _optional(table, "title"),
                    "number": number,
                    "area": _optional(item, "area"),
                    "description": _text(item, "description", where, file),
                    "timeline": timeline_text,
                    "start_year": timeline.start_year,
                    "end_year": timeline.end_year,
                    "pledge_ref": pledge,
                    "illustrative": bool(item.get("illustrative", False)),
                    "note": _optional(item, "note"),
                    "position": len(rows),
                }
            )
    return rows


def load_document(
    session: Session,
    actor: Actor,
    plan_id: int,
    document: Mapping[str, Any],
    file: str | None = None,
) -> dict[str, int]:
    """Load a plan's pledges, their measures and accountable partnerships, and its interventions,
    into a plan that has none yet. Everything is checked before anything is written."""
    plan = get_plan(session, actor, plan_id)
    require(can_record(actor, plan), "add pledges to this plan")
    if plan.kind not in PLEDGE_KINDS:
        raise InputError(
            f"plan {plan_id} is a {plan.kind}: pledges belong to five-year or delivery plans",
            field="plan",
            file=file,
        )
    if session.scalar(select(Pledge.id).where(Pledge.plan_id == plan_id).limit(1)) is not None:
        raise InputError(f"plan {plan_id} already has pledges", field="plan", file=file)
    bodies = {key: id_ for id_, key in session.execute(select(Body.id, Body.key))}
    metric_keys = set(session.scalars(select(Metric.key)))
    planned = _plan_pledges(document.get("pledges") or [], file, bodies, metric_keys)
    interventions = _plan_interventions(
        document.get("interventions") or [], file, {p.pledge["ref"] for p in planned}
    )

    pledges = add_many_recorded(
        session, actor, "pledge", [Pledge(plan_id=plan_id, **p.pledge) for p in planned]
    )
    by_ref = {p.ref: p for p in pledges}
    add_many_recorded(
        session,
        actor,
        "pledge_partnership",
        [
            PledgePartnership(plan_id=plan_id, pledge_id=pledge.id, **values)
            for pledge, p in zip(pledges, planned, strict=True)
            for values in p.partnerships
        ],
    )
    measures = add_many_recorded(
        session,
        actor,
        "pledge_measure",
        [
            PledgeMeasure(plan_id=plan_id, pledge_id=pledge.id, **values)
            for pledge, p in zip(pledges, planned, strict=True)
            for values in p.measures
        ],
    )
    add_many_recorded(
        session,
        actor,
        "intervention",
        [
            Intervention(
                plan_id=plan_id,
                pledge_id=by_ref[row["pledge_ref"]].id if row["pledge_ref"] else None,
                **{k: v for k, v in row.items() if k != "pledge_ref"},
            )
            for row in interventions
        ],
    )
    return {
        "pledges": len(pledges),
        "measures": len(measures),
        "partnerships": sum(len(p.partnerships) for p in planned),
        "interventions": len(interventions),
    }


def load_demo_pledges(session: Session, actor: Actor) -> dict[str, int]:
    """Attach the LLR Five-Year Plan's pledges and interventions (seed 003) to its demo plan."""
    import yaml

    plan_id = session.scalar(select(Plan.id).where(Plan.key == DEMO_PLAN_KEY))
    if plan_id is None:
        raise NotFound(f"no plan {DEMO_PLAN_KEY}: load the demo's plans first")
    try:
        document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(DEMO_FILE)) from exc
    counts = load_document(session, actor, plan_id, document, str(DEMO_FILE))
    counts["measurements"] = _load_demo_measurements(session, actor, document)
    return counts


def _load_demo_measurements(session: Session, actor: Actor, document: Mapping[str, Any]) -> int:
    """The illustrative counts behind the demo's system figures, through the measures import."""
    from placeplan.measures.service import import_rows

    written = 0
    for n, item in enumerate(document.get("illustrative_measurements") or []):
        rows = [
            (r_n, {k: "" if v is None else str(v) for k, v in row.items()})
            for r_n, row in enumerate(item.get("rows") or [], start=1)
        ]
        written += import_rows(
            session,
            actor,
            _text(item, "metric", f"illustrative_measurements[{n}]", str(DEMO_FILE)),
            rows,
            file=str(DEMO_FILE),
            source=_optional(item, "source"),
            illustrative=True,
        )
    return written


# ---- plain data for the API and the CLI ---------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _share(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def measure_json(view: MeasureView, signed_in: bool = True) -> dict[str, Any]:
    m, a = view.measure, view.assessment
    out: dict[str, Any] = {
        "id": m.id,
        "ref": m.ref,
        "name": m.name,
        "definition": m.definition,
        "metric": m.metric_key,
        "unit": m.unit,
        "direction": m.direction,
        "baseline": {"value": _number(m.baseline_value), "period": m.baseline_period},
        "target": {"value": _number(m.target_value), "period": m.target_period},
        "latest": {
            "value": _number(m.latest_value),
            "period": m.latest_period,
            "illustrative": m.latest_illustrative,
            "source": m.latest_source,
        },
        "status": a.status,
        "time_elapsed": _share(a.time_elapsed),
        "expected_now": _number(a.expected.quantize(Decimal("0.01")) if a.expected else None),
        "distance_covered": _share(a.distance_covered),
        "illustrative": m.illustrative,
        "source": m.source,
        "note": m.note,
        "version": m.version,
    }
    if view.stored is not None:
        out["stored"] = view.stored.as_json(signed_in)
    return out


def pledge_json(
    view: PledgeView, with_interventions: bool = False, signed_in: bool = True
) -> dict[str, Any]:
    p = view.pledge
    out: dict[str, Any] = {
        "ref": p.ref,
        "number": p.number,
        "title": p.title,
        "statement": p.statement,
        "priority": p.priority,
        "description": p.description,
        "status": view.status,
        "accountable": [
            {"name": a.name, "body_id": a.body_id, "body": a.body.name if a.body else None}
            for a in view.accountable
        ],
        "measures": [measure_json(m, signed_in) for m in view.measures],
        "source": p.source,
    }
    if with_interventions:
        out["interventions"] = [intervention_json(i) for i in view.interventions]
    return out


def intervention_json(row: Intervention) -> dict[str, Any]:
    return {
        "id": row.id,
        "table": row.table_ref,
        "table_title": row.table_title,
        "number": row.number,
        "area": row.area,
        "description": row.description,
        "timeline": row.timeline,
        "start_year": rules.financial_year_label(row.start_year) if row.start_year else None,
        "end_year": rules.financial_year_label(row.end_year) if row.end_year else None,
        "open_ended": row.start_year is not None and row.end_year is None,
        "pledge": row.pledge.ref if row.pledge else None,
        "illustrative": row.illustrative,
        "note": row.note,
    }
