"""The regional dashboard and each plan's assurance: pages for regional and national assurers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.assurance import domain, present
from placeplan.assurance import service as assurance
from placeplan.core.errors import Conflict, InputError
from placeplan.pledges.io import xlsx
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import XLSX, download
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter()


def _year(year: str | None) -> int | None:
    if year is None or year == "":
        return None
    if not (year.isdigit() and len(year) == 4):
        raise InputError(f"'{year}' is not a year: expected e.g. 2025 for 2025-26", field="year")
    return int(year)


@router.get("/assurance", include_in_schema=False)
def dashboard_page(
    request: Request,
    year: str | None = None,
    region: str | None = None,
    system: str | None = None,
    status: str | None = None,
    rating: str | None = None,
    escalated: str | None = None,
    page: int = 1,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    filters = assurance.Filters(
        year=_year(year),
        region=region or None,
        system=system or None,
        status=status or None,
        rating=rating or None,
        escalated={"yes": True, "no": False}.get(escalated or ""),
    )
    board = assurance.dashboard(session, asker.actor, filters, page)
    name = f"assurance-{present.year_label(board.year)}"
    if format == "csv":
        return csv_response(f"{name}.csv", present.HEADER, map(present.row_values, board.rows))
    if format == "xlsx":
        return download(xlsx.table_bytes(present.table(board)), XLSX, f"{name}.xlsx")
    return render(
        request,
        "assurance/dashboard.html",
        asker,
        board=board,
        year_label=present.year_label,
        ratings=present.RATING_LABELS,
        tags=present.RATING_TAGS,
        query=request.url.query,
        page_link=lambda n: (
            "/assurance?"
            + urlencode(
                [
                    *((k, v) for k, v in request.query_params.multi_items() if k != "page"),
                    ("page", n),
                ]
            )
        ),
    )


def _assurance_page(
    request: Request,
    asker: Who,
    view: assurance.AssuranceView,
    status: int = 200,
    error: InputError | None = None,
    conflict: Conflict | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "assurance/plan.html",
        asker,
        status_code=status,
        view=view,
        ratings=domain.RATINGS,
        tags=present.RATING_TAGS,
        error=error,
        conflict=conflict,
        typed=typed,
        year_label=present.year_label,
    )


@router.get("/assurance/plans/{plan_id}", include_in_schema=False)
def assurance_page(
    request: Request, plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    return _assurance_page(request, asker, assurance.assurance_view(session, asker.actor, plan_id))


FIELDS = (
    "rating",
    "conditions",
    "comments",
    "escalated",
    "escalation_note",
    "version",
    *(f"answer_{key}" for key in domain.ITEM_KEYS),
)


@router.post("/assurance/plans/{plan_id}", include_in_schema=False)
def assurance_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, *FIELDS)

    def again(exc: Refused, status: int) -> Response:
        view = assurance.assurance_view(session, asker.actor, plan_id)
        return _assurance_page(request, asker, view, status, typed=typed, **refusal(exc))

    return save(
        session,
        lambda: assurance.save_assurance(
            session,
            asker.actor,
            plan_id,
            required_version(form),
            answers={key: typed[f"answer_{key}"] for key in domain.ITEM_KEYS},
            rating=typed["rating"] or None,
            conditions=typed["conditions"],
            comments=typed["comments"],
            escalated=typed["escalated"] == "yes",
            escalation_note=typed["escalation_note"],
        ),
        then=f"/assurance/plans/{plan_id}",
        again=again,
        notice="Assurance saved",
    )
