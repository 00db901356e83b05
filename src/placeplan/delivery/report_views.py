"""Delivery reports as files and the pages that go with them: the highlight and exception reports
as Word (and PDF, where LibreOffice is installed), the exception report page, and the plan on a
page. All internal: they need a sign-in, like the tracker they are drawn from."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.core.errors import InputError
from placeplan.delivery import report_data
from placeplan.delivery.report_data import RAG_COLOURS, RAG_SHAPES, RAG_WORDS, RATINGS
from placeplan.io import delivery_report_docx as report_docx
from placeplan.io import docx_pdf as report_pdf
from placeplan.web.context import Who, db, who
from placeplan.web.templating import csv_response, render

router = APIRouter()

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RAG = {"shapes": RAG_SHAPES, "words": RAG_WORDS, "colours": RAG_COLOURS, "ratings": RATINGS}


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "no-period").lower()).strip("-")


def _file(data: bytes, media_type: str, name: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _docx_or_pdf(docx: bytes, fmt: str, stem: str) -> Response:
    if fmt == "docx":
        return _file(docx, DOCX, f"{stem}.docx")
    try:
        return _file(report_pdf.docx_to_pdf(docx), "application/pdf", f"{stem}.pdf")
    except report_pdf.PdfUnavailable as exc:
        raise HTTPException(503, f"{exc}. Download the Word file instead.") from exc


def _report_file(
    session: Session,
    asker: Who,
    plan_id: int,
    period: str | None,
    body: str | None,
    kind: str,
    fmt: str,
) -> Response:
    content = report_data.report_content(
        session, asker.actor, plan_id, period or None, body or None, kind
    )
    stem = f"plan-{plan_id}-{kind}-{_slug(content['period'])}"
    if content["body"]:
        stem += f"-body-{content['body']['id']}"
    return _docx_or_pdf(report_docx.report_docx(content), fmt, stem)


def _file_route(kind: str, fmt: str) -> Callable[..., Response]:
    def route(
        plan_id: int,
        period: str | None = None,
        body: str | None = None,
        session: Session = Depends(db),
        asker: Who = Depends(who),
    ) -> Response:
        return _report_file(session, asker, plan_id, period, body, kind, fmt)

    route.__name__ = f"{kind}_{fmt}"
    route.__doc__ = f"The {kind} report for a governance body and period as a {fmt.upper()} file."
    return route


for _kind in report_data.KINDS:
    for _fmt in ("docx", "pdf"):
        router.add_api_route(
            f"/plans/{{plan_id}}/delivery/{_kind}.{_fmt}",
            _file_route(_kind, _fmt),
            methods=["GET"],
            include_in_schema=False,
        )


_EXCEPTION_TABLES: dict[str, tuple[list[str], Callable[[dict[str, Any]], list[list[Any]]]]] = {
    "reds": (
        [
            "ref",
            "we_will",
            "theme",
            "body",
            "overall_rag",
            "change",
            "previous_rag",
            "previous_period",
            "risk_rag",
            "trajectory_rag",
            "rated_in",
            "commentary",
            "risks",
            "lead_contacts",
        ],
        lambda c: [
            [
                r["ref"],
                r["we_will"],
                r["theme"],
                r["body"] or "",
                r["overall_rag"],
                r["change"],
                r["previous_rag"] or "",
                r["previous_period"] or "",
                r["risk_rag"] or "",
                r["trajectory_rag"] or "",
                r["rated_in"] or "",
                r["commentary"] or "",
                r["risks"] or "",
                "; ".join(r["lead_contacts"] or []),
            ]
            for r in c["reds"]
        ],
    ),
    "changes": (
        ["ref", "we_will", "previous_rag", "previous_period", "overall_rag", "change"],
        lambda c: [
            [
                r["ref"],
                r["we_will"],
                r["previous_rag"] or "",
                r["previous_period"] or "",
                r["overall_rag"],
                r["change"],
            ]
            for r in c["changes"]
        ],
    ),
    "overdue": (
        ["action_ref", "milestone_ref", "by", "due"],
        lambda c: [[o["action_ref"], o["ref"], o["by"], o["due"]] for o in c["overdue"]],
    ),
    "decisions": (
        ["ref", "decision"],
        lambda c: [[d["ref"], d["decision"]] for d in c["decisions"]],
    ),
}


@router.get("/plans/{plan_id}/delivery/exception", include_in_schema=False)
def exception_page(
    request: Request,
    plan_id: int,
    period: str | None = None,
    body: str | None = None,
    format: str | None = None,
    table: str = "reds",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    content = report_data.report_content(
        session, asker.actor, plan_id, period or None, body or None, "exception"
    )
    if format == "csv":
        if table not in _EXCEPTION_TABLES:
            raise InputError(
                f"no table '{table}': expected one of {', '.join(_EXCEPTION_TABLES)}",
                field="table",
            )
        header, rows = _EXCEPTION_TABLES[table]
        name = f"plan-{plan_id}-exception-{_slug(content['period'])}-{table}.csv"
        return csv_response(name, header, rows(content))
    return render(
        request,
        "delivery/report_exception.html",
        asker,
        plan=content["plan"],
        report=content,
        bodies=report_data.plan_bodies(session, plan_id),
        rag=RAG,
        query=_query(content),
    )


def _query(content: dict[str, Any]) -> str:
    """The period and body as a query string, for the download links."""
    from urllib.parse import urlencode

    params = {}
    if content.get("period"):
        params["period"] = content["period"]
    if content.get("body"):
        params["body"] = str(content["body"]["id"])
    return urlencode(params)


ON_A_PAGE_COLUMNS = ["theme_ref", "theme", *RATINGS, "actions", "overdue_milestones"]


@router.get("/plans/{plan_id}/delivery/on-a-page", include_in_schema=False)
def on_a_page(
    request: Request,
    plan_id: int,
    period: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    content = report_data.on_a_page(session, asker.actor, plan_id, period or None)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-on-a-page-{_slug(content['period'])}.csv",
            ON_A_PAGE_COLUMNS,
            [
                [
                    t["ref"],
                    t["name"],
                    *(t["counts"][r] for r in RATINGS),
                    t["actions"],
                    t["overdue"],
                ]
                for t in content["themes"]
            ],
        )
    return render(
        request,
        "delivery/on_a_page.html",
        asker,
        plan=content["plan"],
        page=content,
        chart=report_data.chart(content),
        rag=RAG,
        query=_query(content),
    )


def _on_a_page_file(fmt: str) -> Callable[..., Response]:
    def route(
        plan_id: int,
        period: str | None = None,
        session: Session = Depends(db),
        asker: Who = Depends(who),
    ) -> Response:
        content = report_data.on_a_page(session, asker.actor, plan_id, period or None)
        stem = f"plan-{plan_id}-on-a-page-{_slug(content['period'])}"
        return _docx_or_pdf(report_docx.on_a_page_docx(content), fmt, stem)

    route.__name__ = f"on_a_page_{fmt}"
    return route


for _fmt in ("docx", "pdf"):
    router.add_api_route(
        f"/plans/{{plan_id}}/delivery/on-a-page.{_fmt}",
        _on_a_page_file(_fmt),
        methods=["GET"],
        include_in_schema=False,
    )
