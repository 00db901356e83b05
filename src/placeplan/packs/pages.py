"""A body's board pack: the page that offers it (choose the quarter) and the PDF. Signed in."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.packs.io.pdf import html_to_pdf
from placeplan.packs.present import pack_filename, pack_html
from placeplan.packs.service import board_pack, pack_periods, quarter_of_day
from placeplan.web.context import Who, db, who
from placeplan.web.downloads import PDF, download
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/bodies/{body_id}/pack")
def pack_page(
    request: Request, body_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    body, quarters = pack_periods(session, asker.actor, str(body_id))
    return render(
        request,
        "packs/offer.html",
        asker,
        body=body,
        quarters=quarters,
        chosen=quarter_of_day(date.today()),
    )


@router.get("/bodies/{body_id}/pack.pdf")
def pack_pdf(
    body_id: int, period: str, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    pack = board_pack(session, asker.actor, str(body_id), period)
    return download(html_to_pdf(pack_html(pack)), PDF, pack_filename(pack))
