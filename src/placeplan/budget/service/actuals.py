"""Actual spend by expenditure line and quarter: read, edited one line at a time, and imported
from a ledger extract that is previewed (the differences, or the rows refused and why) and held
until the person who saw the preview confirms it. Nothing is written before then; a confirmation
after the spend changed is refused, with the differences from the spend as it is now.

Reading needs a sign-in (spend is a working record, not the published plan); writing needs the
plan's editors. Each function works in the caller's transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.budget.domain.actuals import (
    SPEND,
    CheckedRow,
    LinePosition,
    Quarter,
    QuarterSpend,
    check_amount,
    check_ledger,
    parse_quarter,
    position,
)
from placeplan.budget.domain.catalogue import CATEGORIES, FUNDING_SOURCES
from placeplan.budget.io.ledger import read_ledger
from placeplan.budget.models import ActualSpendRow, ExpenditureLineRow, Scheme
from placeplan.core.actor import Actor
from placeplan.core.differences import Differences, Record, Value, compare, differences
from placeplan.core.errors import Conflict, InputError, NotFound, SignInNeeded
from placeplan.core.money import format_pence
from placeplan.core.periods import FinancialYear
from placeplan.core.permissions import can_edit_plan, can_read_unpublished, require
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store import audit, uploads
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.uow import check_version

KIND = "actual_spend"
UPLOAD_KIND = "ledger_extract"
FIELDS = ["actual_pence", "forecast_pence", "commentary"]


def readable_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan whose spend `actor` may read: signed in, and the plan visible to them."""
    if not can_read_unpublished(actor):
        raise SignInNeeded("sign in to read actual spend")
    plan = get_plan(session, actor, plan_id)
    if plan.kind != "bcf_plan":
        raise NotFound(f"plan {plan_id} is not a Better Care Fund plan, so it records no spend")
    return plan


def editable_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = readable_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "record this plan's actual spend")
    return plan


def plan_year(plan: Plan) -> FinancialYear:
    """The year a plan's spend is recorded for: its first (a BCF plan is for one year)."""
    return FinancialYear(plan.period_start)


def quarter_of(plan: Plan, text: str) -> Quarter:
    quarter = parse_quarter(text)
    year = plan_year(plan)
    if quarter.start_year != year.start_year:
        raise InputError(
            f"{quarter.label} is not a quarter of the plan's year, {year.label}", field="quarter"
        )
    return quarter


@dataclass(frozen=True)
class LineSpend:
    """A line with its scheme's particulars, its spend by quarter and its position."""

    line: ExpenditureLineRow
    scheme: Scheme
    spends: dict[str, ActualSpendRow]  # by quarter label
    position: LinePosition

    @property
    def category(self) -> str:
        return CATEGORIES.get(self.scheme.category, self.scheme.category)

    @property
    def source(self) -> str:
        return FUNDING_SOURCES.get(self.line.funding_source, self.line.funding_source)


@dataclass(frozen=True)
class SpendView:
    plan: Plan
    quarter: Quarter
    lines: list[LineSpend]
    illustrative: bool  # any of the spend shown is illustrative


def _lines(session: Session, plan_id: int) -> list[tuple[ExpenditureLineRow, Scheme]]:
    rows = session.execute(
        select(ExpenditureLineRow, Scheme)
        .join(Scheme, ExpenditureLineRow.scheme_id == Scheme.id)
        .where(ExpenditureLineRow.plan_id == plan_id)
        .order_by(Scheme.ref, ExpenditureLineRow.ref)
    )
    return [(line, scheme) for line, scheme in rows]


def spend_rows(session: Session, plan_id: int) -> list[ActualSpendRow]:
    return list(
        session.scalars(
            select(ActualSpendRow)
            .where(ActualSpendRow.plan_id == plan_id)
            .order_by(ActualSpendRow.line_id, ActualSpendRow.quarter)
        )
    )


def _spend(row: ActualSpendRow) -> QuarterSpend:
    return QuarterSpend(
        parse_quarter(row.quarter), row.actual_pence, row.forecast_pence, row.commentary
    )


def spend_view(session: Session, actor: Actor, plan_id: int, quarter: str | None) -> SpendView:
    """Every line of the plan at the end of `quarter` (default: the latest with spend, else Q1)."""
    plan = readable_plan(session, actor, plan_id)
    rows = spend_rows(session, plan.id)
    if quarter:
        at = quarter_of(plan, quarter)
    else:
        found = sorted(parse_quarter(r.quarter) for r in rows)
        at = found[-1] if found else Quarter(plan_year(plan).start_year, 1)
    by_line: dict[int, dict[str, ActualSpendRow]] = {}
    for r in rows:
        by_line.setdefault(r.line_id, {})[r.quarter] = r
    lines = []
    for line, scheme in _lines(session, plan.id):
        spends = by_line.get(line.id, {})
        at_line = position(line.ref, line.amount_pence, [_spend(s) for s in spends.values()], at)
        lines.append(LineSpend(line, scheme, spends, at_line))
    return SpendView(plan, at, lines, any(r.illustrative for r in rows))


def _line(session: Session, plan: Plan, ref: str) -> ExpenditureLineRow:
    line = session.scalar(
        select(ExpenditureLineRow).where(
            ExpenditureLineRow.plan_id == plan.id, ExpenditureLineRow.ref == ref
        )
    )
    if line is None:
        raise NotFound(f"this budget has no expenditure line {ref}")
    return line


def _write(
    session: Session,
    actor: Actor,
    plan: Plan,
    line: ExpenditureLineRow,
    quarter: Quarter,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> ActualSpendRow:
    row = session.scalar(
        select(ActualSpendRow).where(
            ActualSpendRow.line_id == line.id, ActualSpendRow.quarter == quarter.label
        )
    )
    if row is None:
        return add_recorded(
            session,
            actor,
            KIND,
            ActualSpendRow(plan_id=plan.id, line_id=line.id, quarter=quarter.label, **values),
        )
    check_version(session, row, KIND, expected_version, FIELDS)
    updated: ActualSpendRow = update_recorded(session, actor, KIND, row, values)
    return updated


def record_spend(
    session: Session,
    actor: Actor,
    plan_id: int,
    line_ref: str,
    quarter: str,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> ActualSpendRow:
    """Record (or change) line `line_ref`'s spend for `quarter`: `values` holds actual_pence,
    forecast_pence (None: no forecast) and commentary, checked through SPEND."""
    plan = editable_plan(session, actor, plan_id)
    at = quarter_of(plan, quarter)
    line = _line(session, plan, line_ref)
    if values.get("actual_pence") is None:
        raise InputError("Enter the actual spend", field="actual_pence")
    for name in ("actual_pence", "forecast_pence"):
        given = values.get(name)
        check_amount(SPEND[name], None if given is None else int(given), line.amount_pence)
    SPEND.check(values)
    kept = {k: values.get(k) for k in FIELDS}
    kept["commentary"] = (kept["commentary"] or "").strip() or None
    return _write(session, actor, plan, line, at, kept, expected_version)


# ---- a ledger extract: preview, hold, confirm


@dataclass
class LedgerRefused(InputError):
    """A ledger extract not applied: every row refused and why. Nothing was written."""

    problems: list[InputError] = field(default_factory=list)


@dataclass(frozen=True)
class LedgerPreview:
    plan: Plan
    filename: str
    differences: Differences
    base: str
    token: str | None = None
    checks: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id,
            "file": self.filename,
            "token": self.token,
            "differences": self.differences.as_json(),
        }


@dataclass
class StaleLedger(Conflict):
    differences: Differences = field(default_factory=Differences)


def _base(session: Session, plan_id: int) -> str:
    """What a preview was compared against: every spend row's id and version."""
    rows = spend_rows(session, plan_id)
    text = ";".join(f"{r.id}:{r.version}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def _record(
    line_ref: str, quarter: str, actual: int, forecast: int | None, note: str | None
) -> Record:
    return Record(
        f"Line {line_ref}, {quarter}",
        {
            "Actual spend": Value(actual, format_pence(actual)),
            "Forecast outturn": Value(forecast, "" if forecast is None else format_pence(forecast)),
            "Commentary": Value(note, note or ""),
        },
    )


def _read_checked(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> tuple[Plan, list[CheckedRow], Differences]:
    plan = editable_plan(session, actor, plan_id)
    if not content:
        raise InputError("Choose a ledger extract (.csv or .xlsx) to upload", field="ledger")
    rows = read_ledger(content, filename)
    lines = {line.ref: line for line, _ in _lines(session, plan.id)}
    good, problems = check_ledger(
        rows, {ref: line.amount_pence for ref, line in lines.items()}, plan_year(plan), filename
    )
    if problems:
        first = problems[0]
        raise LedgerRefused(
            f"{len(problems)} {'row was' if len(problems) == 1 else 'rows were'} refused, so"
            f" nothing was written: row {first.row}: {first.message}",
            file=filename,
            row=first.row,
            field=first.field,
            problems=problems,
        )
    ids = {line.id: ref for ref, line in lines.items()}
    before = {
        f"{ids[r.line_id]}|{r.quarter}": _record(
            ids[r.line_id], r.quarter, r.actual_pence, r.forecast_pence, r.commentary
        )
        for r in spend_rows(session, plan.id)
        if r.line_id in ids
    }
    after = dict(before)
    for row in good:
        after[f"{row.line_ref}|{row.quarter.label}"] = _record(
            row.line_ref, row.quarter.label, row.actual_pence, row.forecast_pence, row.commentary
        )
    found = differences([compare("Actual spend", "quarterly spend figure", before, after)])
    return plan, good, found


def compare_ledger(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> LedgerPreview:
    """What the extract would change, writing nothing (a dry run)."""
    plan, _, found = _read_checked(session, actor, plan_id, filename, content)
    return LedgerPreview(plan, filename, found, _base(session, plan.id))


def preview_ledger(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> LedgerPreview:
    """As compare_ledger, and the extract held until this person confirms it."""
    plan, _, found = _read_checked(session, actor, plan_id, filename, content)
    base = _base(session, plan.id)
    held = uploads.hold(session, actor, UPLOAD_KIND, str(plan.id), filename, content, base)
    return LedgerPreview(plan, filename, found, base, held.token)


def held_ledger(session: Session, actor: Actor, plan_id: int, token: str) -> LedgerPreview:
    upload = uploads.held(session, actor, token, UPLOAD_KIND, str(plan_id))
    plan, _, found = _read_checked(session, actor, plan_id, upload.filename, upload.content)
    checks: tuple[str, ...] = ()
    if upload.base != _base(session, plan.id):
        checks = ("The spend changed since this preview: upload the extract again to confirm it.",)
    return LedgerPreview(plan, upload.filename, found, upload.base, upload.token, checks)


def confirm_ledger(session: Session, actor: Actor, plan_id: int, token: str) -> Differences:
    """Apply the held extract and forget it; refused (nothing written) if the spend moved."""
    upload = uploads.held(session, actor, token, UPLOAD_KIND, str(plan_id))
    plan, good, found = _read_checked(session, actor, plan_id, upload.filename, upload.content)
    if upload.base != _base(session, plan.id):
        raise StaleLedger(
            "the actual spend changed since this extract was previewed, so nothing was written:"
            f" applying it now would make these changes ({found.summary()}); upload it again",
            current_version=0,
            differences=found,
        )
    if not found.empty:
        audit.record(
            session,
            actor,
            "upload_ledger",
            "plan",
            plan.id,
            None,
            {"title": plan.title, "file": upload.filename, "changes": found.summary()},
        )
    lines = {line.ref: line for line, _ in _lines(session, plan.id)}
    for row in good:
        values = {
            "actual_pence": row.actual_pence,
            "forecast_pence": row.forecast_pence,
            "commentary": row.commentary,
        }
        _write(session, actor, plan, lines[row.line_ref], row.quarter, values)
    uploads.release(session, upload)
    return found


def load_spend(
    session: Session, actor: Actor, plan_id: int, items: list[dict[str, Any]], illustrative: bool
) -> int:
    """Spend from a list of mappings (the demo's YAML): line, quarter, actual_pence,
    forecast_pence, commentary. Returns how many rows were written."""
    plan = editable_plan(session, actor, plan_id)
    lines = {line.ref: line for line, _ in _lines(session, plan.id)}
    for item in items:
        line = lines.get(str(item["line"]))
        if line is None:
            raise InputError(f"'{item['line']}' matches no expenditure line of this budget")
        values: dict[str, Any] = {k: item.get(k) for k in FIELDS}
        SPEND.check(values)
        values["illustrative"] = illustrative
        _write(session, actor, plan, line, quarter_of(plan, str(item["quarter"])), values)
    return len(items)
