"""pledges.domain.fields: a measure's figures are percentages where its unit says per cent, and a
latest value's period falls within the plan's. The plan of 2023-24 to 2027-28 runs from
1 April 2023 to 31 March 2028."""

from __future__ import annotations

import pytest

from placeplan.core.errors import InputError
from placeplan.core.fields import plan_window
from placeplan.pledges.domain.document import plan_interventions, plan_pledges
from placeplan.pledges.domain.fields import PLEDGE, latest_period_problem, measure_limits


def test_figures_are_0_to_100_only_where_the_unit_says_per_cent():
    assert measure_limits("percentage who would recommend").problems({"latest_value": 150}) == [
        ("latest_value", "The latest value is a percentage: it must be from 0 to 100 (it is 150)")
    ]
    assert measure_limits("people").problems({"latest_value": 150}) == []


def test_the_latest_period_falls_within_the_plan():
    window = plan_window(2023, 2027)
    assert (window.first.isoformat(), window.last.isoformat(), window.label) == (
        "2023-04-01",
        "2028-03-31",
        "2023-24 to 2027-28",
    )
    assert latest_period_problem(window, "2027-28 Q4") is None
    assert latest_period_problem(window, None) is None
    assert latest_period_problem(window, "2030-01") == (
        "The latest value's period must fall within the plan's period, 2023-24 to 2027-28 "
        "(it is 2030-01)"
    )
    assert plan_window(2025, 2025).label == "2025-26"


def test_a_loaded_measure_in_per_cent_over_100_is_refused_naming_its_figure():
    measure = {
        "ref": "1.1",
        "name": "Seen within four hours",
        "unit": "percentage",
        "direction": "higher",
        "baseline": {"value": 60, "period": "2023-24"},
        "target": {"value": 150, "period": "2025-26"},
    }
    pledge = {
        "ref": "1",
        "title": "Faster A&E",
        "statement": "Reduce waiting times in A&E",
        "accountable": [{"name": "Urgent Care Partnership"}],
        "measures": [measure],
    }
    with pytest.raises(InputError) as refused:
        plan_pledges([pledge], "p.yaml", {}, set())
    assert (refused.value.field, refused.value.file, refused.value.message) == (
        "pledges[0].measures[0].target.value",
        "p.yaml",
        "The target is a percentage: it must be from 0 to 100 (it is 150)",
    )


def test_an_interventions_texts_fit_their_columns_naming_the_item():
    tables = [{"table": "Table 13", "items": [{"number": "1", "description": "Falls service"}]}]
    assert len(plan_interventions(tables, "plan.yaml", set())) == 1
    tables[0]["items"].append({"number": "2", "description": "Carers", "area": "A" * 201})
    with pytest.raises(InputError) as refused:
        plan_interventions(tables, "plan.yaml", set())
    assert (refused.value.field, refused.value.message) == (
        "interventions[0].items[1].area",
        "The intervention's area must be 200 characters or fewer (it is 201)",
    )


def test_a_pledge_names_at_most_20_accountable_partnerships():
    names = PLEDGE.items("accountable")
    assert names.problem([f"Board {n}" for n in range(20)]) is None
    assert names.problem([f"Board {n}" for n in range(21)]) == (
        "The accountable partnerships must be 20 or fewer (there are 21)"
    )
