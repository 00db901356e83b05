"""Who may edit a plan and who may sign off a step, from the asker's role, organisation, areas and bodies."""

from __future__ import annotations

import pytest

from placeplan.core.actor import Actor, operator
from placeplan.core.errors import Forbidden
from placeplan.core.permissions import can_edit_plan, can_sign_off, require
from placeplan.core.principal import Principal


def _actor(role: str, areas=frozenset({1}), bodies=frozenset({7}), org=3) -> Actor:
    principal = Principal(1, "u", "U", role, org, "Org", areas, frozenset({1}), bodies)
    return Actor(name="u", principal=principal)


def test_editing_needs_a_part_in_the_area():
    assert can_edit_plan(_actor("editor"), 1, None)
    assert not can_edit_plan(_actor("editor"), 2, None)
    assert not can_edit_plan(_actor("viewer"), 1, None)
    assert not can_edit_plan(_actor("approver"), 1, None)
    assert can_edit_plan(_actor("editor"), None, 1)  # a system-wide plan of the user's system
    assert not can_edit_plan(Actor(name="anonymous"), 1, None)
    assert can_edit_plan(operator(), 2, None)


def test_sign_off_needs_an_approver_of_the_right_body():
    assert can_sign_off(_actor("approver"), 7, None)
    assert not can_sign_off(_actor("approver"), 8, None)
    assert not can_sign_off(_actor("admin"), 7, None)
    assert can_sign_off(_actor("approver", org=3), None, 3)
    assert not can_sign_off(_actor("approver", org=3), None, 4)
    with pytest.raises(Forbidden):
        require(False, "do that")


def test_reading_a_draft_needs_a_part_in_it_or_the_system_role():
    from placeplan.core.permissions import can_read_plan

    assert can_read_plan(_actor("viewer"), 1, None)  # the viewer's organisation covers area 1
    assert not can_read_plan(_actor("viewer"), 2, None)
    assert can_read_plan(_actor("viewer"), None, 1)  # a plan of the organisation's system
    assert can_read_plan(
        _actor("approver", areas=frozenset()), 2, None, frozenset({7})
    )  # on its chain
    assert can_read_plan(_actor("viewer", org=3), 2, None, organisation_ids=frozenset({3}))
    assert not can_read_plan(Actor(name="anonymous"), 1, None)
    assert can_read_plan(_actor("system_admin", areas=frozenset()), 2, None)
    assert can_read_plan(operator(), 2, None)


def test_reference_data_areas_and_users_are_scoped():
    from placeplan.core.permissions import (
        can_manage_area,
        can_manage_reference_data,
        can_manage_users,
        can_queue_runs,
    )

    assert not can_manage_reference_data(_actor("admin"))
    assert can_manage_reference_data(_actor("system_admin"))
    assert can_manage_area(_actor("admin"), 1) and not can_manage_area(_actor("admin"), 2)
    assert not can_manage_area(_actor("editor"), 1)
    assert can_manage_users(_actor("admin", org=3), 3)
    assert not can_manage_users(_actor("admin", org=3), 4)
    assert can_manage_users(_actor("system_admin", org=3), 4)
    assert not can_edit_plan(_actor("system_admin"), 2, None)  # reference data, not plans
    assert can_queue_runs(_actor("editor")) and not can_queue_runs(_actor("viewer"))
