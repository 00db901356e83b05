"""Replacing a draft plan's budget with a whole BudgetDocument (the workbook, the demo, the API's
PUT): checked first against every error-level rule, then written matching schemes and lines by
their ids so a re-load keeps their history and reviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument, Finding
from placeplan.budget.models import (
    ExpenditureLineRow,
    IncomeContribution,
    Scheme,
    StatedFigureRow,
    TopSliceRow,
)
from placeplan.budget.service.documents import budget_from, income_of, schemes_of
from placeplan.budget.service.revisions import touch
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.core.permissions import can_edit_plan, require
from placeplan.governance.models import Body
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store import audit
from placeplan.store.changes import (
    add_many_recorded,
    add_recorded,
    update_many_recorded,
)


def _org(session: Session, key: str | None, field: str) -> Organisation | None:
    if key is None:
        return None
    org = session.scalar(select(Organisation).where(Organisation.key == key))
    if org is None:
        raise InputError(f"no organisation with key {key}", field=field)
    return org


def load_document(
    session: Session, actor: Actor, plan_id: int, document: BudgetDocument, file: str | None = None
) -> list[Finding]:
    """Replace a draft plan's budget with the document's, if it passes every error-level rule.

    Returns the warnings. Raises InputError naming the first error, writing nothing."""
    plan = get_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    if plan.status != "draft":
        raise InputError(
            f"a {plan.status} plan's budget cannot be changed", field="status", file=file
        )
    scheme_ids = [s.scheme_id for s in document.schemes]
    if len(set(scheme_ids)) != len(scheme_ids):
        dup = next(s for s in scheme_ids if scheme_ids.count(s) > 1)
        raise InputError(f"scheme id {dup} is used more than once", field="schemes.id", file=file)
    findings = rules.check(budget_from(session, plan, document))
    errors = rules.blocking(findings)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"[{first.rule}] {first.message}{more}", field=first.field, file=file)
    existing = {scheme.ref: scheme for scheme in schemes_of(session, plan.id)}
    _remove_old(session, actor, plan, existing, document)
    by_ref = _write_schemes(session, actor, plan, existing, document)
    _write_lines(session, actor, plan, existing, by_ref, document, file)
    for ref, old in existing.items():
        if ref not in by_ref:
            audit.record(session, actor, "delete", "bcf_scheme", old.id, audit.state_of(old), None)
            session.delete(old)
    _write_income_and_figures(session, actor, plan, document, file)
    session.flush()
    touch(session, [plan.id])
    return [f for f in findings if f.severity != "error"]


def _remove_old(
    session: Session,
    actor: Actor,
    plan: Plan,
    existing: dict[str, Scheme],
    document: BudgetDocument,
) -> None:
    """Lines the document no longer has, and all income, top-slices and stated figures."""
    existing_lines = {row.ref: row for scheme in existing.values() for row in scheme.lines}
    wanted_lines = {line.line_id for line in document.lines}
    for ref, row in existing_lines.items():
        if ref not in wanted_lines:
            audit.record(session, actor, "delete", "bcf_line", row.id, audit.state_of(row), None)
            row.scheme.lines.remove(row)
    for old_income in income_of(session, plan.id):
        audit.record(
            session, actor, "delete", "bcf_income", old_income.id, audit.state_of(old_income), None
        )
        session.delete(old_income)
    for top_row in session.scalars(select(TopSliceRow).where(TopSliceRow.plan_id == plan.id)):
        session.delete(top_row)
    for stated_row in session.scalars(
        select(StatedFigureRow).where(StatedFigureRow.plan_id == plan.id)
    ):
        session.delete(stated_row)


def _write_schemes(
    session: Session,
    actor: Actor,
    plan: Plan,
    existing: dict[str, Scheme],
    document: BudgetDocument,
) -> dict[str, Scheme]:
    """Schemes matched by their ids, so a re-import keeps their history and reviews."""
    new_schemes: list[Scheme] = []
    scheme_updates: list[tuple[Scheme, dict[str, Any]]] = []
    by_ref: dict[str, Scheme] = {}
    for info in document.schemes:
        values: dict[str, Any] = dict(
            name=info.name,
            description=info.description,
            scheme_type=info.scheme_type,
            category=info.category,
            start_date=info.start_date,
            end_date=info.end_date,
            desired_outcomes=info.desired_outcomes,
            metrics=list(info.metrics),
            priorities=list(info.priorities),
            illustrative=info.illustrative,
        )
        if info.scheme_id in existing:
            by_ref[info.scheme_id] = existing[info.scheme_id]
            scheme_updates.append((existing[info.scheme_id], values))
        else:
            by_ref[info.scheme_id] = Scheme(plan_id=plan.id, ref=info.scheme_id, **values)
            new_schemes.append(by_ref[info.scheme_id])
    add_many_recorded(session, actor, "bcf_scheme", new_schemes)
    update_many_recorded(session, actor, "bcf_scheme", scheme_updates)
    return by_ref


def _write_lines(
    session: Session,
    actor: Actor,
    plan: Plan,
    existing: dict[str, Scheme],
    by_ref: dict[str, Scheme],
    document: BudgetDocument,
    file: str | None,
) -> None:
    existing_lines = {row.ref: row for scheme in existing.values() for row in scheme.lines}
    organisations = {o.key: o for o in session.scalars(select(Organisation))}
    new_lines: list[ExpenditureLineRow] = []
    line_updates: list[tuple[ExpenditureLineRow, dict[str, Any]]] = []
    for line in document.lines:
        scheme = by_ref.get(line.scheme_id)
        if scheme is None:
            raise InputError(
                f"line {line.line_id} names scheme {line.scheme_id}, which is not listed",
                field="scheme_id",
                file=file,
            )
        if line.district is not None and line.district not in organisations:
            raise InputError(
                f"no organisation with key {line.district}", field="district", file=file
            )
        values = dict(
            funding_source=line.funding_source,
            amount_pence=line.amount_pence,
            new_pence=line.new_pence,
            sub_type=line.sub_type,
            area_of_spend=line.area_of_spend,
            commissioner=line.commissioner,
            nhs_share=line.nhs_share,
            provider=line.provider,
            district=organisations.get(line.district or ""),
            planned_outputs=line.planned_outputs,
            output_unit=line.output_unit,
            note=line.description,
            illustrative=line.illustrative,
        )
        current = existing_lines.get(line.line_id)
        if current is not None:
            line_updates.append((current, {**values, "scheme": scheme}))
        else:
            new_lines.append(
                ExpenditureLineRow(plan_id=plan.id, ref=line.line_id, scheme_id=scheme.id, **values)
            )
    update_many_recorded(session, actor, "bcf_line", line_updates)
    add_many_recorded(session, actor, "bcf_line", new_lines)


def _write_income_and_figures(
    session: Session, actor: Actor, plan: Plan, document: BudgetDocument, file: str | None
) -> None:
    for income in document.income:
        add_recorded(
            session,
            actor,
            "bcf_income",
            IncomeContribution(
                plan_id=plan.id,
                source=income.source,
                amount_pence=income.amount_pence,
                contributor=_org(session, income.contributor, "contributor"),
                note=income.note,
                illustrative=income.illustrative,
            ),
        )
    for top in document.top_slices:
        body = session.scalar(select(Body).where(Body.key == top.body))
        if body is None:
            raise InputError(
                f"no governance body with key {top.body}", field="top_slices.body", file=file
            )
        add_recorded(
            session,
            actor,
            "bcf_top_slice",
            TopSliceRow(
                plan_id=plan.id,
                body=body,
                decided_on=top.decided_on,
                amount_pence=top.amount_pence,
                purpose=top.purpose,
            ),
        )
    for figure in document.stated:
        session.add(
            StatedFigureRow(
                plan_id=plan.id, what=figure.what, text=figure.text, cited=figure.source
            )
        )
