"""A planning workbook's upload, previewed before it is applied: read and checked exactly as an
import is, compared with the plan's budget (the differences in names and pounds, the rules'
findings and the stated figures that no longer agree), and held until the person who saw the
preview confirms it. Nothing is written to the plan before then; a confirmation after the budget
changed is refused with the differences from the budget as it is now.

Each function works in the caller's transaction: the caller commits the held upload (a preview)
or the applied budget (a confirmation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from placeplan.budget.domain.core import BudgetDocument, Finding
from placeplan.budget.domain.differences import budget_sections, stated_name
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.domain.summary import summarise
from placeplan.budget.io import Parsed, locate_findings
from placeplan.budget.service.documents import document_for
from placeplan.budget.service.load import load_document
from placeplan.budget.service.revisions import REVISIONS
from placeplan.budget.service.snapshots import names_for
from placeplan.budget.service.workbook import checked_parsed, read_upload, refused
from placeplan.core.actor import Actor
from placeplan.core.differences import Differences, differences
from placeplan.core.errors import Conflict, InputError
from placeplan.core.permissions import can_edit_plan, require
from placeplan.plans.models import Plan
from placeplan.plans.service import get_plan
from placeplan.store import audit, uploads

KIND = "bcf_workbook"


@dataclass(frozen=True)
class Preview:
    """What applying a workbook would change. `token` names the held upload (None for a dry
    run); `stale` says the budget changed since it was held, so it cannot be confirmed."""

    plan: Plan
    filename: str
    differences: Differences
    findings: list[dict[str, Any]]  # {rule, severity, sheet, row, column, message}
    token: str | None = None
    stale: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id,
            "token": self.token,
            "file": self.filename,
            "differences": self.differences.as_json(),
            "findings": self.findings,
        }


@dataclass
class StalePreview(Conflict):
    """A confirmation refused because the plan's budget changed since the preview: nothing was
    written; `differences` are what the workbook would change now."""

    differences: Differences = field(default_factory=Differences)


def _editable(session: Session, actor: Actor, plan_id: int) -> Plan:
    plan = get_plan(session, actor, plan_id)
    require(can_edit_plan(actor, plan.area_id, plan.system_id), "change this plan's budget")
    return plan


def _stated_findings(document: BudgetDocument) -> list[dict[str, Any]]:
    """The figures the plan states that the workbook's budget no longer agrees with."""
    return [
        {
            "rule": "stated-figure",
            "severity": "warning",
            "sheet": None,
            "row": None,
            "column": None,
            "message": f"{stated_name(figure.what, document)}: the plan states {figure.text}; "
            f"the budget gives {check.shown_as}",
        }
        for figure, check in stated_checks(document, summarise(document.lines))
        if check is not None and not check.agrees
    ]


def _compare(
    session: Session, plan: Plan, parsed: Parsed, findings: list[Finding]
) -> tuple[Differences, list[dict[str, Any]]]:
    sections = budget_sections(document_for(session, plan), parsed.document, names_for(session))
    located = locate_findings(findings, parsed) + _stated_findings(parsed.document)
    return differences(sections), located


def _read(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> tuple[Plan, Parsed, list[Finding]]:
    """The workbook read and checked against plan `plan_id` as an import checks it; a refusal
    is a WorkbookRefused listing the problems, naming the file."""
    _editable(session, actor, plan_id)
    parsed = read_upload(content, filename)
    try:
        plan, findings = checked_parsed(session, actor, parsed, plan_id)
    except InputError as exc:
        raise refused(exc, filename) from exc
    return plan, parsed, findings


def _base(session: Session, plan: Plan) -> str:
    return REVISIONS.token(session, plan.id) or ""


def compare_workbook(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> Preview:
    """What the workbook would change in plan `plan_id`, writing nothing at all (a dry run)."""
    plan, parsed, findings = _read(session, actor, plan_id, filename, content)
    found, located = _compare(session, plan, parsed, findings)
    return Preview(plan, filename, found, located)


def preview_workbook(
    session: Session, actor: Actor, plan_id: int, filename: str, content: bytes
) -> Preview:
    """As compare_workbook, and the upload held (against the budget's revision now) until this
    person confirms it. Writes nothing to the plan."""
    plan, parsed, findings = _read(session, actor, plan_id, filename, content)
    found, located = _compare(session, plan, parsed, findings)
    held = uploads.hold(session, actor, KIND, str(plan.id), filename, content, _base(session, plan))
    return Preview(plan, filename, found, located, held.token)


def held_preview(session: Session, actor: Actor, plan_id: int, token: str) -> Preview:
    """The preview of a held upload, compared with the budget as it is now; `stale` if the
    budget changed since it was held (the preview must then be made again)."""
    upload = uploads.held(session, actor, token, KIND, str(plan_id))
    plan, parsed, findings = _read(session, actor, plan_id, upload.filename, upload.content)
    found, located = _compare(session, plan, parsed, findings)
    stale = upload.base != _base(session, plan)
    return Preview(plan, upload.filename, found, located, upload.token, stale)


def preview_again(session: Session, actor: Actor, plan_id: int, token: str) -> Preview:
    """A held upload previewed again against the budget as it is now (after a stale preview),
    held under a new token; the old one is forgotten. Writes nothing to the plan."""
    upload = uploads.held(session, actor, token, KIND, str(plan_id))
    again = preview_workbook(session, actor, plan_id, upload.filename, upload.content)
    uploads.release(session, upload)
    return again


def confirm_workbook(session: Session, actor: Actor, plan_id: int, token: str) -> Differences:
    """Apply the upload `token` names as plan `plan_id`'s budget, and forget it. Returns the
    differences applied. Refused (StalePreview, nothing written) if the budget changed since the
    preview; NotFound if the upload is not held for this person and plan."""
    upload = uploads.held(session, actor, token, KIND, str(plan_id))
    plan, parsed, findings = _read(session, actor, plan_id, upload.filename, upload.content)
    found, _ = _compare(session, plan, parsed, findings)
    if upload.base != _base(session, plan):
        raise StalePreview(
            "the budget changed since this workbook was previewed, so nothing was written:"
            f" applying it now would make these changes ({found.summary()}); upload it again"
            " to preview and confirm them",
            current_version=0,
            differences=found,
        )
    if not found.empty:
        # What the person did leads the audit history's entry; the changes it made follow it.
        audit.record(
            session,
            actor,
            "upload_workbook",
            "plan",
            plan.id,
            None,
            {"title": plan.title, "file": upload.filename, "changes": found.summary()},
        )
    try:
        load_document(session, actor, plan.id, parsed.document, file=upload.filename)
    except InputError as exc:
        raise refused(exc, upload.filename) from exc
    uploads.release(session, upload)
    return found


def import_with_differences(
    session: Session, actor: Actor, parsed: Parsed, plan_id: int | None = None
) -> tuple[Plan, list[Finding], Differences]:
    """Import at once (the command line; scripts), as import_parsed, and say what changed."""
    plan, _ = checked_parsed(session, actor, parsed, plan_id)
    before = document_for(session, plan) if plan_id is not None else None
    found = differences(budget_sections(before, parsed.document, names_for(session)))
    warnings = load_document(session, actor, plan.id, parsed.document, file=parsed.file)
    return plan, warnings, found
