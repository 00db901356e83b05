"""The life of a plan: kinds, statuses and what may follow what. Pure: no database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from placeplan.core.codes import PLAN_KINDS
from placeplan.core.errors import InputError
from placeplan.core.fields import MAX_NAME, MAX_PARAGRAPHS, Field, Limits

__all__ = ["PLAN_KINDS", "STATUSES", "DECISIONS", "SIGNATORY_ROLES"]


# What a plan's editable fields accept (core.fields): the plan's form, the API, the command line
# and the planning workbook's Cover check through this.
PLAN = Limits(
    (
        Field("title", "plan's title", max_length=MAX_NAME),
        Field("summary", "plan's summary", max_length=MAX_PARAGRAPHS),
    )
)

STATUSES: tuple[str, ...] = ("draft", "submitted", "approved", "published")

DECISIONS: dict[str, str] = {
    "approved": "Approved",
    "rejected": "Rejected",
    "deferred": "Deferred",
}

SIGNATORY_ROLES: dict[str, str] = {
    "chief_executive": "Chief executive",
    "s151_officer": "Section 151 officer",
    "director_of_adult_social_care": "Director of adult social care",
    "director_of_public_health": "Director of public health",
    "chair": "Chair",
    "chief_operating_officer": "Chief operating officer",
}

# Moves a person may ask for; approval itself follows from the sign-off decisions.
_REQUESTED_MOVES: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted"}),
    "submitted": frozenset({"draft"}),
    "approved": frozenset({"published"}),
    "published": frozenset(),
}


def check_kind(kind: str) -> None:
    if kind not in PLAN_KINDS:
        raise InputError(
            f"'{kind}' is not a kind of plan: expected one of {', '.join(PLAN_KINDS)}",
            field="kind",
        )


def check_move(current: str, target: str) -> None:
    if target not in STATUSES:
        raise InputError(
            f"'{target}' is not a plan status: expected one of {', '.join(STATUSES)}",
            field="status",
        )
    if target not in _REQUESTED_MOVES[current]:
        allowed = ", ".join(sorted(_REQUESTED_MOVES[current])) or "nothing"
        raise InputError(
            f"a {current} plan cannot be made {target}: it can go to {allowed}", field="status"
        )


def check_body_may_approve(
    body_name: str, may_approve: Sequence[str], plan_kind: str, field: str = "body"
) -> None:
    if plan_kind not in may_approve:
        kinds = ", ".join(PLAN_KINDS.get(k, k) for k in may_approve) or "no plans"
        raise InputError(
            f"{body_name} may not approve a {PLAN_KINDS.get(plan_kind, plan_kind)}:"
            f" it may approve {kinds}",
            field=field,
        )


def check_body_existed(
    body_name: str, valid_from: date | None, valid_to: date | None, on: date, field: str
) -> None:
    if (valid_from and on < valid_from) or (valid_to and on > valid_to):
        span = f"{valid_from or 'its start'} to {valid_to or 'now'}"
        raise InputError(f"{body_name} did not exist on {on}: it existed from {span}", field=field)


def check_decision(decision: str | None, actual_date: date | None, today: date) -> None:
    if decision is None:
        if actual_date is not None:
            raise InputError("a date of decision needs a decision", field="decision")
        return
    if decision not in DECISIONS:
        raise InputError(
            f"'{decision}' is not a decision: expected one of {', '.join(DECISIONS)}",
            field="decision",
        )
    if actual_date is None:
        raise InputError("a decision needs the date it was taken", field="actual_date")
    if actual_date > today:
        raise InputError(
            f"{actual_date} is in the future: a date a decision is only expected on is a planned date",
            field="actual_date",
        )


def check_step_target(body_key: object, signatory_role: str | None, organisation: object) -> None:
    if (body_key is None) == (signatory_role is None):
        raise InputError(
            "a sign-off step is either a body's decision or a named signatory's: give one",
            field="body",
        )
    if signatory_role is not None:
        if signatory_role not in SIGNATORY_ROLES:
            raise InputError(
                f"'{signatory_role}' is not a signatory role: expected one of"
                f" {', '.join(SIGNATORY_ROLES)}",
                field="signatory_role",
            )
        if organisation is None:
            raise InputError(
                "a signatory step names the signatory's organisation", field="organisation"
            )


# --- Sign-off bound to versions -------------------------------------------------------------


def fingerprint(content: Mapping[str, Any]) -> str:
    """A digest of what a plan holds (its particulars, budget, ambitions), sign-off left out: two
    versions with the same fingerprint approve the same thing."""
    kept = {k: v for k, v in content.items() if k != "sign_off"}
    text = json.dumps(kept, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Standing:
    """Where a step's decision stands against the plan as it is now."""

    decided_on_version: int | None  # the version (snapshot number) it was taken on
    stale: bool  # the plan has changed since: the decision no longer covers what it holds


def standing(
    decision: str | None, decided_version: int | None, decided_print: str | None, now_print: str
) -> Standing:
    """A decision taken on a version whose fingerprint differs from the plan's now is stale; one
    with no version (recorded before versions were kept) cannot be shown to cover it, so is too."""
    if decision is None:
        return Standing(None, False)
    return Standing(decided_version, decided_print != now_print)


def check_may_decide(
    plan_status: str, who: str, earlier: Sequence[tuple[str, str | None, bool]]
) -> None:
    """A decision is taken on a submitted plan, after every earlier step of the chain approved the
    version now submitted. `earlier` is each earlier step's (name, decision, stale)."""
    if plan_status != "submitted":
        what = {
            "draft": "a draft plan: it is decided once its lead submits it",
            "approved": "an approved plan: its sign-off is complete",
            "published": "a published plan: its sign-off is complete",
        }.get(plan_status, f"a {plan_status} plan")
        raise InputError(f"no decision can be recorded on {what}", field="status")
    for name, decision, stale in earlier:
        if decision != "approved" or stale:
            state = "has not yet approved" if not stale else "must first decide again on"
            raise InputError(
                f"the chain decides in order: {name} {state} this version, so {who} cannot"
                " decide yet",
                field="decision",
            )


def status_after_standing(current: str, steps: Sequence[tuple[str | None, bool]]) -> str:
    """Approval needs every step approved on the version now held (none stale); a current
    rejection sends the plan back to draft."""
    if current != "submitted" or not steps:
        return current
    if any(d == "rejected" and not stale for d, stale in steps):
        return "draft"
    if all(d == "approved" and not stale for d, stale in steps):
        return "approved"
    return current


@dataclass(frozen=True)
class SubmissionWarning:
    """Something the national template would flag that does not stop a submission, but that the
    person submitting must acknowledge by name."""

    key: str
    title: str  # "3 stated figures do not agree with the budget"
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmissionCheck:
    blocking: tuple[str, ...]  # funding rules broken: these stop the submission
    warnings: tuple[SubmissionWarning, ...]

    def unacknowledged(self, acknowledged: Collection[str]) -> list[SubmissionWarning]:
        return [w for w in self.warnings if w.key not in acknowledged]


# The national condition 1 sign-off: chief executives of the partners, the council's section 151
# officer, and the Health and Wellbeing Board's approval (REFERENCE.md, national conditions).
NC1_ROLES = {"chief_executive": "a chief executive", "s151_officer": "a section 151 officer"}


def missing_sign_off(kind: str, roles: Collection[str | None], has_body: bool) -> list[str]:
    """The steps a BCF plan's chain lacks against national condition 1, in words."""
    if kind != "bcf_plan":
        return [] if roles or has_body else ["the chain has no steps"]
    missing = [f"No step for {label}" for role, label in NC1_ROLES.items() if role not in roles]
    if not has_body:
        missing.append("No step for the Health and Wellbeing Board's approval")
    return missing
