"""Who may do what. Pure rules over a Principal: no database here."""

from __future__ import annotations

from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden

EDITING_ROLES = frozenset({"editor", "admin"})


def can_read_unpublished(actor: Actor) -> bool:
    return actor.trusted or actor.principal is not None


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
    return actor.trusted or (actor.principal is not None and actor.principal.role == "admin")


def can_read_audit(actor: Actor) -> bool:
    return can_read_unpublished(actor)


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
