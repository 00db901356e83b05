"""The home page: signed out, the systems, plans and organisations placeplan holds; signed in,
first what waits for the person (sign-offs to decide, actions to update, plans in draft, metrics
showing new special-cause variation), drawn from every concept. A regional or national assurer's
home is their year of BCF plans in brief (the plans awaiting their rating, the escalations, the
counts by status) with links to the dashboard and the plans, never every plan of England: its
size follows their areas, not the years of plans held."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.areas.service import list_systems
from placeplan.assurance.present import RATING_LABELS, year_label
from placeplan.assurance.service import Dashboard, Filters, Row, dashboard
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.delivery.service import ActionsDue, actions_to_update
from placeplan.measures.present.labels import VARIATION
from placeplan.measures.service import BoardRow, board
from placeplan.organisations.service import list_organisations
from placeplan.plans.models import Plan, SignOffStep
from placeplan.plans.service import drafts_of_mine, list_plans, step_name, steps_to_decide
from placeplan.web.context import Who, db, who
from placeplan.web.templating import render

router = APIRouter()
# The SPC readings the board gives when a metric's latest point is special-cause variation.
SPECIAL_CAUSE = ("improvement", "concern", "neutral")
ASSURERS = ("regional_assurer", "national_assurer")
# How many plans each of the assurer's lists names before pointing to the dashboard's full list.
LISTED = 10


@dataclass
class Waiting:
    decisions: list[tuple[Plan, SignOffStep, str]] = field(default_factory=list)
    actions: list[ActionsDue] = field(default_factory=list)
    drafts: list[Plan] = field(default_factory=list)
    signals: list[BoardRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.decisions or self.actions or self.drafts or self.signals)


def waiting_for(session: Session, actor: Actor, systems: list[Any]) -> Waiting | None:
    """What waits for a signed-in person; None for a signed-out visitor."""
    principal = actor.principal
    if principal is None:
        return None
    mine = [a for s in systems for a in s.areas if a.id in principal.area_ids]
    return Waiting(
        decisions=[(p, s, step_name(s)) for p, s in steps_to_decide(session, actor)],
        actions=actions_to_update(session, actor),
        drafts=drafts_of_mine(session, actor),
        # The board is computed once per measures revision and reused: cheap to ask again.
        signals=[r for r in board(session, mine, actor) if r.variation in SPECIAL_CAUSE]
        if mine
        else [],
    )


@dataclass
class Assuring:
    """An assurer's year of BCF plans in brief: the dashboard's counts and its first rows."""

    board: Dashboard
    awaiting: list[Row]  # submitted and not yet rated by an assurer
    escalated: list[Row]

    @property
    def awaiting_count(self) -> int:
        return sum(1 for r in self.board.rows if _awaits(r))


def _awaits(row: Row) -> bool:
    return row.status == "submitted" and row.rating is None


def is_assurer(actor: Actor) -> bool:
    return actor.principal is not None and actor.principal.role in ASSURERS


def assuring(session: Session, actor: Actor) -> Assuring | None:
    """An assurer's brief; None before any BCF plan is held."""
    try:
        board = dashboard(session, actor, Filters())
    except InputError:  # no BCF plans yet: the home says so rather than failing
        return None
    return Assuring(
        board,
        [r for r in board.rows if _awaits(r)][:LISTED],
        [r for r in board.rows if r.escalated][:LISTED],
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: Session = Depends(db), asker: Who = Depends(who)) -> Response:
    if is_assurer(asker.actor):
        brief = assuring(session, asker.actor)
        return render(
            request,
            "home_assurer.html",
            asker,
            brief=brief,
            year=year_label(brief.board.year) if brief else None,
            ratings=RATING_LABELS,
        )
    systems = list_systems(session)
    return render(
        request,
        "home.html",
        asker,
        systems=systems,
        plans=list_plans(session, asker.actor),
        organisations=list_organisations(session),
        waiting=waiting_for(session, asker.actor, systems),
        variation=VARIATION,
    )
