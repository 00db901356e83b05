"""A plan's status rules: the moves people may ask for, the status decisions give, who may approve."""

from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.plans import domain as rules


def test_status_follows_current_decisions_only():
    ok, stale = False, True
    assert (
        rules.status_after_standing("submitted", [("approved", ok), ("approved", ok)]) == "approved"
    )
    assert rules.status_after_standing("submitted", [("approved", ok), (None, ok)]) == "submitted"
    assert rules.status_after_standing("submitted", [("approved", ok), ("rejected", ok)]) == "draft"
    assert rules.status_after_standing("draft", [("approved", ok)]) == "draft"
    # An approval of an earlier version approves nothing now; an old rejection returns nothing.
    assert rules.status_after_standing("submitted", [("approved", stale)]) == "submitted"
    assert rules.status_after_standing("submitted", [("rejected", stale)]) == "submitted"


def test_a_decision_is_stale_when_the_plan_changed_since_its_version():
    assert rules.standing("approved", 1, "abc", "abc") == rules.Standing(1, False)
    assert rules.standing("approved", 1, "abc", "def") == rules.Standing(1, True)
    assert rules.standing("approved", None, None, "def").stale  # no version: cannot cover it
    assert rules.standing(None, None, None, "def") == rules.Standing(None, False)


def test_the_fingerprint_leaves_out_the_sign_off_and_the_order_of_keys():
    a = {"plan": {"title": "T", "summary": None}, "budget": {"income": []}, "sign_off": [1]}
    b = {"budget": {"income": []}, "plan": {"summary": None, "title": "T"}, "sign_off": [2]}
    assert rules.fingerprint(a) == rules.fingerprint(b)
    assert rules.fingerprint(a) != rules.fingerprint({**a, "plan": {"title": "U"}})


def test_decisions_only_on_a_submitted_plan_and_in_the_chain_order():
    with pytest.raises(InputError, match="draft plan"):
        rules.check_may_decide("draft", "The board", [])
    with pytest.raises(InputError, match="HWB has not yet approved"):
        rules.check_may_decide("submitted", "The s151 officer", [("HWB", None, False)])
    with pytest.raises(InputError, match="must first decide again"):
        rules.check_may_decide("submitted", "The s151 officer", [("HWB", "approved", True)])
    rules.check_may_decide("submitted", "The s151 officer", [("HWB", "approved", False)])


def test_missing_sign_off_names_what_national_condition_1_asks_for():
    assert rules.missing_sign_off("bcf_plan", {"chief_executive", "s151_officer"}, True) == []
    assert rules.missing_sign_off("bcf_plan", {"chief_executive"}, False) == [
        "No step for a section 151 officer",
        "No step for the Health and Wellbeing Board's approval",
    ]


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


def test_a_plan_title_is_a_name_of_at_most_300_characters():
    assert rules.PLAN.problems({"title": "T" * 300}) == []
    assert rules.PLAN.problems({"title": "T" * 7_600}) == [
        ("title", "The plan's title must be 300 characters or fewer (it is 7,600)")
    ]
