"""A plan's status rules: the moves people may ask for, the status decisions give, who may approve."""

from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.plans import domain as rules


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
