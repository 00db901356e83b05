"""The BCF planning workbook and a plan's records: exporting a plan's budget, importing a
workbook into a plan (or a new plan made from its Cover), validating one against a plan's area,
reading an uploaded one (pages and the API preview it first: service.preview).

Importing runs in the caller's transaction.

Everything is checked before anything is written, and every error names the sheet, row and
column: the Cover against the plan, the organisation and body keys the rows name, then every
rule. The caller's unit of work rolls back on any InputError, so a new plan created for the
workbook is not kept either.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument, Finding
from placeplan.budget.io import (
    BudgetContext,
    Parsed,
    locate_findings,
    read_parsed,
    validate_parsed,
    validate_workbook,
    write_workbook,
)
from placeplan.budget.io import layout as L
from placeplan.budget.service.documents import budget_from
from placeplan.budget.service.load import load_document
from placeplan.budget.service.view import view
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.governance.models import Body
from placeplan.io.grid import Problem
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.plans.service import create_plan, get_plan, period_of


def plan_meta(plan: Plan) -> dict[str, Any]:
    """The Cover's particulars of a plan."""
    return {
        "title": plan.title,
        "area_code": plan.area.gss_code if plan.area else None,
        "area_name": plan.area.name if plan.area else None,
        "year": period_of(plan).label,
    }


@dataclass(frozen=True)
class WorkbookFile:
    """A plan's budget written as the planning workbook."""

    plan_id: int
    filename: str
    content: bytes
    rule_errors: int  # error-level rule results the workbook's Cover lists


def export_workbook(session: Session, actor: Actor, plan_id: int) -> WorkbookFile:
    """Plan `plan_id`'s budget as the BCF planning workbook; InputError for another kind of plan."""
    budget = view(session, actor, plan_id)
    plan = budget.plan
    if plan.kind != "bcf_plan":
        raise InputError(f"plan {plan_id} is a {plan.kind}, not a BCF plan", field="plan")
    stream = io.BytesIO()
    checked = budget_from(session, plan, budget.document)  # the Summary shows its baseline
    write_workbook(stream, plan_meta(plan), budget.document, budget.findings, checked, budget.names)
    area = plan.area.gss_code if plan.area else "system"
    return WorkbookFile(
        plan_id,
        f"{area}-bcf-{budget.document.year}.xlsx",
        stream.getvalue(),
        sum(1 for f in budget.findings if f.severity == "error"),
    )


def context_for(session: Session, plan: Plan) -> BudgetContext:
    def budget(document: BudgetDocument) -> Any:
        return budget_from(session, plan, document)

    return budget


def _cover_error(parsed: Parsed, key: str, message: str) -> InputError:
    label = next(label for k, label, _ in L.COVER_FIELDS if k == key)
    return InputError(
        message, field=label, file=parsed.file, sheet=L.COVER, row=parsed.places.meta_rows.get(key)
    )


def _bcf_plan(plan: Plan) -> None:
    if plan.kind != "bcf_plan":
        raise InputError(f"plan {plan.id} is a {plan.kind}, not a BCF plan", field="plan")


def _new_plan(session: Session, actor: Actor, parsed: Parsed) -> Plan:
    meta = parsed.meta
    for key in ("title", "area_code", "year"):
        if not meta.get(key):
            label = next(label for k, label, _ in L.COVER_FIELDS if k == key)
            raise _cover_error(
                parsed, key, f"{label} is empty: a new plan needs it (or import with --plan)"
            )
    try:
        return create_plan(
            session, actor, "bcf_plan", meta["title"], meta["year"], area_code=meta["area_code"]
        )
    except InputError as exc:
        key = {"title": "title", "period": "year"}.get(exc.field or "", "area_code")
        raise _cover_error(parsed, key, exc.message) from exc


def _matches(plan: Plan, parsed: Parsed) -> None:
    wanted = plan_meta(plan)
    for key in ("area_code", "year"):
        if wanted[key] is not None and parsed.meta.get(key) != wanted[key]:
            label = next(label for k, label, _ in L.COVER_FIELDS if k == key)
            raise _cover_error(
                parsed,
                key,
                f"{label}: expected {wanted[key]}, as plan {plan.id} ({plan.title}) is for "
                f"{wanted['area_code'] or 'a system'} {wanted['year']}; found "
                f"{parsed.meta.get(key) or 'an empty cell'}",
            )


def _unknown(session: Session, model: Any, keys: Iterable[str | None]) -> set[str]:
    wanted = {k for k in keys if k is not None}
    if not wanted:
        return set()
    found: set[str] = set(session.scalars(select(model.key).where(model.key.in_(wanted))))
    return wanted - found


def _by_name(session: Session, model: Any) -> dict[str, str]:
    """Each record's key by its name (a name two records share is left out: it names neither)."""
    found: dict[str, list[str]] = {}
    for key, name in session.execute(select(model.key, model.name)):
        found.setdefault(str(name).casefold(), []).append(str(key))
    return {name: keys[0] for name, keys in found.items() if len(keys) == 1}


def _keys_for_names(session: Session, parsed: Parsed) -> None:
    """The workbook names organisations and bodies by name (as its export writes them) or by
    key; the document read from it gets each one's key, which the record keeps."""
    orgs, bodies = _by_name(session, Organisation), _by_name(session, Body)

    def org(value: str | None) -> str | None:
        return orgs.get(value.casefold(), value) if value else value

    doc = parsed.document
    parsed.document = replace(
        doc,
        income=tuple(replace(i, contributor=org(i.contributor)) for i in doc.income),
        lines=tuple(replace(x, district=org(x.district)) for x in doc.lines),
        top_slices=tuple(
            replace(t, body=bodies.get(t.body.casefold(), t.body)) for t in doc.top_slices
        ),
    )


def _check_keys(session: Session, parsed: Parsed) -> None:
    doc, places = parsed.document, parsed.places
    orgs = _unknown(
        session,
        Organisation,
        [line.district for line in doc.lines] + [i.contributor for i in doc.income],
    )
    for line, row in zip(doc.lines, places.line_row_list, strict=True):
        if line.district in orgs:
            raise InputError(
                f"District council: expected an organisation's name or key; no organisation "
                f"is called {line.district!r}",
                field="District council",
                file=parsed.file,
                sheet=L.EXPENDITURE,
                row=row,
            )
    for income, row in zip(doc.income, places.income_rows, strict=True):
        if income.contributor in orgs:
            raise InputError(
                f"Contributor: expected an organisation's name or key; no organisation is "
                f"called {income.contributor!r}",
                field="Contributor",
                file=parsed.file,
                sheet=L.INCOME,
                row=row,
            )
    bodies = _unknown(session, Body, [t.body for t in doc.top_slices])
    for top, row in zip(doc.top_slices, places.top_slice_rows, strict=True):
        if top.body in bodies:
            raise InputError(
                f"Agreed by: expected a governance body's name or key; no body is called "
                f"{top.body!r}",
                field="Agreed by",
                file=parsed.file,
                sheet=L.INCOME,
                row=row,
            )


def checked_parsed(
    session: Session, actor: Actor, parsed: Parsed, plan_id: int | None = None
) -> tuple[Plan, list[Finding]]:
    """The plan a workbook's budget goes into (plan `plan_id`, a draft BCF plan matching the
    Cover, or a new draft plan made from the Cover) and every rule's result on it; raises
    InputError naming the sheet, row and column of the first problem or error-level finding."""
    if parsed.problems:
        raise parsed.error()
    if plan_id is None:
        plan = _new_plan(session, actor, parsed)
    else:
        plan = get_plan(session, actor, plan_id)
        _bcf_plan(plan)
        _matches(plan, parsed)
        if plan.status != "draft":
            raise InputError(
                f"plan {plan.id} is {plan.status}: only a draft plan's budget can be replaced",
                field="plan",
                file=parsed.file,
            )
    _keys_for_names(session, parsed)
    _check_keys(session, parsed)
    findings = rules.check(budget_from(session, plan, parsed.document))
    errors = [f for f in locate_findings(findings, parsed) if f["severity"] == "error"]
    if errors:
        first, more = errors[0], len(errors) - 1
        suffix = f" (and {more} more rule error{'s' if more > 1 else ''})" if more else ""
        raise InputError(
            f"[{first['rule']}] {first['message']}{suffix}",
            field=first["column"],
            file=parsed.file,
            sheet=first["sheet"],
            row=first["row"],
        )
    return plan, findings


def import_parsed(
    session: Session, actor: Actor, parsed: Parsed, plan_id: int | None = None
) -> tuple[Plan, list[Finding]]:
    """Load the workbook's budget into plan `plan_id` (a draft BCF plan), or into a new draft
    plan made from the Cover. Returns the plan and the rules' warnings; raises InputError naming
    the sheet, row and column of the first problem, having written nothing the caller keeps."""
    plan, _ = checked_parsed(session, actor, parsed, plan_id)
    warnings = load_document(session, actor, plan.id, parsed.document, file=parsed.file)
    return plan, warnings


def import_workbook(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    plan_id: int | None = None,
) -> tuple[Plan, list[Finding]]:
    return import_parsed(session, actor, read_parsed(source), plan_id)


def validate_for_plan(
    session: Session, actor: Actor, source: str | os.PathLike[str] | IO[bytes], plan_id: int
) -> dict[str, Any]:
    """Validate against a plan's area: its districts (two-tier) and NHS baseline."""
    plan = get_plan(session, actor, plan_id)
    _bcf_plan(plan)
    try:
        parsed = read_parsed(source)
    except InputError:
        return validate_workbook(source)
    return validate_parsed(parsed, context_for(session, plan))


@dataclass
class WorkbookRefused(InputError):
    """An uploaded workbook that was not imported, with every problem found in it."""

    problems: list[Problem] = field(default_factory=list)


def read_upload(content: bytes, filename: str | None) -> Parsed:
    """An uploaded workbook read, or WorkbookRefused listing every problem found in it (each
    message naming the upload's file name)."""
    if not content or not filename:
        message = "Choose a workbook (.xlsx) to upload"
        raise WorkbookRefused(message, problems=[Problem(None, None, None, message)])
    stream = io.BytesIO(content)
    stream.name = filename
    try:
        parsed = read_parsed(stream)
    except InputError as exc:
        raise refused(exc, filename) from exc
    if parsed.problems:
        first = parsed.error()
        raise WorkbookRefused(
            first.message, first.field, filename, first.sheet, first.row, parsed.problems
        )
    return parsed


def refused(exc: InputError, filename: str) -> WorkbookRefused:
    """An upload's InputError as the WorkbookRefused a page lists."""
    if isinstance(exc, WorkbookRefused):
        return exc
    return WorkbookRefused(
        exc.message,
        exc.field,
        filename,
        exc.sheet,
        exc.row,
        [Problem(exc.sheet, exc.row, exc.field, exc.message)],
    )
