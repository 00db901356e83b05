"""The home page: the systems, plans and organisations placeplan holds, drawn from every concept."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.areas.service import list_systems
from placeplan.organisations.service import list_organisations
from placeplan.plans.service import list_plans
from placeplan.web.context import Who, db, who
from placeplan.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: Session = Depends(db), asker: Who = Depends(who)) -> Response:
    return render(
        request,
        "home.html",
        asker,
        systems=list_systems(session),
        plans=list_plans(session, asker.actor),
        organisations=list_organisations(session),
    )
