"""The narrative's pages: the plan's narrative heading by heading (with its CSV, the Word file and
the capacity and demand plan), a block's editor, its review state, its versions and their
differences; and an organisation's Word template (house style)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import Conflict
from placeplan.narrative import present
from placeplan.narrative.domain.headings import REVIEW_STATES, length_warning
from placeplan.narrative.domain.placeholders import PLACEHOLDERS
from placeplan.narrative.io.cd_workbook import workbook_bytes
from placeplan.narrative.io.house_style import default_template
from placeplan.narrative.service import blocks, document, styles
from placeplan.narrative.service.capacity_plan import require_plan
from placeplan.narrative.service.uec import add_priority, priorities, scheme_choices
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.downloads import DOCX, XLSX, download
from placeplan.web.forms import Refused, form_text, form_version, refusal, required_version, save
from placeplan.web.templating import csv_response, render

router = APIRouter(include_in_schema=False)

# A page sizes the P2 gap with fewer replications than the command line's 40: the person waits.
PAGE_REPLICATIONS = 20


@router.get("/plans/{plan_id}/narrative")
def narrative_page(
    request: Request,
    plan_id: int,
    format: str = "",
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = blocks.narrative(session, asker.actor, plan_id)
    if format == "csv":
        return csv_response(
            f"plan-{plan_id}-narrative.csv", present.CSV_HEADER, present.csv_rows(found)
        )
    listed = priorities(session, asker.actor, plan_id)
    if format == "uec-csv":
        return csv_response(
            f"plan-{plan_id}-uec-priorities.csv", present.UEC_HEADER, present.uec_rows(listed)
        )
    return render(
        request,
        "narrative/narrative.html",
        asker,
        plan=found.plan,
        rows=present.rows(found),
        can_edit=found.can_edit,
        uec=present.uec_rows(listed),
    )


@router.get("/plans/{plan_id}/narrative.docx")
def narrative_docx(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    content = document.narrative_docx(
        session, asker.actor, plan_id, date.today(), replications=PAGE_REPLICATIONS
    )
    return download(content, DOCX, f"plan-{plan_id}-narrative.docx")


@router.get("/plans/{plan_id}/capacity-plan.xlsx")
def capacity_plan_xlsx(
    plan_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    content = workbook_bytes(require_plan(session, asker.actor, plan_id, PAGE_REPLICATIONS))
    return download(content, XLSX, f"plan-{plan_id}-capacity-and-demand.xlsx")


def _editor(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    heading: str,
    values: dict[str, str],
    version: int | None,
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    found = blocks.narrative(session, asker.actor, plan_id)
    shown = refusal(refused)
    return render(
        request,
        "narrative/edit.html",
        asker,
        status_code=status_code,
        plan=found.plan,
        heading=blocks.heading_of(heading),
        block=found.blocks.get(heading),
        values=values,
        version=version,
        warning=length_warning(heading, values["text"]) if values["text"] else None,
        errors=present.errors(shown["error"]),
        **shown,
    )


@router.get("/plans/{plan_id}/narrative/{heading}/edit")
def edit_page(
    request: Request,
    plan_id: int,
    heading: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = blocks.narrative(session, asker.actor, plan_id)
    blocks.require_edit(asker.actor, found.plan)
    block = found.blocks.get(blocks.heading_of(heading).key)
    values = {"text": block.text if block else "", "note": ""}
    return _editor(request, session, asker, plan_id, heading, values, block.version if block else 0)


def _saved_notice(saved: blocks.Saved) -> str:
    said = f"Saved as version {saved.block.number}" if saved.changed else "Nothing changed"
    return f"{said}. {saved.warning}" if saved.warning else said


@router.post("/plans/{plan_id}/narrative/{heading}/edit")
def edit_submit(
    request: Request,
    plan_id: int,
    heading: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "text", "note")
    version = form_version(form)  # shown again; required where the save is made

    def again(refused: Refused, status: int) -> Response:
        shown = refused.current_version if isinstance(refused, Conflict) else version
        return _editor(request, session, asker, plan_id, heading, typed, shown, status, refused)

    return save(
        session,
        lambda: blocks.save_block(
            session,
            asker.actor,
            plan_id,
            heading,
            typed["text"],
            required_version(form),
            typed["note"],
        ),
        then=f"/plans/{plan_id}/narrative#{heading}",
        again=again,
        notice=_saved_notice,
    )


@router.post("/plans/{plan_id}/narrative/{heading}/state")
def state_submit(
    request: Request,
    plan_id: int,
    heading: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    state = str(form.get("state") or "")

    def again(refused: Refused, status: int) -> Response:
        found = blocks.narrative(session, asker.actor, plan_id)
        return render(
            request,
            "narrative/narrative.html",
            asker,
            status_code=status,
            plan=found.plan,
            rows=present.rows(found),
            can_edit=found.can_edit,
            uec=present.uec_rows(priorities(session, asker.actor, plan_id)),
            **refusal(refused),
        )

    return save(
        session,
        lambda: blocks.set_state(
            session, asker.actor, plan_id, heading, state, required_version(form)
        ),
        then=f"/plans/{plan_id}/narrative#{heading}",
        again=again,
        notice=lambda b: f"Marked as {REVIEW_STATES[b.state].lower()}",
    )


@router.get("/plans/{plan_id}/narrative/{heading}/versions")
def versions_page(
    request: Request,
    plan_id: int,
    heading: str,
    before: int | None = Query(default=None, alias="from"),
    after: int | None = Query(default=None, alias="to"),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    found = blocks.block(session, asker.actor, plan_id, heading)
    comparison = None
    if found is not None and found.versions:
        last = found.versions[-1].number
        to = after or last
        start = before or max(to - 1, 1)
        comparison = blocks.compare(session, asker.actor, plan_id, heading, start, to)
    return render(
        request,
        "narrative/versions.html",
        asker,
        plan=blocks.narrative(session, asker.actor, plan_id).plan,
        heading=blocks.heading_of(heading),
        block=found,
        comparison=comparison,
    )


@router.get("/plans/{plan_id}/narrative/uec/new")
def uec_page(
    request: Request,
    plan_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _uec_form(request, session, asker, plan_id, {"title": "", "support": ""}, [])


def _uec_form(
    request: Request,
    session: Session,
    asker: Who,
    plan_id: int,
    values: dict[str, str],
    chosen: list[str],
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    schemes = scheme_choices(session, asker.actor, plan_id)
    shown = refusal(refused)
    return render(
        request,
        "narrative/uec_new.html",
        asker,
        status_code=status_code,
        plan=blocks.narrative(session, asker.actor, plan_id).plan,
        schemes=schemes,
        values=values,
        chosen=chosen,
        errors=present.errors(shown["error"]),
        **shown,
    )


@router.post("/plans/{plan_id}/narrative/uec/new")
def uec_submit(
    request: Request,
    plan_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    typed = form_text(form, "title", "support")
    chosen = [str(v) for v in form.getlist("schemes")]
    return save(
        session,
        lambda: add_priority(
            session, asker.actor, plan_id, typed["title"], typed["support"], chosen
        ),
        then=f"/plans/{plan_id}/narrative#uec-flow",
        again=lambda refused, status: _uec_form(
            request, session, asker, plan_id, typed, chosen, status, refused
        ),
        notice="UEC priority added",
    )


# An organisation's Word template


def _style_page(
    request: Request,
    session: Session,
    asker: Who,
    organisation_id: int,
    status_code: int = 200,
    refused: Refused | None = None,
) -> Response:
    organisation = styles.managed(session, asker.actor, organisation_id)
    shown = refusal(refused)
    return render(
        request,
        "narrative/house_style.html",
        asker,
        status_code=status_code,
        organisation=organisation,
        style=styles.style_of(session, organisation.id),
        placeholders=PLACEHOLDERS,
        errors=present.errors(shown["error"]),
        **shown,
    )


@router.get("/organisations/{organisation_id}/house-style")
def house_style_page(
    request: Request,
    organisation_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _style_page(request, session, asker, organisation_id)


@router.post("/organisations/{organisation_id}/house-style")
def house_style_upload(
    request: Request,
    organisation_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    styles.managed(session, asker.actor, organisation_id)
    upload: Any = form.get("template")
    filename, content = ("", b"")
    if upload is not None and not isinstance(upload, str):
        filename, content = upload.filename or "", upload.file.read()
    return save(
        session,
        lambda: styles.upload_style(session, asker.actor, organisation_id, filename, content),
        then=f"/organisations/{organisation_id}/house-style",
        again=lambda refused, status: _style_page(
            request, session, asker, organisation_id, status, refused
        ),
        notice="Template saved: the organisation's documents now use it",
    )


@router.post("/organisations/{organisation_id}/house-style/remove")
def house_style_remove(
    request: Request,
    organisation_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return save(
        session,
        lambda: styles.remove_style(session, asker.actor, organisation_id),
        then=f"/organisations/{organisation_id}/house-style",
        again=lambda refused, status: _style_page(
            request, session, asker, organisation_id, status, refused
        ),
        notice="Template removed: the organisation's documents use placeplan's default",
    )


@router.get("/organisations/{organisation_id}/house-style.docx")
def house_style_file(
    organisation_id: int, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    organisation = styles.managed(session, asker.actor, organisation_id)
    found = styles.style_of(session, organisation.id)
    content = found.content if found is not None else default_template()
    return download(content, DOCX, found.filename if found else "placeplan-template.docx")


@router.get("/house-style/default.docx")
def default_style_file() -> Response:
    return download(default_template(), DOCX, "placeplan-template.docx")
