"""The demo's actual spend and returns (data/actuals_*.yaml): illustrative, and loaded as such."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.service.actuals import load_spend
from placeplan.core.actor import Actor
from placeplan.plans.models import Plan
from placeplan.returns.service import confirm_return, save_return


def load_demo_returns(session: Session, actor: Actor, data: dict[str, Any]) -> int:
    """A plan's spend and its returns, in quarter order; returns how many spend rows."""
    plan = session.scalar(select(Plan).where(Plan.key == data["plan"]))
    if plan is None:
        return 0
    illustrative = bool(data.get("illustrative"))
    written = load_spend(session, actor, plan.id, list(data["spend"]), illustrative)
    for item in data.get("returns") or []:
        said = {k: v for k, v in item.items() if k not in ("quarter", "confirm", "confirmed_by")}
        row = save_return(session, actor, plan.id, str(item["quarter"]), said)
        row.illustrative = illustrative
        if item.get("confirm"):
            # Confirmed under the (illustrative) name of whoever the data says confirmed it.
            by = replace(actor, name=str(item.get("confirmed_by") or actor.name))
            confirm_return(session, by, plan.id, str(item["quarter"]), None)
    return written
