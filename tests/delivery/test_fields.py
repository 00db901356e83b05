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


def test_an_actions_lists_have_a_count_and_each_item_a_length():
    # 20 items of at most 300 characters each (core.fields.MAX_NAME); principles are refs of 40.
    twenty = [f"Lead {n}" for n in range(20)]
    assert ACTION.problems({"lead_contacts": twenty, "plus_groups": ["G" * 300]}) == []
    assert ACTION.problems({"lead_contacts": [*twenty, "Lead 21"]}) == [
        ("lead_contacts", "The lead contacts must be 20 or fewer (there are 21)")
    ]
    # a list names each thing once, in any case
    assert ACTION.problems({"plus_groups": ["Carers", "carers"]}) == [
        ("plus_groups", "Each PLUS group must be given once (number 2 repeats carers)")
    ]
    assert ACTION.problems({"plus_groups": ["Carers", "G" * 301]}) == [
        ("plus_groups", "Each PLUS group must be 300 characters or fewer (number 2 is 301)")
    ]
    assert ACTION.problems({"principles": ["1", "R" * 41]}) == [
        (
            "principles",
            "Each guiding principle's ref must be 40 characters or fewer (number 2 is 41)",
        )
    ]
