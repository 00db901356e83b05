from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import InputError
from placeplan.delivery.domain import rules


def test_change_is_derived_from_the_ratings():
    assert rules.change(None, "red") == "new"
    assert rules.change("red", "amber") == "improved"
    assert rules.change("green", "amber") == "worsened"
    assert rules.change("amber", "amber") == "unchanged"
    assert rules.change("amber", None) == "not_rated"


def test_overdue_and_stages_and_rags():
    as_of = date(2025, 9, 30)
    assert rules.is_overdue(date(2025, 9, 1), None, as_of)
    assert not rules.is_overdue(date(2025, 9, 1), date(2025, 8, 30), as_of)
    assert rules.is_overdue(date(2025, 9, 1), date(2025, 10, 2), as_of)
    assert not rules.is_overdue(date(2025, 10, 1), None, as_of)
    assert not rules.is_overdue(None, None, as_of)
    assert rules.check_stage("Not yet started") == "not_started"
    assert rules.check_rag(" Amber ", "x") == "amber"
    with pytest.raises(InputError):
        rules.check_stage("paused")
    with pytest.raises(InputError):
        rules.check_rag("blue", "x")
    with pytest.raises(InputError):
        rules.check_rag("", "x", required=True)
