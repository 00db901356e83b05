"""What people record about a metric's SPC chart in an area, on its settings page: recalculations
(rebases) with their reason, annotations and a fixed baseline, each added there, and each
recalculation and annotation changed or removed on its own page (a recalculation's removal needs
its reason). Every save goes through web.forms.save from the version the form was opened at."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import NotFound
from placeplan.measures.domain.spc_scale import period_label
from placeplan.measures.service.spc_marks import (
    ChartForm,
    MarkForm,
    add_annotation,
    add_rebase,
    baseline_number,
    change_annotation,
    change_rebase,
    chart_form,
    mark_form,
    remove_annotation,
    remove_rebase,
    set_baseline,
)
from placeplan.web.context import Who, checked_form, db, who
from placeplan.web.forms import Refused, form_text, refusal, required_version, save
from placeplan.web.templating import render

router = APIRouter(include_in_schema=False)


def _chart_page(
    request: Request, asker: Who, form: ChartForm, status: int = 200, **extra: object
) -> Response:
    return render(
        request,
        "measures/metric_chart.html",
        asker,
        status_code=status,
        form=form,
        period_label=period_label,
        **extra,
    )


@router.get("/areas/{gss_code}/metrics/{key}/chart")
def chart_page(
    request: Request,
    gss_code: str,
    key: str,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    return _chart_page(request, asker, chart_form(session, asker.actor, gss_code, key))


_CHART_WRITES = {
    "rebase": (("period", "reason"), "Recorded the recalculation"),
    "annotation": (("period", "text"), "Added the annotation"),
    "baseline": (("baseline_points", "version"), "Saved the baseline"),
}


@router.post("/areas/{gss_code}/metrics/{key}/chart/{what}")
def chart_submit(
    request: Request,
    gss_code: str,
    key: str,
    what: str,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Record a recalculation, an annotation or the baseline of the chart (each audited)."""
    fields, notice = _CHART_WRITES.get(what, ((), ""))
    if not fields:
        raise NotFound(f"no chart setting {what}")
    typed = form_text(form, *fields)
    actor = asker.actor

    def write() -> object:
        if what == "rebase":
            return add_rebase(session, actor, gss_code, key, typed["period"], typed["reason"])
        if what == "annotation":
            return add_annotation(session, actor, gss_code, key, typed["period"], typed["text"])
        return set_baseline(
            session, actor, gss_code, key, baseline_number(typed["baseline_points"]),
            required_version(form),
        )  # fmt: skip

    def again(exc: Refused, status: int) -> Response:
        form_now = chart_form(session, actor, gss_code, key)
        return _chart_page(request, asker, form_now, status, typed=typed, what=what, **refusal(exc))

    here = f"/areas/{gss_code}/metrics/{key}"
    return save(session, write, then=f"{here}/chart", again=again, notice=notice)


# What each mark's own form holds: the fields a change sends, and a removal's.
_MARKS = {
    "rebase": (("period", "reason"), ("removal_reason",), "recalculation"),
    "annotation": (("period", "text"), (), "annotation"),
}


def _marks_of(what: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    if what not in _MARKS:
        raise NotFound(f"no chart mark {what}")
    return _MARKS[what]


def _mark_page(
    request: Request, asker: Who, form: MarkForm, what: str, status: int = 200, **extra: object
) -> Response:
    return render(
        request,
        "measures/chart_mark.html",
        asker,
        status_code=status,
        form=form,
        what=what,
        noun=_MARKS[what][2],
        period_label=period_label,
        **extra,
    )


@router.get("/areas/{gss_code}/metrics/{key}/chart/{what}/{mark_id}")
def mark_page(
    request: Request,
    gss_code: str,
    key: str,
    what: str,
    mark_id: int,
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _marks_of(what)
    form = mark_form(session, asker.actor, gss_code, key, what, mark_id)
    return _mark_page(request, asker, form, what)


@router.post("/areas/{gss_code}/metrics/{key}/chart/{what}/{mark_id}")
def mark_submit(
    request: Request,
    gss_code: str,
    key: str,
    what: str,
    mark_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Change a recalculation's period or reason, or an annotation's period or text."""
    fields, _removal, noun = _marks_of(what)
    typed = form_text(form, *fields)
    actor = asker.actor

    def write() -> object:
        change = change_rebase if what == "rebase" else change_annotation
        return change(session, actor, gss_code, key, mark_id, typed, required_version(form))

    def again(exc: Refused, status: int) -> Response:
        now = mark_form(session, actor, gss_code, key, what, mark_id)
        return _mark_page(request, asker, now, what, status, typed=typed, **refusal(exc))

    then = f"/areas/{gss_code}/metrics/{key}/chart"
    return save(session, write, then=then, again=again, notice=f"Saved the {noun}")


@router.post("/areas/{gss_code}/metrics/{key}/chart/{what}/{mark_id}/remove")
def mark_remove(
    request: Request,
    gss_code: str,
    key: str,
    what: str,
    mark_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    """Remove a recalculation (for the reason given) or an annotation."""
    _fields, removal, noun = _marks_of(what)
    typed = form_text(form, *removal)
    actor = asker.actor

    def write() -> object:
        version = required_version(form)
        if what == "rebase":
            reason = typed["removal_reason"]
            return remove_rebase(session, actor, gss_code, key, mark_id, reason, version)
        return remove_annotation(session, actor, gss_code, key, mark_id, version)

    def again(exc: Refused, status: int) -> Response:
        now = mark_form(session, actor, gss_code, key, what, mark_id)
        extra = {"typed": typed, "removing": True, **refusal(exc)}
        return _mark_page(request, asker, now, what, status, **extra)

    then = f"/areas/{gss_code}/metrics/{key}/chart"
    return save(session, write, then=then, again=again, notice=f"Removed the {noun}")
