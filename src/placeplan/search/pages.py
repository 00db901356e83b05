"""The search page: one box, results grouped by kind."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from placeplan.search import service
from placeplan.search.domain import words
from placeplan.web.context import Who, db, who
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, q: str = "", session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    query = q.strip()[:200]
    groups = service.search(session, asker.actor, query) if words(query) else []
    return render(
        request,
        "search/results.html",
        asker,
        query=query,
        groups=groups,
        total=sum(len(g.hits) for g in groups),
    )
