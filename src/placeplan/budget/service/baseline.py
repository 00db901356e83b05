"""The NHS contribution to adult social care an area's plans must at least match."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.models import NhsAscBaseline
from placeplan.budget.service.revisions import touch
from placeplan.core.actor import Actor
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.plans.models import Plan
from placeplan.store.changes import add_recorded, update_recorded

NATIONAL = "The national uplift for the year, as the reference data gives it"


def baseline_of(session: Session, plan: Plan) -> NhsAscBaseline | None:
    """The baseline of the plan's area and first year (None when none is set)."""
    if plan.area_id is None:
        return None
    return session.scalar(
        select(NhsAscBaseline)
        .where(NhsAscBaseline.area_id == plan.area_id)
        .where(NhsAscBaseline.year_start == plan.period_start)
    )


def plans_of(session: Session, area_id: int, year_start: int) -> list[int]:
    """The plans a baseline feeds: every plan of its area and year."""
    return list(
        session.scalars(
            select(Plan.id).where(Plan.area_id == area_id).where(Plan.period_start == year_start)
        )
    )


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
    touch(session, plans_of(session, area_id, year_start))
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
        {
            "baseline_pence": baseline_pence,
            "uplift_percent": uplift,
            "cited": cited,
            # set here, the uplift is the reference data's again, not a financial model's
            "uplift_source": None,
            "uplift_model_id": None,
        },
    )
    return row
