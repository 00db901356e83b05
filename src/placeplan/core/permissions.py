"""Who may do what. Pure rules over a Principal: no database here."""

from __future__ import annotations

from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden

EDITING_ROLES = frozenset({"editor", "admin"})
# The system-wide role: reference data (systems, areas, organisations, metrics, bodies), every
# organisation's users, and reading every plan and the whole audit. An organisation's admin is
# an admin of that organisation only.
SYSTEM_ROLE = "system_admin"


def is_system_wide(actor: Actor) -> bool:
    return actor.trusted or (actor.principal is not None and actor.principal.role == SYSTEM_ROLE)


def can_read_unpublished(actor: Actor) -> bool:
    """Signed in (or the operator): may see what is kept for people who run plans, on a plan
    they may read at all (`can_read_plan`)."""
    return actor.trusted or actor.principal is not None


def can_read_plan(
    actor: Actor,
    area_id: int | None,
    system_id: int | None,
    body_ids: frozenset[int] = frozenset(),
    organisation_ids: frozenset[int] = frozenset(),
) -> bool:
    """An unpublished plan: for a role in the organisations with a part in its area (or system),
    on a body of its sign-off chain, or a signatory organisation of it; or the system-wide role."""
    # A national assurer reads every plan, a regional one the plans of their regions (issue 17).
    if is_system_wide(actor) or assures_everywhere(actor):
        return True
    p = actor.principal
    if p is None:
        return False
    return (
        (area_id is not None and area_id in p.area_ids | p.assured_area_ids)
        or (system_id is not None and system_id in p.assured_system_ids)
        or (system_id is not None and system_id in p.system_ids)
        or bool(body_ids & p.body_ids)
        or p.organisation_id in organisation_ids
    )


def can_edit_plan(actor: Actor, area_id: int | None, system_id: int | None) -> bool:
    if actor.trusted:
        return True
    p = actor.principal
    if p is None or p.role not in EDITING_ROLES:
        return False
    if area_id is not None:
        return area_id in p.area_ids
    return system_id is not None and system_id in p.system_ids


def can_sign_off(actor: Actor, body_id: int | None, organisation_id: int | None) -> bool:
    """Only an approver of the body (its organisation sits on it), or of the signatory's organisation."""
    if actor.trusted:
        return True
    p = actor.principal
    if p is None or p.role != "approver":
        return False
    if body_id is not None:
        return body_id in p.body_ids
    return organisation_id is not None and organisation_id == p.organisation_id


def can_manage_reference_data(actor: Actor) -> bool:
    """Systems, areas, organisations, metrics, bodies and baselines: the system-wide role."""
    return is_system_wide(actor)


def can_manage_area(actor: Actor, area_id: int) -> bool:
    """An area's particulars and population: the system-wide role, or an admin of an
    organisation with a part in it."""
    if is_system_wide(actor):
        return True
    p = actor.principal
    return p is not None and p.role == "admin" and area_id in p.area_ids


def can_manage_users(actor: Actor, organisation_id: int) -> bool:
    """An organisation's users: its own admins, or the system-wide role."""
    if is_system_wide(actor):
        return True
    p = actor.principal
    return p is not None and p.role == "admin" and p.organisation_id == organisation_id


def can_read_audit(actor: Actor) -> bool:
    """Some of the audit: signed in. Which events is scoped (audit.service): the system-wide
    role reads them all, others their plans' and their organisation's."""
    return can_read_unpublished(actor)


def can_queue_runs(actor: Actor) -> bool:
    """Model runs and sizing cost minutes of a processor: editors and admins only."""
    if is_system_wide(actor):
        return True
    p = actor.principal
    return p is not None and p.role in EDITING_ROLES


# ---- regional and national assurance (issue 17) ----------------------------------------------
# Assurers read every plan in their scope and keep assurance records; they hold no editing role,
# so can_edit_plan refuses them every plan, another organisation's or their own.
ASSURING_ROLES = frozenset({"regional_assurer", "national_assurer"})


def is_assurer(actor: Actor) -> bool:
    return actor.trusted or (actor.principal is not None and actor.principal.role in ASSURING_ROLES)


def assures_everywhere(actor: Actor) -> bool:
    return actor.trusted or (
        actor.principal is not None and actor.principal.role == "national_assurer"
    )


def can_assure(actor: Actor, region_id: int | None) -> bool:
    """A national assurer assures every plan; a regional one, the plans of their regions."""
    if assures_everywhere(actor):
        return True
    p = actor.principal
    return (
        p is not None
        and p.role == "regional_assurer"
        and region_id is not None
        and region_id in p.region_ids
    )


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise Forbidden(f"you may not {what}")
