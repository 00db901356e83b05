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
