"""Replacing a draft plan's budget with a whole BudgetDocument (the workbook, the demo, the API's
PUT): checked first against every error-level rule, then written matching every record by its
stable key (schemes and lines by their ids, income by source and contributor, top-slices by who
agreed them, when and for what, stated figures by what they state), so a re-load keeps their
history and reviews, records a changed record as one update, and writes nothing for the same
budget (not even a new revision token)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument, Finding
from placeplan.budget.domain.differences import (
    Names,
    budget_sections,
    income_key,
    keyed,
    top_slice_key,
)
from placeplan.budget.models import (
    ExpenditureLineRow,
    IncomeContribution,
    Scheme,
    StatedFigureRow,
    TopSliceRow,
)
from placeplan.budget.service.documents import budget_from, document_for, income_of, schemes_of
from placeplan.budget.service.revisions import check_revision, touch
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
    update_many_recorded,
)


def _org(session: Session, key: str | None, field: str) -> Organisation | None:
    if key is None:
        return None
    org = session.scalar(select(Organisation).where(Organisation.key == key))
    if org is None:
        raise InputError(f"no organisation with key {key}", field=field)
    return org


ANY_REVISION = "any"  # a loader that replaces whatever is there (the demo, a confirmed preview)


def load_document(
    session: Session,
    actor: Actor,
    plan_id: int,
    document: BudgetDocument,
    file: str | None = None,
    based_on: str | None = ANY_REVISION,
) -> list[Finding]:
    """Replace a draft plan's budget with the document's, if it passes every error-level rule
    and (unless `based_on` is ANY_REVISION) the budget is still at the revision `based_on`.

    Returns the warnings. Raises InputError naming the first error, Conflict if the budget moved
    on, writing nothing."""
    plan = get_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    if based_on != ANY_REVISION:
        check_revision(session, plan.id, based_on)
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
    if not any(s.changes for s in budget_sections(document_for(session, plan), document, Names())):
        return [f for f in findings if f.severity != "error"]  # the same budget: nothing to write
    existing = {scheme.ref: scheme for scheme in schemes_of(session, plan.id)}
    _remove_old_lines(session, actor, existing, document)
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


def _remove_old_lines(
    session: Session,
    actor: Actor,
    existing: dict[str, Scheme],
    document: BudgetDocument,
) -> None:
    """Lines the document no longer has."""
    existing_lines = {row.ref: row for scheme in existing.values() for row in scheme.lines}
    wanted_lines = {line.line_id for line in document.lines}
    for ref, row in existing_lines.items():
        if ref not in wanted_lines:
            audit.record(session, actor, "delete", "bcf_line", row.id, audit.state_of(row), None)
            row.scheme.lines.remove(row)


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


def _match(
    session: Session,
    actor: Actor,
    kind: str,
    rows: dict[str, Any],
    wanted: dict[str, dict[str, Any]],
    make: Callable[[dict[str, Any]], Any],
) -> None:
    """Rows matched to what is wanted by their stable keys: one that is gone is one delete, a
    changed one one update of that row, a new one one create; an unchanged one writes nothing."""
    for key, row in rows.items():
        if key not in wanted:
            audit.record(session, actor, "delete", kind, row.id, audit.state_of(row), None)
            session.delete(row)
    update_many_recorded(
        session, actor, kind, [(rows[k], values) for k, values in wanted.items() if k in rows]
    )
    add_many_recorded(session, actor, kind, [make(v) for k, v in wanted.items() if k not in rows])


def _write_income_and_figures(
    session: Session, actor: Actor, plan: Plan, document: BudgetDocument, file: str | None
) -> None:
    """Income by source and contributor, top-slices by who agreed them, when and for what, and
    stated figures by what they state."""
    income_rows = keyed(
        income_of(session, plan.id),
        lambda r: f"{r.source}|{r.contributor.key if r.contributor else ''}",
    )
    income = {
        key: dict(
            source=i.source,
            amount_pence=i.amount_pence,
            contributor=_org(session, i.contributor, "contributor"),
            note=i.note,
            illustrative=i.illustrative,
        )
        for key, i in keyed(document.income, income_key).items()
    }
    _match(
        session,
        actor,
        "bcf_income",
        income_rows,
        income,
        lambda v: IncomeContribution(plan_id=plan.id, **v),
    )
    top_rows = keyed(
        session.scalars(
            select(TopSliceRow).where(TopSliceRow.plan_id == plan.id).order_by(TopSliceRow.id)
        ),
        lambda r: f"{r.body.key}|{r.decided_on.isoformat()}|{r.purpose}",
    )
    top = {
        key: dict(
            body=_body(session, t.body, file),
            decided_on=t.decided_on,
            amount_pence=t.amount_pence,
            purpose=t.purpose,
        )
        for key, t in keyed(document.top_slices, top_slice_key).items()
    }
    _match(
        session, actor, "bcf_top_slice", top_rows, top, lambda v: TopSliceRow(plan_id=plan.id, **v)
    )
    stated_rows = keyed(
        session.scalars(
            select(StatedFigureRow)
            .where(StatedFigureRow.plan_id == plan.id)
            .order_by(StatedFigureRow.id)
        ),
        lambda r: r.what,
    )
    stated = {
        key: dict(what=f.what, text=f.text, cited=f.source)
        for key, f in keyed(document.stated, lambda f: f.what).items()
    }
    _match(
        session,
        actor,
        "bcf_stated_figure",
        stated_rows,
        stated,
        lambda v: StatedFigureRow(plan_id=plan.id, **v),
    )


def _body(session: Session, key: str, file: str | None) -> Body:
    body = session.scalar(select(Body).where(Body.key == key))
    if body is None:
        raise InputError(f"no governance body with key {key}", field="top_slices.body", file=file)
    return body
