"""Delivery reports as files and the pages that go with them: the highlight and exception reports
as Word (and PDF, where LibreOffice is installed), the exception report page, and the plan on a
page. All internal: they need a sign-in, like the tracker they are drawn from."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from placeplan.core.errors import InputError
from placeplan.delivery import present, service
from placeplan.delivery.io import report_docx
from placeplan.delivery.service.reports import KINDS
from placeplan.io import docx_pdf as report_pdf
from placeplan.web.context import Who, db, who
from placeplan.web.downloads import DOCX, PDF, download
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)


def _docx_or_pdf(docx: bytes, fmt: str, stem: str) -> Response:
    if fmt == "docx":
        return download(docx, DOCX, f"{stem}.docx")
    try:
        return download(report_pdf.docx_to_pdf(docx), PDF, f"{stem}.pdf")
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
    content = service.report_content(
        session, asker.actor, plan_id, period or None, body or None, kind
    )
    stem = f"plan-{plan_id}-{kind}-{present.slug(content['period'])}"
    if content["body"]:
        stem += f"-body-{content['body']['id']}"
    compose = service.house_style.call(session, asker.actor)
    return _docx_or_pdf(report_docx.report_docx(content, compose), fmt, stem)


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


for _kind in KINDS:
    for _fmt in ("docx", "pdf"):
        router.add_api_route(
            f"/plans/{{plan_id}}/delivery/{_kind}.{_fmt}",
            _file_route(_kind, _fmt),
            methods=["GET"],
            include_in_schema=False,
        )


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
    content = service.report_content(
        session, asker.actor, plan_id, period or None, body or None, "exception"
    )
    if format == "csv":
        if table not in present.EXCEPTION_TABLES:
            raise InputError(
                f"no table '{table}': expected one of {', '.join(present.EXCEPTION_TABLES)}",
                field="table",
            )
        header, rows = present.EXCEPTION_TABLES[table]
        name = f"plan-{plan_id}-exception-{present.slug(content['period'])}-{table}.csv"
        return csv_response(name, header, rows(content))
    return render(
        request,
        "delivery/report_exception.html",
        asker,
        plan=content["plan"],
        report=content,
        bodies=service.plan_bodies(session, plan_id),
        rag=present.RAG,
        query=present.report_query(content),
    )


@router.get("/plans/{plan_id}/delivery/on-a-page", include_in_schema=False)
def on_a_page(
    request: Request,
    plan_id: int,
    period: str | None = None,
    format: str | None = None,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    content = service.on_a_page(session, asker.actor, plan_id, period or None)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-on-a-page-{present.slug(content['period'])}.csv",
            present.ON_A_PAGE_COLUMNS,
            present.on_a_page_rows(content),
        )
    return render(
        request,
        "delivery/on_a_page.html",
        asker,
        plan=content["plan"],
        page=content,
        chart=present.chart(content),
        rag=present.RAG,
        query=present.report_query(content),
    )


def _on_a_page_file(fmt: str) -> Callable[..., Response]:
    def route(
        plan_id: int,
        period: str | None = None,
        session: Session = Depends(db),
        asker: Who = Depends(who),
    ) -> Response:
        content = service.on_a_page(session, asker.actor, plan_id, period or None)
        stem = f"plan-{plan_id}-on-a-page-{present.slug(content['period'])}"
        compose = service.house_style.call(session, asker.actor)
        return _docx_or_pdf(report_docx.on_a_page_docx(content, compose), fmt, stem)

    route.__name__ = f"on_a_page_{fmt}"
    return route


for _fmt in ("docx", "pdf"):
    router.add_api_route(
        f"/plans/{{plan_id}}/delivery/on-a-page.{_fmt}",
        _on_a_page_file(_fmt),
        methods=["GET"],
        include_in_schema=False,
    )
