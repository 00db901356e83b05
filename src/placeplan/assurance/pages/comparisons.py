"""Comparisons across areas: each metric's league table and funnel plot, each with its data
table and download."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.assurance import present
from placeplan.assurance.service import comparisons
from placeplan.measures.present.labels import UNIT_SUFFIX
from placeplan.measures.present.spc_icons import assurance_icon, variation_icon
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()


@router.get("/comparisons/{key}/league", include_in_schema=False)
def league_page(
    request: Request,
    key: str,
    region: str | None = None,
    page: int = 1,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = comparisons.league(session, asker.actor, key, region or None, page)
    if format == "csv":
        return csv_response(f"league-{key}.csv", present.LEAGUE_HEADER, present.league_rows(found))
    return render(
        request,
        "assurance/league.html",
        asker,
        found=found,
        rows=present.league_rows(found),
        variation_icon=variation_icon,
        assurance_icon=assurance_icon,
        unit=UNIT_SUFFIX.get(found.metric.unit, ""),
        region=region or "",
        page_link=lambda n: (
            f"/comparisons/{key}/league?"
            + urlencode({**({"region": region} if region else {}), "page": n})
        ),
    )


@router.get("/comparisons/{key}/funnel", include_in_schema=False)
def funnel_page(
    request: Request,
    key: str,
    region: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = comparisons.funnel_view(session, asker.actor, key, region or None)
    rows = present.funnel_rows(found.shape) if found.shape else []
    if format == "csv":
        return csv_response(f"funnel-{key}.csv", present.FUNNEL_HEADER, rows)
    chart = present.funnel_chart(found.shape) if found.shape and found.shape.points else None
    return render(
        request,
        "assurance/funnel.html",
        asker,
        found=found,
        rows=rows,
        chart=chart,
        unit=UNIT_SUFFIX.get(found.metric.unit, ""),
        region=region or "",
    )


@router.get("/comparisons/spend", include_in_schema=False)
def spend_page(
    request: Request,
    year: int | None = None,
    region: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = comparisons.spend_per_head(session, asker.actor, year, region or None)
    rows = present.spend_rows(found)
    if format == "csv":
        return csv_response(f"spend-per-head-{found.year}.csv", present.spend_header(found), rows)
    return render(
        request,
        "assurance/spend.html",
        asker,
        found=found,
        header=present.spend_header(found),
        rows=rows,
        region=region or "",
        year_label=present.year_label,
    )
