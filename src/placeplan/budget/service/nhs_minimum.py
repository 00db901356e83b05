"""A plan's NHS minimum contribution to adult social care: the baseline the area's plans must at
least match, uplifted, and where the uplift came from. The uplift can be taken from a financial
model's allocation change in the plan's year (finance.service.uplift_from): previewed with the
minimum before and after, then applied, checked against the version the person saw and audited.

The baseline itself is reference data (set_nhs_asc_baseline); the plan's editors change only its
uplift, and only from a model they may read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.rules import nhs_minimum_required_pence
from placeplan.budget.models import NhsAscBaseline
from placeplan.budget.service.baseline import NATIONAL, baseline_of, plans_of
from placeplan.budget.service.revisions import touch
from placeplan.budget.service.view import can_edit_budget
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.permissions import require
from placeplan.finance import service as finance
from placeplan.finance.models import FinanceModel
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store.changes import update_recorded
from placeplan.store.uow import check_version

KIND = "bcf_nhs_asc_baseline"
EDITABLE = ["uplift_percent", "uplift_source", "uplift_model_id"]


@dataclass(frozen=True)
class Minimum:
    """The plan's minimum: its baseline row (None when none is set for the area and year), the
    minimum required, where the uplift came from and the model it was taken from, if any."""

    plan: Plan
    baseline: NhsAscBaseline | None
    required: int | None
    source: str
    model: FinanceModel | None
    can_edit: bool
    national: Decimal | None  # the national uplift for the year, where it is known

    @property
    def below_national(self) -> bool:
        """An uplift under the national one: the national condition asks at least that."""
        return (
            self.baseline is not None
            and self.national is not None
            and self.baseline.uplift_percent < self.national
        )


def _source(row: NhsAscBaseline) -> str:
    return row.uplift_source or NATIONAL


def nhs_minimum(session: Session, actor: Actor, plan_id: int) -> Minimum:
    plan = get_plan(session, actor, plan_id)
    row = baseline_of(session, plan)
    model = None
    if row is not None and row.uplift_model_id is not None:
        model = session.get(FinanceModel, row.uplift_model_id)
    return Minimum(
        plan=plan,
        baseline=row,
        required=(
            nhs_minimum_required_pence(row.baseline_pence, row.uplift_percent) if row else None
        ),
        source=_source(row) if row else "",
        model=model,
        can_edit=can_edit_budget(actor, plan),
        national=national_uplift(plan.period_start),
    )


def national_uplift(year: int) -> Decimal | None:
    known = cat.NHS_ASC_UPLIFT.get(year)
    return Decimal(known) if known is not None else None


@dataclass(frozen=True)
class UpliftPreview:
    """What taking the uplift from `offered` would do: the uplift and minimum before and after."""

    minimum: Minimum
    offered: finance.Offered
    uplift_before: Decimal
    uplift_after: Decimal
    required_before: int
    required_after: int
    source_after: str
    version: int

    @property
    def below_national(self) -> bool:
        """The model's uplift is under the national one for the year, where that is known."""
        national = self.minimum.national
        return national is not None and self.uplift_after < national


def _editable(session: Session, actor: Actor, plan_id: int) -> tuple[Minimum, NhsAscBaseline]:
    minimum = nhs_minimum(session, actor, plan_id)
    require(minimum.can_edit, "change this plan's NHS minimum contribution")
    if minimum.baseline is None:
        raise InputError(
            "No baseline for the NHS contribution to adult social care is set for this area and "
            "year: it is set with the reference data before an uplift can be taken",
            field="model",
        )
    return minimum, minimum.baseline


def _model_id(text: str) -> int:
    if not (text or "").strip().isdigit():
        raise InputError("Choose the financial model to take the uplift from", field="model")
    return int(text)


def preview_uplift(session: Session, actor: Actor, plan_id: int, model: str) -> UpliftPreview:
    """The minimum before and after taking the plan's year's uplift from financial model
    `model` (its id, as the form sends it); nothing is written."""
    minimum, row = _editable(session, actor, plan_id)
    offered = finance.uplift_from(session, actor, _model_id(model), minimum.plan.period_start)
    assert offered.uplift is not None  # uplift_from refuses a model with none
    return UpliftPreview(
        minimum=minimum,
        offered=offered,
        uplift_before=row.uplift_percent,
        uplift_after=offered.uplift.percent,
        required_before=nhs_minimum_required_pence(row.baseline_pence, row.uplift_percent),
        required_after=nhs_minimum_required_pence(row.baseline_pence, offered.uplift.percent),
        source_after=_taken_from(offered),
        version=row.version,
    )


def _taken_from(offered: finance.Offered) -> str:
    assert offered.uplift is not None
    return f"Taken from the financial model {offered.label}: {offered.uplift.explained()}"[:500]


def take_uplift(
    session: Session, actor: Actor, plan_id: int, model: str, expected_version: int | None
) -> NhsAscBaseline:
    """Set the uplift of the plan's baseline from financial model `model`, if the baseline is
    still at `expected_version` (else a Conflict naming what moved). Audited; the budgets of
    every plan of the area and year are recomputed."""
    minimum, row = _editable(session, actor, plan_id)
    check_version(session, row, KIND, expected_version, EDITABLE)
    offered = finance.uplift_from(session, actor, _model_id(model), minimum.plan.period_start)
    assert offered.uplift is not None
    touch(session, plans_of(session, row.area_id, row.year_start))
    update_recorded(
        session,
        actor,
        KIND,
        row,
        {
            "uplift_percent": offered.uplift.percent,
            "uplift_source": _taken_from(offered),
            "uplift_model_id": offered.record.id,
        },
    )
    return row


def models_offered(session: Session, actor: Actor, plan_id: int) -> list[finance.Offered]:
    """The financial models the plan's year's uplift may be taken from."""
    plan = get_plan(session, actor, plan_id)
    return finance.models_for_year(session, actor, plan.period_start)


def minimum_and_offered(
    session: Session, actor: Actor, plan_id: int
) -> tuple[Minimum, list[finance.Offered]]:
    """The plan's minimum and, for those who may change it, the models offered (as the page)."""
    minimum = nhs_minimum(session, actor, plan_id)
    offered = models_offered(session, actor, plan_id) if minimum.can_edit else []
    return minimum, offered
