"""Reading a plan's budget out of its rows: the BudgetDocument, and the Budget the rules check
(the document with the area's districts and NHS baseline)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.budget.domain.core import (
    Budget,
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.budget.models import (
    ExpenditureLineRow,
    IncomeContribution,
    NhsAscBaseline,
    Scheme,
    StatedFigureRow,
    TopSliceRow,
)
from placeplan.core.periods import FinancialYear
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan


def schemes_of(session: Session, plan_id: int, with_reviews: bool = False) -> list[Scheme]:
    # Each line's district joined in: a plan's whole budget in two statements (schemes, then lines).
    options = [selectinload(Scheme.lines).joinedload(ExpenditureLineRow.district)]
    if with_reviews:
        options.append(selectinload(Scheme.reviews))
    return list(
        session.scalars(
            select(Scheme).where(Scheme.plan_id == plan_id).order_by(Scheme.ref).options(*options)
        )
    )


def income_of(session: Session, plan_id: int) -> list[IncomeContribution]:
    return list(
        session.scalars(
            select(IncomeContribution)
            .where(IncomeContribution.plan_id == plan_id)
            .order_by(IncomeContribution.source, IncomeContribution.id)
            .options(joinedload(IncomeContribution.contributor))
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
    schemes = schemes_of(session, plan.id) if schemes is None else schemes
    top = session.scalars(
        select(TopSliceRow)
        .where(TopSliceRow.plan_id == plan.id)
        .options(joinedload(TopSliceRow.body))
    )
    stated = session.scalars(select(StatedFigureRow).where(StatedFigureRow.plan_id == plan.id))
    return BudgetDocument(
        year=FinancialYear(plan.period_start).label,
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
            for i in income_of(session, plan.id)
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
