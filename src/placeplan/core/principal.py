"""Who is asking, in the terms permission rules need: role, organisation and what it has a part in."""

from __future__ import annotations

from dataclasses import dataclass

ROLES: dict[str, str] = {
    "viewer": "Viewer: reads everything, changes nothing",
    "editor": "Editor: edits the plans of the areas their organisation has a part in",
    "approver": "Approver: records sign-off decisions for bodies their organisation sits on",
    "admin": "Administrator: editor rights, plus their organisation's users and areas",
    "system_admin": "System administrator: reference data, every organisation's users, "
    "and reading every plan and the whole audit",
    "regional_assurer": (
        "Regional assurer: reads and assures every plan of the NHS region their organisation is"
        " in; edits no plan"
    ),
    "national_assurer": "National assurer: reads and assures every plan in England; edits no plan",
}


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    role: str
    organisation_id: int
    organisation_name: str
    area_ids: frozenset[int]
    system_ids: frozenset[int]
    body_ids: frozenset[int]
    # The NHS regions of the systems the organisation's areas sit in: a regional assurer's scope.
    region_ids: frozenset[int] = frozenset()
    # A regional assurer's plans: the systems of those regions and their areas (empty otherwise).
    assured_system_ids: frozenset[int] = frozenset()
    assured_area_ids: frozenset[int] = frozenset()
