"""A regional team's batch of planning workbooks: each read and checked as the budget's preview
reads it, one report row per workbook (its area, the plan's status, the funding rules, the
figures it states, and its differences from the plan's last submission). The batch is held (as
every preview is, `store.uploads`) so its report can be read again and downloaded; nothing is
written to any plan: the plans are their HWBs', who upload and confirm their own workbooks."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from placeplan.areas.models import Area, System
from placeplan.assurance.io.batch import entries
from placeplan.assurance.service.records import require_assurer
from placeplan.budget.domain import rules
from placeplan.budget.domain.core import BudgetDocument
from placeplan.budget.domain.document import document_to_mapping
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.domain.summary import summarise
from placeplan.budget.service import budget_from, part_differences, read_upload
from placeplan.core.actor import Actor
from placeplan.core.differences import differences
from placeplan.core.errors import InputError
from placeplan.core.permissions import can_assure
from placeplan.plans.models import Plan
from placeplan.plans.service import latest_snapshot
from placeplan.store import uploads

KIND = "assurance_batch"
TARGET = "batch"


@dataclass
class BatchRow:
    file: str
    outcome: str  # Checked | Not a planning workbook | Outside your regions | Repeats an area |
    #               No plan for this area and year
    area: str = ""
    year: str = ""
    plan_id: int | None = None
    status: str = ""
    funding_rules: str = ""
    stated: str = ""
    changes: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Batch:
    filename: str
    rows: list[BatchRow]
    token: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in self.rows:
            found[row.outcome] = found.get(row.outcome, 0) + 1
        return found


def _plans_by_area_year(session: Session) -> dict[tuple[str, int], Plan]:
    query = (
        select(Plan)
        .where(Plan.kind == "bcf_plan", Plan.area_id.is_not(None))
        .options(joinedload(Plan.area).joinedload(Area.system).joinedload(System.region))
        .order_by(Plan.id)
    )
    return {(p.area.gss_code, p.period_start): p for p in session.scalars(query) if p.area}


def _check(session: Session, plan: Plan, row: BatchRow, document: BudgetDocument) -> None:
    findings = rules.check(budget_from(session, plan, document))
    broken = rules.blocking(findings)
    row.funding_rules = "Met" if not broken else f"{len(broken)} broken"
    row.problems += [f.message for f in broken]
    checks = [c for _f, c in stated_checks(document, summarise(document.lines)) if c is not None]
    failing = sum(1 for c in checks if not c.agrees)
    row.stated = (
        "None stated"
        if not checks
        else f"All {len(checks)} agree"
        if not failing
        else f"{failing} of {len(checks)} disagree"
    )
    last = latest_snapshot(session, plan.id)
    before = (last.content or {}).get("budget") if last else None
    found = differences(part_differences(session, before, document_to_mapping(document)))
    label = f"version {last.number}" if last else "no submission"
    row.changes = f"None from {label}" if found.empty else f"{found.summary()} (from {label})"


def _row(
    session: Session, actor: Actor, name: str, content: bytes, plans: dict[tuple[str, int], Plan],
    seen: dict[str, str],
) -> BatchRow:  # fmt: skip
    try:
        parsed = read_upload(content, name)
    except InputError as exc:
        return BatchRow(name, "Not a planning workbook", problems=[exc.message])
    meta = parsed.meta
    code, year = str(meta.get("area_code") or ""), str(meta.get("year") or "")
    row = BatchRow(name, "Checked", area=str(meta.get("area_name") or code), year=year)
    plan = plans.get((code, int(year[:4]))) if year[:4].isdigit() else None
    if plan is None or plan.area is None:
        row.outcome = "No plan for this area and year"
        row.problems.append(f"No BCF plan for {code or 'an empty area'} in {year or 'no year'}")
        return row
    system = plan.area.system
    if not can_assure(actor, system.region_id if system else None):
        row.outcome = "Outside your regions"
        row.area = plan.area.name
        return row
    row.area, row.plan_id, row.status = plan.area.name, plan.id, plan.status
    if plan.area.gss_code in seen:
        row.outcome = "Repeats an area"
        row.problems.append(f"{plan.area.name} is also in {seen[plan.area.gss_code]}")
        return row
    seen[plan.area.gss_code] = name
    _check(session, plan, row, parsed.document)
    return row


def check_batch(session: Session, actor: Actor, filename: str, content: bytes) -> Batch:
    """Every workbook of the zip checked; a bad one's row says why and the others go on."""
    require_assurer(actor)
    plans = _plans_by_area_year(session)
    seen: dict[str, str] = {}
    rows = []
    for entry in entries(content, filename):
        if entry.problem:
            rows.append(BatchRow(entry.name, "Not a planning workbook", problems=[entry.problem]))
            continue
        rows.append(_row(session, actor, entry.name, entry.content, plans, seen))
    return Batch(filename, rows)


def upload_batch(session: Session, actor: Actor, filename: str, content: bytes) -> Batch:
    """Check the batch and hold it (for 24 hours, for this person) so its report can be read
    again and downloaded."""
    batch = check_batch(session, actor, filename, content)
    batch.token = uploads.hold(session, actor, KIND, TARGET, filename, content, "").token
    return batch


def held_batch(session: Session, actor: Actor, token: str) -> Batch:
    require_assurer(actor)
    upload = uploads.held(session, actor, token, KIND, TARGET)
    batch = check_batch(session, actor, upload.filename, upload.content)
    batch.token = upload.token
    return batch
