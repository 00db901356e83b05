"""The JSON API of actual spend and returns: a plan's spend at a quarter, one line's spend for a
quarter recorded, a ledger extract's rows checked and applied (or, with dry_run, only checked),
and a return."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from placeplan.budget.domain.actuals import PROFILE_RULE
from placeplan.budget.io.ledger import ledger_csv
from placeplan.budget.service import actuals
from placeplan.returns.present import (
    ReturnOut,
    SpendIn,
    SpendOut,
    return_out,
    spend_out,
)
from placeplan.returns.service import return_view
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.differences import DifferencesOut
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1/plans/{plan_id}", tags=["returns"])


@router.get("/spend", response_model=SpendOut)
def api_spend(
    plan_id: int,
    quarter: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> SpendOut:
    """Every expenditure line at the end of `quarter` (default: the latest with spend)."""
    return spend_out(actuals.spend_view(session, asker.actor, plan_id, quarter), PROFILE_RULE)


@router.put("/spend/lines/{line_ref}/{quarter}", response_model=SpendOut)
def api_record_spend(
    plan_id: int,
    line_ref: str,
    quarter: str,
    body: SpendIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> SpendOut:
    """Record a line's spend for a quarter (pence); `version` of its spend row when it has one."""
    values = body.model_dump(exclude={"version"})
    committed(
        session,
        actuals.record_spend(
            session, asker.actor, plan_id, line_ref, quarter, values, body.version
        ),
    )
    return spend_out(actuals.spend_view(session, asker.actor, plan_id, quarter), PROFILE_RULE)


class LedgerRowIn(BaseModel):
    line: str
    quarter: str
    actual_pence: int
    forecast_pence: int | None = None
    commentary: str | None = None


class LedgerIn(BaseModel):
    rows: list[LedgerRowIn]


class LedgerOut(BaseModel):
    plan_id: int
    applied: bool
    differences: DifferencesOut


@router.post("/spend/ledger", response_model=LedgerOut)
def api_ledger(
    plan_id: int,
    body: LedgerIn,
    dry_run: bool = False,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Ledger rows checked as an uploaded extract is (rows numbered from 2, as in a file) and,
    unless `dry_run`, applied; a refused row is named and nothing is written."""
    content = ledger_csv(
        [(r.line, r.quarter, r.actual_pence, r.forecast_pence, r.commentary) for r in body.rows]
    ).encode()
    name = "rows sent through the API"
    if dry_run:
        found = actuals.compare_ledger(session, asker.actor, plan_id, name, content).differences
    else:
        held = actuals.preview_ledger(session, asker.actor, plan_id, name, content)
        found = committed(
            session, actuals.confirm_ledger(session, asker.actor, plan_id, held.token or "")
        )
    return {"plan_id": plan_id, "applied": not dry_run, "differences": found.as_json()}


@router.get("/returns/{quarter}", response_model=ReturnOut)
def api_return(
    plan_id: int, quarter: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> ReturnOut:
    """The plan's return for `quarter`: as confirmed, or as the record gives it now."""
    return return_out(return_view(session, asker.actor, plan_id, quarter))
