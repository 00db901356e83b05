"""The life of a plan: kinds, statuses and what may follow what. Pure: no database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from placeplan.core.codes import PLAN_KINDS
from placeplan.core.errors import InputError

__all__ = ["PLAN_KINDS", "STATUSES", "DECISIONS", "SIGNATORY_ROLES"]


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


def status_after_decisions(current: str, decisions: Sequence[str | None]) -> str:
    """A submitted plan is approved once every step approves, and goes back to draft on a rejection."""
    if current != "submitted" or not decisions:
        return current
    if any(d == "rejected" for d in decisions):
        return "draft"
    if all(d == "approved" for d in decisions):
        return "approved"
    return current


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
