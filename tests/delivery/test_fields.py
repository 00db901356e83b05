"""delivery.domain.fields: the lengths an action's, an update's and a milestone's text may run to."""

from __future__ import annotations

from placeplan.delivery.domain.fields import ACTION, MILESTONE, UPDATE


def test_statements_references_and_prose_have_their_lengths():
    assert ACTION.problems({"we_will": "W" * 2_000, "ref": "R" * 40}) == []
    assert ACTION.problems({"we_will": "W" * 20_000}) == [
        ("we_will", "The 'We will' statement must be 2,000 characters or fewer (it is 20,000)")
    ]
    assert MILESTONE.problems({"ref": "R" * 41}) == [
        ("ref", "The milestone's reference must be 40 characters or fewer (it is 41)")
    ]
    assert UPDATE.problems({"risks": "R" * 10_001}) == [
        ("risks", "The risks must be 10,000 characters or fewer (it is 10,001)")
    ]
