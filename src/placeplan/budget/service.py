"""Operations on a plan's budget. Every write is audited in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from placeplan.budget import catalogue as cat
from placeplan.budget import rules
from placeplan.budget.core import (
    Budget,
    BudgetDocument,
    ExpenditureLine,
    Finding,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.budget.models import (
    BudgetRevision,
    ExpenditureLineRow,
    IncomeContribution,
    KloeReview,
    NhsAscBaseline,
    Scheme,
    StatedFigureRow,
    TopSliceRow,
)
from placeplan.budget.stated import StatedCheck, check_money, check_percent
from placeplan.budget.summary import SchemeChange, Summary, compare, summarise
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError, NotFound
from placeplan.core.permissions import can_edit_plan, can_manage_reference_data, require
from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store import audit
from placeplan.store.base import utcnow
from placeplan.store.changes import (
    add_many_recorded,
    add_recorded,
    update_many_recorded,
    update_recorded,
)
from placeplan.store.uow import check_version

KLOE_PARTS: dict[str, str] = {
    "value_for_money": "Value for money",
    "return_on_investment": "Return on investment",
    "outcomes": "Outcomes for people",
    "staffing": "Staffing",
    "contracting": "Contracting",
    "business_case": "Business case",
    "performance": "Performance",
    "demand_and_capacity": "Demand and capacity",
}
KLOE_RATINGS = ("good", "adequate", "requires improvement", "inadequate")
RECOMMENDATIONS = ("continue", "redesign", "recommission", "decommission")
LINE_EDITABLE = [
    "amount_pence",
    "new_pence",
    "funding_source",
    "sub_type",
    "area_of_spend",
    "commissioner",
    "nhs_share",
    "provider",
    "planned_outputs",
    "output_unit",
    "note",
]


def _schemes(session: Session, plan_id: int, with_reviews: bool = False) -> list[Scheme]:
    options = [selectinload(Scheme.lines).selectinload(ExpenditureLineRow.district)]
    if with_reviews:
        options.append(selectinload(Scheme.reviews))
    return list(
        session.scalars(
            select(Scheme).where(Scheme.plan_id == plan_id).order_by(Scheme.ref).options(*options)
        )
    )


def _income(session: Session, plan_id: int) -> list[IncomeContribution]:
    return list(
        session.scalars(
            select(IncomeContribution)
            .where(IncomeContribution.plan_id == plan_id)
            .order_by(IncomeContribution.source, IncomeContribution.id)
            .options(selectinload(IncomeContribution.contributor))
        )
    )


def _line(row: ExpenditureLineRow, scheme: Scheme) -> ExpenditureLine:
    return ExpenditureLine(
        line_id=row.ref,
        scheme_id=scheme.ref,
        scheme_name=scheme.name,
        scheme_type=scheme.scheme_type,
        category=scheme.category,
        funding_source=row.funding_source,
        amount_pence=row.amount_pence,
        new_pence=row.new_pence,
        sub_type=row.sub_type,
        area_of_spend=row.area_of_spend,
        commissioner=row.commissioner,
        nhs_share=row.nhs_share,
        provider=row.provider,
        district=row.district.key if row.district else None,
        planned_outputs=row.planned_outputs,
        output_unit=row.output_unit,
        description=row.note,
        illustrative=row.illustrative,
    )


def document_for(
    session: Session, plan: Plan, schemes: list[Scheme] | None = None
) -> BudgetDocument:
    schemes = _schemes(session, plan.id) if schemes is None else schemes
    top = session.scalars(
        select(TopSliceRow)
        .where(TopSliceRow.plan_id == plan.id)
        .options(selectinload(TopSliceRow.body))
    )
    stated = session.scalars(select(StatedFigureRow).where(StatedFigureRow.plan_id == plan.id))
    return BudgetDocument(
        year=f"{plan.period_start}-{(plan.period_start + 1) % 100:02d}",
        schemes=tuple(
            SchemeInfo(
                s.ref,
                s.name,
                s.scheme_type,
                s.category,
                s.description,
                s.start_date,
                s.end_date,
                s.desired_outcomes,
                tuple(s.metrics or ()),
                tuple(s.priorities or ()),
                s.illustrative,
            )
            for s in schemes
        ),
        lines=tuple(_line(row, s) for s in schemes for row in s.lines),
        income=tuple(
            IncomeLine(
                i.source,
                i.amount_pence,
                i.contributor.key if i.contributor else None,
                i.note,
                i.illustrative,
            )
            for i in _income(session, plan.id)
        ),
        top_slices=tuple(
            TopSlice(t.body.key, t.decided_on, t.amount_pence, t.purpose) for t in top
        ),
        stated=tuple(StatedFigure(s.what, s.text, s.cited) for s in stated),
    )


def _districts(session: Session, plan: Plan) -> tuple[str, ...]:
    if plan.area_id is None:
        return ()
    return tuple(
        session.scalars(
            select(Organisation.key)
            .where(Organisation.kind == "district_council")
            .where(Organisation.areas.any(id=plan.area_id))
        )
    )


def budget_from(session: Session, plan: Plan, document: BudgetDocument) -> Budget:
    districts = _districts(session, plan)
    baseline = None
    if plan.area_id is not None:
        baseline = session.scalar(
            select(NhsAscBaseline)
            .where(NhsAscBaseline.area_id == plan.area_id)
            .where(NhsAscBaseline.year_start == plan.period_start)
        )
    return Budget(
        year_start=plan.period_start,
        two_tier=bool(districts),
        income=document.income,
        lines=document.lines,
        top_slices=document.top_slices,
        nhs_asc_baseline_pence=baseline.baseline_pence if baseline else None,
        nhs_asc_uplift_percent=baseline.uplift_percent if baseline else None,
        districts=districts,
    )


@dataclass(frozen=True)
class BudgetView:
    plan: Plan
    document: BudgetDocument
    summary: Summary
    findings: list[Finding]
    stated: list[tuple[StatedFigure, StatedCheck | None]]
    scheme_ids: dict[str, int]  # expenditure line id -> the database id of its scheme
    reviews: list[tuple[SchemeRef, LatestReview | None]]  # each scheme with its latest review


@dataclass(frozen=True)
class SchemeRef:
    id: int
    name: str


@dataclass(frozen=True)
class LatestReview:
    reviewed_on: date
    recommendation: str


# Computed views, reused while the plan's budget revision token is unchanged. The token changes in
# the same transaction as any budget write, in whichever process; the TTL bounds the staleness of
# what the token does not cover (a district joining or leaving an area).
VIEW_TTL = 60.0
_views: dict[tuple[str, int, str], tuple[float, BudgetView]] = {}


def touch(session: Session, plan_ids: Iterable[int]) -> None:
    """Give each plan's budget a new revision token, in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    for plan_id in set(plan_ids):
        statement = upsert(BudgetRevision).values(plan_id=plan_id, token=uuid.uuid4().hex)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["plan_id"], set_={"token": statement.excluded.token}
            )
        )


def stated_checks(
    document: BudgetDocument, summary: Summary
) -> list[tuple[StatedFigure, StatedCheck | None]]:
    by_key = {c.key: c for c in summary.categories}
    scheme_total: dict[str, int] = {}
    scheme_new: dict[str, int] = {}
    for line in document.lines:
        scheme_total[line.scheme_id] = scheme_total.get(line.scheme_id, 0) + line.amount_pence
        scheme_new[line.scheme_id] = scheme_new.get(line.scheme_id, 0) + line.new_pence
    results: list[tuple[StatedFigure, StatedCheck | None]] = []
    for figure in document.stated:
        kind, _, key = figure.what.partition(":")
        check: StatedCheck | None = None
        schemes = key.split("+")
        if kind in ("scheme", "schemes") and all(s in scheme_total for s in schemes):
            check = check_money(figure.text, sum(scheme_total[s] for s in schemes))
        elif kind == "new_in_scheme" and key in scheme_new:
            check = check_money(figure.text, scheme_new[key])
        elif kind == "total":
            check = check_money(figure.text, summary.total_pence)
        elif kind == "new" and not key:
            check = check_money(figure.text, summary.new_pence)
        elif kind in ("category", "new", "share") and key in by_key:
            share = by_key[key]
            if kind == "category":
                check = check_money(figure.text, share.total_pence)
            elif kind == "new":
                check = check_money(figure.text, share.new_pence)
            else:
                check = check_percent(figure.text, share.share)
        results.append((figure, check))
    return results


def view(session: Session, actor: Actor, plan_id: int) -> BudgetView:
    """Everything the budget page shows, from one load of the plan's schemes and lines."""
    import time

    plan = get_plan(session, actor, plan_id)
    token = session.scalar(select(BudgetRevision.token).where(BudgetRevision.plan_id == plan.id))
    bind = session.get_bind()
    key = (str(bind.engine.url), plan.id, token or "")
    now = time.monotonic()
    if token is not None and (hit := _views.get(key)) is not None and now - hit[0] < VIEW_TTL:
        return replace(hit[1], plan=plan)
    schemes = _schemes(session, plan.id, with_reviews=True)
    document = document_for(session, plan, schemes)
    summary = summarise(document.lines)
    findings = rules.check(budget_from(session, plan, document))
    computed = BudgetView(
        plan,
        document,
        summary,
        findings,
        stated_checks(document, summary),
        scheme_ids={row.ref: scheme.id for scheme in schemes for row in scheme.lines},
        reviews=[
            (
                SchemeRef(scheme.id, scheme.name),
                LatestReview(scheme.reviews[0].reviewed_on, scheme.reviews[0].recommendation)
                if scheme.reviews
                else None,
            )
            for scheme in schemes
        ],
    )
    if token is not None:
        if len(_views) > 256:
            _views.clear()
        _views[key] = (now, computed)
    return computed


def submission_errors(session: Session, plan: Plan) -> list[Finding]:
    if plan.kind != "bcf_plan":
        return []
    document = document_for(session, plan)
    if not document.lines and not document.income:
        return []
    return rules.blocking(rules.check(budget_from(session, plan, document)))


def _org(session: Session, key: str | None, field: str) -> Organisation | None:
    if key is None:
        return None
    org = session.scalar(select(Organisation).where(Organisation.key == key))
    if org is None:
        raise InputError(f"no organisation with key {key}", field=field)
    return org


def load_document(
    session: Session, actor: Actor, plan_id: int, document: BudgetDocument, file: str | None = None
) -> list[Finding]:
    """Replace a draft plan's budget with the document's, if it passes every error-level rule.

    Returns the warnings. Raises InputError naming the first error, writing nothing."""
    plan = get_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    if plan.status != "draft":
        raise InputError(
            f"a {plan.status} plan's budget cannot be changed", field="status", file=file
        )
    scheme_ids = [s.scheme_id for s in document.schemes]
    if len(set(scheme_ids)) != len(scheme_ids):
        dup = next(s for s in scheme_ids if scheme_ids.count(s) > 1)
        raise InputError(f"scheme id {dup} is used more than once", field="schemes.id", file=file)
    findings = rules.check(budget_from(session, plan, document))
    errors = rules.blocking(findings)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"[{first.rule}] {first.message}{more}", field=first.field, file=file)
    existing = {scheme.ref: scheme for scheme in _schemes(session, plan.id)}
    existing_lines = {row.ref: row for scheme in existing.values() for row in scheme.lines}
    wanted_lines = {line.line_id for line in document.lines}
    for ref, row in existing_lines.items():
        if ref not in wanted_lines:
            audit.record(session, actor, "delete", "bcf_line", row.id, audit.state_of(row), None)
            row.scheme.lines.remove(row)
    for old_income in _income(session, plan.id):
        audit.record(
            session, actor, "delete", "bcf_income", old_income.id, audit.state_of(old_income), None
        )
        session.delete(old_income)
    for top_row in session.scalars(select(TopSliceRow).where(TopSliceRow.plan_id == plan.id)):
        session.delete(top_row)
    for stated_row in session.scalars(
        select(StatedFigureRow).where(StatedFigureRow.plan_id == plan.id)
    ):
        session.delete(stated_row)
    # Schemes and lines are matched by their ids, so a re-import keeps their history and reviews.
    new_schemes: list[Scheme] = []
    scheme_updates: list[tuple[Scheme, dict[str, Any]]] = []
    by_ref: dict[str, Scheme] = {}
    for info in document.schemes:
        values: dict[str, Any] = dict(
            name=info.name,
            description=info.description,
            scheme_type=info.scheme_type,
            category=info.category,
            start_date=info.start_date,
            end_date=info.end_date,
            desired_outcomes=info.desired_outcomes,
            metrics=list(info.metrics),
            priorities=list(info.priorities),
            illustrative=info.illustrative,
        )
        if info.scheme_id in existing:
            by_ref[info.scheme_id] = existing[info.scheme_id]
            scheme_updates.append((existing[info.scheme_id], values))
        else:
            by_ref[info.scheme_id] = Scheme(plan_id=plan.id, ref=info.scheme_id, **values)
            new_schemes.append(by_ref[info.scheme_id])
    add_many_recorded(session, actor, "bcf_scheme", new_schemes)
    update_many_recorded(session, actor, "bcf_scheme", scheme_updates)
    organisations = {o.key: o for o in session.scalars(select(Organisation))}
    new_lines: list[ExpenditureLineRow] = []
    line_updates: list[tuple[ExpenditureLineRow, dict[str, Any]]] = []
    for line in document.lines:
        scheme = by_ref.get(line.scheme_id)
        if scheme is None:
            raise InputError(
                f"line {line.line_id} names scheme {line.scheme_id}, which is not listed",
                field="scheme_id",
                file=file,
            )
        if line.district is not None and line.district not in organisations:
            raise InputError(
                f"no organisation with key {line.district}", field="district", file=file
            )
        values = dict(
            funding_source=line.funding_source,
            amount_pence=line.amount_pence,
            new_pence=line.new_pence,
            sub_type=line.sub_type,
            area_of_spend=line.area_of_spend,
            commissioner=line.commissioner,
            nhs_share=line.nhs_share,
            provider=line.provider,
            district=organisations.get(line.district or ""),
            planned_outputs=line.planned_outputs,
            output_unit=line.output_unit,
            note=line.description,
            illustrative=line.illustrative,
        )
        current = existing_lines.get(line.line_id)
        if current is not None:
            line_updates.append((current, {**values, "scheme": scheme}))
        else:
            new_lines.append(
                ExpenditureLineRow(plan_id=plan.id, ref=line.line_id, scheme_id=scheme.id, **values)
            )
    update_many_recorded(session, actor, "bcf_line", line_updates)
    add_many_recorded(session, actor, "bcf_line", new_lines)
    for ref, old in existing.items():
        if ref not in by_ref:
            audit.record(session, actor, "delete", "bcf_scheme", old.id, audit.state_of(old), None)
            session.delete(old)
    for income in document.income:
        add_recorded(
            session,
            actor,
            "bcf_income",
            IncomeContribution(
                plan_id=plan.id,
                source=income.source,
                amount_pence=income.amount_pence,
                contributor=_org(session, income.contributor, "contributor"),
                note=income.note,
                illustrative=income.illustrative,
            ),
        )
    for top in document.top_slices:
        body = session.scalar(select(Body).where(Body.key == top.body))
        if body is None:
            raise InputError(
                f"no governance body with key {top.body}", field="top_slices.body", file=file
            )
        add_recorded(
            session,
            actor,
            "bcf_top_slice",
            TopSliceRow(
                plan_id=plan.id,
                body=body,
                decided_on=top.decided_on,
                amount_pence=top.amount_pence,
                purpose=top.purpose,
            ),
        )
    for figure in document.stated:
        session.add(
            StatedFigureRow(
                plan_id=plan.id, what=figure.what, text=figure.text, cited=figure.source
            )
        )
    session.flush()
    touch(session, [plan.id])
    return [f for f in findings if f.severity != "error"]


def set_nhs_asc_baseline(
    session: Session,
    actor: Actor,
    area_id: int,
    year_start: int,
    baseline_pence: int,
    uplift_percent: Decimal | None = None,
    cited: str | None = None,
    illustrative: bool = False,
) -> NhsAscBaseline:
    require(
        can_manage_reference_data(actor), "set the NHS contribution to adult social care baseline"
    )
    uplift = (
        uplift_percent
        if uplift_percent is not None
        else Decimal(cat.NHS_ASC_UPLIFT.get(year_start, "0"))
    )
    # The baseline feeds every plan of that area and year: their computed views are stale now.
    touch(
        session,
        session.scalars(
            select(Plan.id).where(Plan.area_id == area_id).where(Plan.period_start == year_start)
        ),
    )
    row = session.scalar(
        select(NhsAscBaseline)
        .where(NhsAscBaseline.area_id == area_id)
        .where(NhsAscBaseline.year_start == year_start)
    )
    if row is None:
        return add_recorded(
            session,
            actor,
            "bcf_nhs_asc_baseline",
            NhsAscBaseline(
                area_id=area_id,
                year_start=year_start,
                baseline_pence=baseline_pence,
                uplift_percent=uplift,
                cited=cited,
                illustrative=illustrative,
            ),
        )
    update_recorded(
        session,
        actor,
        "bcf_nhs_asc_baseline",
        row,
        {"baseline_pence": baseline_pence, "uplift_percent": uplift, "cited": cited},
    )
    return row


def get_scheme(session: Session, actor: Actor, scheme_id: int) -> Scheme:
    scheme = session.scalar(
        select(Scheme)
        .where(Scheme.id == scheme_id)
        .options(selectinload(Scheme.lines), selectinload(Scheme.reviews))
    )
    if scheme is None:
        raise NotFound(f"no scheme {scheme_id}")
    get_plan(session, actor, scheme.plan_id)  # visibility follows the plan's
    return scheme


def update_line(
    session: Session,
    actor: Actor,
    line_id: int,
    expected_version: int | None,
    changes: dict[str, Any],
) -> ExpenditureLineRow:
    row = session.get(ExpenditureLineRow, line_id)
    if row is None:
        raise NotFound(f"no expenditure line {line_id}")
    plan = get_plan(session, actor, row.plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    if plan.status != "draft":
        raise InputError(f"a {plan.status} plan's budget cannot be changed", field="status")
    unknown = set(changes) - set(LINE_EDITABLE)
    if unknown:
        raise InputError(
            f"cannot change {', '.join(sorted(unknown))} of a line", field=min(unknown)
        )
    check_version(session, row, "bcf_line", expected_version, LINE_EDITABLE)
    for key in ("amount_pence", "new_pence"):
        if key in changes and not 0 <= int(changes[key]) <= cat.MAX_AMOUNT_PENCE:
            raise InputError("amounts run from £0 to £1bn", field=key)
    update_recorded(session, actor, "bcf_line", row, changes)
    touch(session, [row.plan_id])
    return row


def add_review(
    session: Session,
    actor: Actor,
    scheme_id: int,
    reviewed_on: date,
    parts: dict[str, dict[str, str]],
    recommendation: str,
    body_key: str | None = None,
    summary: str | None = None,
) -> KloeReview:
    scheme = get_scheme(session, actor, scheme_id)
    plan = get_plan(session, actor, scheme.plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "review this plan's schemes")
    if recommendation not in RECOMMENDATIONS:
        raise InputError(
            f"'{recommendation}' is not a recommendation: expected one of "
            f"{', '.join(RECOMMENDATIONS)}",
            field="recommendation",
        )
    for part, answer in parts.items():
        if part not in KLOE_PARTS:
            raise InputError(f"'{part}' is not a line of enquiry", field="parts")
        if answer.get("rating") not in KLOE_RATINGS:
            raise InputError(
                f"{KLOE_PARTS[part]}: rate it one of {', '.join(KLOE_RATINGS)}",
                field=f"parts.{part}.rating",
            )
    missing = [KLOE_PARTS[p] for p in KLOE_PARTS if p not in parts]
    if missing:
        raise InputError(
            f"a review rates every line of enquiry; missing {', '.join(missing)}", field="parts"
        )
    if reviewed_on > date.today():
        raise InputError("a review date cannot be in the future", field="reviewed_on")
    body = None
    if body_key:
        body = session.scalar(select(Body).where(Body.key == body_key))
        if body is None:
            raise InputError(f"no governance body with key {body_key}", field="body")
    touch(session, [scheme.plan_id])
    return add_recorded(
        session,
        actor,
        "kloe_review",
        KloeReview(
            scheme_id=scheme.id,
            reviewed_on=reviewed_on,
            reviewer=actor.principal.display_name if actor.principal else actor.name,
            body=body,
            parts=parts,
            recommendation=recommendation,
            summary=summary,
            recorded_at=utcnow(),
            recorded_by=actor.name,
        ),
    )


def previous_plan(session: Session, plan: Plan) -> Plan | None:
    if plan.area_id is None:
        return None
    return session.scalar(
        select(Plan)
        .where(Plan.area_id == plan.area_id)
        .where(Plan.kind == plan.kind)
        .where(Plan.period_start < plan.period_start)
        .order_by(Plan.period_start.desc())
        .limit(1)
    )


def changes_since_previous(
    session: Session, plan: Plan, current: BudgetDocument | None = None
) -> tuple[Plan | None, list[SchemeChange]]:
    """`current` is the plan's document when the caller already has it (the budget page does)."""
    before = previous_plan(session, plan)
    if before is None:
        return None, []
    now = current if current is not None else document_for(session, plan)
    return before, compare(document_for(session, before).lines, now.lines)


def system_summary(
    session: Session, actor: Actor, system_id: int, year_start: int
) -> tuple[list[Plan], Summary]:
    from placeplan.areas.models import Area

    plans = [
        p
        for p in session.scalars(
            select(Plan)
            .join(Area, Plan.area_id == Area.id)
            .where(Area.system_id == system_id)
            .where(Plan.kind == "bcf_plan")
            .where(Plan.period_start == year_start)
        )
    ]
    visible = [p for p in plans if p.status == "published" or actor.trusted or actor.principal]
    lines = [line for p in visible for line in document_for(session, p).lines]
    return visible, summarise(lines)


def submission_problems(session: Session, plan: Plan) -> list[str]:
    """What in the budget stops the plan being submitted, as messages (plans.submission_problems)."""
    return [finding.message for finding in submission_errors(session, plan)]
