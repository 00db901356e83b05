"""A body's board pack for a period: what the body oversees, gathered from each concept as its
pages show it. The body's area's metrics (the icon summary, and each metric's SPC chart with its
figures), the budget position of its BCF plans (plan, actual to date, forecast), the capacity
models' latest finished runs, its delivery plans' highlight and exception reports, and its
plans' pledges. The plans are those of the body's area and of its system whose period covers
the pack's year, and the delivery plans whose actions report to the body.

PERIOD is a quarter (`2025-26 Q3`, `2025-26-Q3`) or a financial year (`2025-26`, read as its
fourth quarter). Reading needs a sign-in.

A pack shows the record as at the end of its quarter (`Pack.as_at`), passed to each service it
calls: the metrics' figures, latest values and icons of periods ended by then; the delivery
reports of the latest period reported by then; actual spend to that quarter; each pledge's
status where its measures' latest figures are of periods ended by then. What the record keeps
only as it is now (the plan's current budget, the capacity models' latest runs, a pledge whose
latest figure is later) is said so in the pack (`Pack.notes`)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.budget.domain.actuals import Quarter, parse_quarter, totals
from placeplan.budget.service.actuals import spend_view
from placeplan.capacity.service import model_overview, plan_models
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound, SignInNeeded
from placeplan.core.periods import parse_period
from placeplan.core.permissions import can_read_unpublished
from placeplan.delivery.models import DeliveryAction
from placeplan.delivery.service.reads import latest_period_by
from placeplan.delivery.service.reports import report_content
from placeplan.governance.models import Body
from placeplan.measures.domain.frequency import ended_by, split_by_frequency
from placeplan.measures.domain.spc_scale import period_label, shown
from placeplan.measures.present.board_view import SummaryRow, summary_rows
from placeplan.measures.present.labels import UNIT_SUFFIX
from placeplan.measures.present.spc_view import chart_places, chart_svg, other_figures
from placeplan.measures.service.board import board
from placeplan.measures.service.figures import metric_view
from placeplan.plans.models import Plan
from placeplan.pledges.domain.status import STATUSES
from placeplan.pledges.service.reads import list_pledges


def pack_quarter(text: str) -> Quarter:
    """A quarter, or a financial year read as its fourth quarter."""
    cleaned = " ".join(str(text or "").split())
    try:
        return parse_quarter(cleaned, field="period")
    except InputError:
        pass
    try:
        year = parse_period(cleaned, field="period")
    except InputError:
        raise InputError(
            f"'{text}' is not a period for a pack: expected a quarter such as 2025-26 Q3 or a"
            " financial year such as 2025-26",
            field="period",
        ) from None
    return Quarter(year.last.start_year, 4)


def quarter_of_day(day: date) -> Quarter:
    """The quarter of the financial year `day` falls in."""
    start = day.year if day.month >= 4 else day.year - 1
    return Quarter(start, (day.month - 4) % 12 // 3 + 1)


def quarter_end(quarter: Quarter) -> date:
    """The last day of the quarter: the date a pack for it shows the record as at."""
    month = quarter.start_year * 12 + 3 + 3 * quarter.number - 1
    year, month = divmod(month, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def find_pack_body(session: Session, text: str) -> Body:
    """A body by its key or its name (case aside), or by its number as its page's address has it."""
    wanted = " ".join(str(text or "").split())
    if wanted.isdigit() and (by_id := session.get(Body, int(wanted))) is not None:
        return by_id
    found = session.scalar(select(Body).where(Body.key == wanted)) or next(
        (b for b in session.scalars(select(Body)) if b.name.casefold() == wanted.casefold()), None
    )
    if found is None:
        raise NotFound(f"no governance body '{wanted}': give a body's name or key")
    return found


@dataclass
class MetricChart:
    name: str
    svg: str | None
    unit: str
    rows: list[tuple[str, str]]  # period, figure: the chart's data table
    others: list[str] = field(default_factory=list)  # figures of another frequency, not plotted
    periods: list[str] = field(default_factory=list)  # every period shown, as the record has it


@dataclass
class Pack:
    body: Body
    quarter: Quarter
    plans: list[Plan]
    summary: list[SummaryRow]
    charts: list[MetricChart]
    budgets: list[dict[str, Any]] = field(default_factory=list)
    capacity: list[dict[str, Any]] = field(default_factory=list)
    delivery: list[dict[str, Any]] = field(default_factory=list)
    pledges: list[dict[str, Any]] = field(default_factory=list)
    as_at: date | None = None  # the record as it stood at the end of this day
    # by part ("budget", "capacity", "delivery", "pledges"): what is not shown as at `as_at`
    notes: dict[str, list[str]] = field(default_factory=dict)


def _plans(session: Session, body: Body, quarter: Quarter) -> list[Plan]:
    where = []
    if body.area_id is not None:
        where.append(Plan.area_id == body.area_id)
        if body.area is not None and body.area.system_id is not None:
            where.append(Plan.system_id == body.area.system_id)
    if body.system_id is not None:
        where.append(Plan.system_id == body.system_id)
    reporting = select(DeliveryAction.plan_id).where(DeliveryAction.body_id == body.id)
    where.append(Plan.id.in_(reporting))
    year = quarter.start_year
    return list(
        session.scalars(
            select(Plan)
            .where(or_(*where), Plan.period_start <= year, Plan.period_end >= year)
            .order_by(Plan.id)
        )
    )


def _areas(session: Session, body: Body) -> list[Area]:
    """The areas whose metrics a body oversees: its own, or every area of its system."""
    if body.area is not None:
        return [body.area]
    if body.system_id is None:
        return []
    return list(
        session.scalars(select(Area).where(Area.system_id == body.system_id).order_by(Area.name))
    )


def _charts(session: Session, actor: Actor, rows: list[SummaryRow], at: date) -> list[MetricChart]:
    charts = []
    for s in rows:
        view = metric_view(session, actor, s.row.area.gss_code, s.row.metric.key, at)
        unit = UNIT_SUFFIX.get(view.metric.unit, "")
        places = chart_places(view)
        charted = split_by_frequency(view.rows, lambda r: r.period, view.metric.frequency)[0]
        table = [(period_label(r.period), shown(r.value, places) + unit) for r in charted]
        charts.append(
            MetricChart(
                f"{view.metric.name}, {view.area.name}",
                chart_svg(view, unit),
                unit,
                table,
                other_figures(view, unit),
                [r.period for r in view.rows],
            )
        )
    return charts


def _budget(session: Session, actor: Actor, plan: Plan, quarter: Quarter) -> dict[str, Any]:
    view = spend_view(session, actor, plan.id, quarter.label)
    by: dict[str, list[Any]] = {}
    for line in view.lines:
        by.setdefault(line.category, []).append(line.position)
    return {
        "plan": plan.title,
        "quarter": quarter.label,
        "illustrative": view.illustrative,
        "rows": [(name, totals(members)) for name, members in by.items()],
        "total": totals(line.position for line in view.lines),
    }


def _mean(service: dict[str, Any], key: str) -> float | None:
    """A run's mean over its replications (None where the service has none: it never settles)."""
    found = service.get(key)
    return float(found["value"]) if isinstance(found, dict) and "value" in found else None


def _capacity(session: Session, actor: Actor, plan: Plan) -> list[dict[str, Any]]:
    found = []
    for model in plan_models(session, actor, plan.id).models:
        overview = model_overview(session, actor, model.id)
        results = (overview.run.results or {}) if overview.run else {}
        services = [
            {
                "name": s["name"],
                "kind": s["kind"],
                "demand": _mean(s, "demand_per_month"),
                "utilisation": _mean(s, "utilisation"),
                "wait": _mean(s, "mean_wait_days"),
                "within_2_days": _mean(s, "p_start_within_2_days"),
                "note": s.get("message") or "",
            }
            for s in results.get("services", {}).values()
        ]
        found.append(
            {
                "plan": plan.title,
                "name": model.name,
                "replications": results.get("replications"),
                "total_cost_pence": (results.get("total_cost_pence") or {}).get("value"),
                "services": services,
            }
        )
    return found


def _delivery(
    session: Session, actor: Actor, plan: Plan, body: Body, at: date
) -> tuple[list[dict[str, Any]], str | None]:
    """The plan's highlight and exception reports of the latest period reported by `at` (none
    when it has no actions): of the actions reporting to the body where some do, else of all;
    with a note when the plan has actions but no update reported by then."""
    reporting = set(
        session.scalars(select(DeliveryAction.body_id).where(DeliveryAction.plan_id == plan.id))
    )
    if not reporting:
        return [], None
    period = latest_period_by(session, plan.id, at)
    if period is None:
        return [], f"{plan.title}: no delivery update had been reported by {_day(at)}."
    chosen = body.id if body.id in reporting else None
    return [
        report_content(session, actor, plan.id, period, chosen, kind)
        for kind in ("highlight", "exception")
    ], None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _known_by(period: str | None, at: date) -> bool:
    """Whether a pledge measure's latest figure (of `period`) is of a period ended by `at`; a
    period the measures' rules do not read is taken as known (its status is shown as it is)."""
    if not period:
        return True
    try:
        return ended_by(period, at)
    except InputError:
        return True


def _pledges(session: Session, actor: Actor, plan: Plan, at: date) -> dict[str, Any] | None:
    """The plan's pledges with their status as at `at` where their measures' latest figures are
    of periods ended by then; a pledge measured later says its status then is not known (the
    record keeps each measure's latest figure only)."""
    _, views = list_pledges(session, actor, plan.id)
    if not views:
        return None
    later = "Not known at the quarter's end: its latest figures are for later periods"
    return {
        "plan": plan.title,
        "pledges": [
            {
                "ref": v.pledge.ref,
                "title": v.pledge.title,
                "status": STATUSES.get(v.status, v.status)
                if all(_known_by(m.measure.latest_period, at) for m in v.measures)
                else later,
                "measures": len(v.measures),
            }
            for v in views
        ],
    }


def pack_periods(session: Session, actor: Actor, body_text: str) -> tuple[Body, list[Quarter]]:
    """The body and the quarters a pack may be asked for: those of its plans' years."""
    if not can_read_unpublished(actor):
        raise SignInNeeded("sign in to make a board pack")
    body = find_pack_body(session, body_text)
    where = [Plan.area_id == body.area_id] if body.area_id is not None else []
    if body.system_id is not None:
        where.append(Plan.system_id == body.system_id)
    years: set[int] = set()
    for plan in session.scalars(select(Plan).where(or_(*where))) if where else []:
        years.update(range(plan.period_start, plan.period_end + 1))
    return body, [q for y in sorted(years) for q in Quarter(y, 4).earlier()]


def board_pack(session: Session, actor: Actor, body_text: str, period: str) -> Pack:
    """The body's pack for `period`, as the record stood at the end of that quarter."""
    if not can_read_unpublished(actor):
        raise SignInNeeded("sign in to make a board pack")
    body = find_pack_body(session, body_text)
    quarter = pack_quarter(period)
    at = quarter_end(quarter)
    plans = _plans(session, body, quarter)
    rows = summary_rows(board(session, _areas(session, body), actor, at))
    pack = Pack(body, quarter, plans, rows, _charts(session, actor, rows, at), as_at=at)
    notes: dict[str, list[str]] = {"budget": [], "capacity": [], "delivery": [], "pledges": []}
    for plan in plans:
        if plan.kind == "bcf_plan":
            pack.budgets.append(_budget(session, actor, plan, quarter))
        pack.capacity += _capacity(session, actor, plan)
        reports, missing = _delivery(session, actor, plan, body, at)
        pack.delivery += reports
        notes["delivery"] += [missing] if missing else []
        if (found := _pledges(session, actor, plan, at)) is not None:
            pack.pledges.append(found)
    if pack.budgets:
        notes["budget"].append(
            "The plan and its categories are the budget as it stands now (a change made to it"
            f" since {_day(at)} is not undone); the actual spend is that recorded to the end of"
            f" {quarter.label}."
        )
    if pack.capacity:
        notes["capacity"].append(
            "Each model's latest finished run, whenever it was made: the pack does not go back to"
            " the run that was latest at the quarter's end."
        )
    if any(x["status"].startswith("Not known") for p in pack.pledges for x in p["pledges"]):
        notes["pledges"].append(
            "A pledge's status is shown as at the quarter's end where its measures' latest"
            " figures are of periods ended by then; the record keeps only each measure's latest"
            " figure, so a pledge measured since cannot be shown as it stood."
        )
    pack.notes = {part: found for part, found in notes.items() if found}
    return pack
