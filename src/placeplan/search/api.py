"""The JSON API of search."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from placeplan.search import service
from placeplan.search.present import SearchOut, search_out
from placeplan.web.context import Who, db, who

router = APIRouter()


@router.get("/api/v1/search", response_model=SearchOut, tags=["search"])
def api_search(q: str = "", session: Session = Depends(db), asker: Who = Depends(who)) -> SearchOut:
    query = q.strip()[:200]
    return search_out(query, service.search(session, asker.actor, query))
