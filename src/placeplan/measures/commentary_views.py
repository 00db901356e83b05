"""Pages and API for the commentary on a metric's figures in an area."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.areas.models import Area
from placeplan.areas.service import get_area
from placeplan.core.errors import Conflict, InputError
from placeplan.core.permissions import require
from placeplan.measures import commentary, service
from placeplan.measures.models import Metric, MetricCommentary
from placeplan.store.uow import commit
from placeplan.web.context import Who, api_write_allowed, checked_form, db, who
from placeplan.web.forms import form_version
from placeplan.web.templating import render

router = APIRouter()


def _json(note: MetricCommentary) -> dict[str, Any]:
    return {
        "period": note.period,
        "text": note.text,
        "public": note.public,
        "author": note.author,
        "updated_at": note.updated_at.isoformat(),
        "illustrative": note.illustrative,
        "version": note.version,
    }


def _form_page(
    request: Request,
    session: Session,
    asker: Who,
    metric: Metric,
    area: Area,
    period: str | None,
    status: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    notes = commentary.commentaries(session, metric, area, public_only=False)
    periods = [r.period for r in service.series(session, metric.id, area.id)]
    chosen = period if period in periods else (periods[-1] if periods else None)
    note = notes.get(chosen) if chosen else None
    return render(
        request,
        "metric_commentary.html",
        asker,
        status_code=status,
        metric=metric,
        area=area,
        periods=list(reversed(periods)),
        chosen=chosen,
        note=note,
        error=error,
        conflict=conflict,
        typed=typed,
    )


@router.get("/areas/{gss_code}/metrics/{key}/commentary", include_in_schema=False)
def commentary_form(
    request: Request,
    gss_code: str,
    key: str,
    period: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    require(commentary.can_comment(asker.actor, area), f"comment on {area.name}'s figures")
    return _form_page(request, session, asker, metric, area, period)


@router.post("/areas/{gss_code}/metrics/{key}/commentary", include_in_schema=False)
def commentary_submit(
    request: Request,
    gss_code: str,
    key: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    typed = {k: str(form.get(k) or "") for k in ("period", "text", "public", "version")}
    try:
        commentary.set_commentary(
            session,
            asker.actor,
            metric,
            area,
            typed["period"],
            typed["text"],
            public=typed["public"] == "yes",
            version=form_version(form),
        )
        commit(session)
    except (InputError, Conflict) as exc:
        session.rollback()
        return _form_page(
            request,
            session,
            asker,
            metric,
            area,
            typed["period"],
            409 if isinstance(exc, Conflict) else 400,
            error=exc if isinstance(exc, InputError) else None,
            conflict=exc if isinstance(exc, Conflict) else None,
            typed=typed,
        )
    return RedirectResponse(f"/areas/{gss_code}/metrics/{key}#figures", status_code=303)


@router.get("/api/v1/areas/{gss_code}/metrics/{key}/commentary", tags=["metrics"])
def api_commentary(
    gss_code: str, key: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> dict[str, Any]:
    """Commentary by period; signed-out clients get the public notes only."""
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    notes = commentary.commentaries(
        session, metric, area, public_only=asker.actor.principal is None
    )
    return {
        "area_code": gss_code,
        "metric": key,
        "commentary": [_json(n) for _, n in sorted(notes.items())],
    }


class CommentaryIn(BaseModel):
    text: str = Field(max_length=commentary.MAX_CHARACTERS * 2)
    public: bool = False
    version: int | None = None


@router.put("/api/v1/areas/{gss_code}/metrics/{key}/commentary/{period}", tags=["metrics"])
def api_set_commentary(
    gss_code: str,
    key: str,
    period: str,
    body: CommentaryIn,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    area = get_area(session, gss_code)
    metric = service.get_metric(session, key)
    note = commentary.set_commentary(
        session,
        asker.actor,
        metric,
        area,
        period,
        body.text,
        public=body.public,
        version=body.version,
    )
    commit(session)
    return _json(note)
