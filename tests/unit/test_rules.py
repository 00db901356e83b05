from datetime import date

import pytest

from placeplan.areas.domain import check_bands, population_aged
from placeplan.core.actor import Actor, operator
from placeplan.core.errors import Forbidden, InputError
from placeplan.core.permissions import can_edit_plan, can_sign_off, require
from placeplan.core.principal import Principal
from placeplan.plans import domain as rules


def test_65_plus_sums_whole_bands():
    # 130,000 + 20,000 by hand.
    assert population_aged({"0-64": 600_000, "65-84": 130_000, "85+": 20_000}, 65) == 150_000


def test_a_band_straddling_65_cannot_give_a_65_plus_count():
    with pytest.raises(InputError):
        population_aged({"0-69": 1, "70+": 2}, 65)


def test_overlapping_or_negative_bands_are_refused():
    with pytest.raises(InputError):
        check_bands({"0-65": 1, "65+": 1})
    with pytest.raises(InputError):
        check_bands({"0-64": -1, "65+": 1})


def test_status_follows_decisions():
    assert rules.status_after_decisions("submitted", ["approved", "approved"]) == "approved"
    assert rules.status_after_decisions("submitted", ["approved", None]) == "submitted"
    assert rules.status_after_decisions("submitted", ["approved", "rejected"]) == "draft"
    assert rules.status_after_decisions("draft", ["approved"]) == "draft"


def test_moves_people_may_ask_for():
    rules.check_move("draft", "submitted")
    rules.check_move("approved", "published")
    for current, target in (("draft", "approved"), ("draft", "published"), ("published", "draft")):
        with pytest.raises(InputError):
            rules.check_move(current, target)


def test_a_body_that_may_not_approve_is_refused_by_name():
    with pytest.raises(InputError) as caught:
        rules.check_body_may_approve("Integration Executive", [], "bcf_plan")
    assert caught.value.field == "body"
    assert "Integration Executive may not approve" in caught.value.message


def test_an_expected_date_is_not_a_decision():
    with pytest.raises(InputError) as caught:
        rules.check_decision("approved", date(2030, 1, 1), today=date(2026, 1, 1))
    assert caught.value.field == "actual_date"
    with pytest.raises(InputError):
        rules.check_decision("approved", None, today=date(2026, 1, 1))
    rules.check_decision(None, None, today=date(2026, 1, 1))


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
