"""Assurance's JSON API under /api/v1, scoped exactly as its pages are: the dashboard and each
plan's assurance record are a regional assurer's for their regions' plans (a national assurer's for
every plan); nobody else reads them, and a plan's own editors cannot write them. A save carries
the version it was read at (0 before the first save): a stale one answers 409 with what changed.
The comparisons (league tables, funnel plots, spend per head) read published figures: anyone
signed in, within a regional assurer's regions unless a region is asked for."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.assurance import service as assurance
from placeplan.assurance.present.schemas import (
    AssuranceOut,
    DashboardOut,
    FunnelOut,
    LeagueOut,
    SpendPerHeadOut,
    assurance_json,
    dashboard_json,
    funnel_json,
    league_json,
    spend_json,
)
from placeplan.assurance.service import comparisons
from placeplan.web.context import Who, api_write_allowed, db, who
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["assurance"])

YEAR = Query(None, ge=2000, le=2100, description="the year the plans start, e.g. 2025 for 2025-26")


@router.get("/assurance", response_model=DashboardOut)
def api_dashboard(
    year: int | None = YEAR,
    region: str | None = Query(None, max_length=20, description="an NHS region's code"),
    system: str | None = Query(None, max_length=20, description="a system's code"),
    status: str | None = Query(None, max_length=20),
    rating: str | None = Query(None, max_length=30, description="a rating's key, or not_rated"),
    escalated: bool | None = None,
    page: int = Query(1, ge=1, le=10_000),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> DashboardOut:
    """Every BCF plan of the year in the asker's scope (the latest year by default), filtered,
    50 a page, with its checklist standing and rating, and the counts of every plan kept."""
    filters = assurance.Filters(
        year=year,
        region=region or None,
        system=system or None,
        status=status or None,
        rating=rating or None,
        escalated=escalated,
    )
    return dashboard_json(assurance.dashboard(session, asker.actor, filters, page))


@router.get("/assurance/plans/{plan_id}", response_model=AssuranceOut)
def api_assurance(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> AssuranceOut:
    """A plan's assurance record: the national checklist, rating, conditions and escalation."""
    return assurance_json(assurance.assurance_view(session, asker.actor, plan_id))


class AssuranceIn(BaseModel):
    """The whole of the assurer's part: an answer left out (or "") is not yet given."""

    version: int = Field(ge=0, le=2**31 - 1, description="the version read; 0 before the first")
    answers: dict[str, str] = Field(
        default_factory=dict, description="yes or no by checklist item key"
    )
    rating: str | None = Field(None, description="approved, approved_with_conditions, not_approved")
    conditions: str | None = None
    comments: str | None = None
    escalated: bool = False
    escalation_note: str | None = None


@router.put("/assurance/plans/{plan_id}", response_model=AssuranceOut)
def api_save_assurance(
    plan_id: int,
    body: AssuranceIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> AssuranceOut:
    """Save the assurer's answers, rating, conditions, comments and escalation."""
    committed(
        session,
        assurance.save_assurance(
            session,
            asker.actor,
            plan_id,
            body.version,
            answers=body.answers,
            rating=body.rating,
            conditions=body.conditions,
            comments=body.comments,
            escalated=body.escalated,
            escalation_note=body.escalation_note,
        ),
    )
    return assurance_json(assurance.assurance_view(session, asker.actor, plan_id))


REGION = Query(None, max_length=20, description="an NHS region's code; default the asker's scope")


@router.get("/comparisons/spend", response_model=SpendPerHeadOut)
def api_spend(
    year: int | None = YEAR,
    region: str | None = REGION,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> SpendPerHeadOut:
    """Each area's planned BCF spend by category, and per head of its population."""
    return spend_json(comparisons.spend_per_head(session, asker.actor, year, region or None))


@router.get("/comparisons/{key}/league", response_model=LeagueOut)
def api_league(
    key: str, region: str | None = REGION, session: Session = Depends(db), asker: Who = Depends(who)
) -> LeagueOut:
    """A metric's league table: each area's latest value, variation, assurance and ambition."""
    return league_json(comparisons.league(session, asker.actor, key, region or None))


@router.get("/comparisons/{key}/funnel", response_model=FunnelOut)
def api_funnel(
    key: str, region: str | None = REGION, session: Session = Depends(db), asker: Who = Depends(who)
) -> FunnelOut:
    """A metric's funnel plot: each area's latest figure against its population, with limits."""
    return funnel_json(comparisons.funnel_view(session, asker.actor, key, region or None))
