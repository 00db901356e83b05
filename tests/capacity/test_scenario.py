"""Scenario files: the schema, and every refusal naming its field (and file)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from placeplan.capacity.domain import parse_scenario, scenario_schema
from placeplan.capacity.io.scenario import load_scenario
from placeplan.core.errors import InputError

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def apply(doc: dict[str, Any]) -> None:
        node: Any = doc
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return apply


_DELETE = object()

TWO = {
    "name": "two",
    "start": "2025-04",
    "days": 365,
    "services": [
        {
            "id": "P2",
            "kind": "beds",
            "arrivals_per_day": 6,
            "length_of_stay": {"distribution": "lognormal", "mean": 14, "sd": 6},
            "capacity": 100,
            "onward": {"P3": 0.1},
        },
        {
            "id": "P3",
            "kind": "beds",
            "arrivals_per_day": 1,
            "length_of_stay": {"distribution": "exponential", "mean": 28},
            "capacity": 40,
        },
    ],
}

BAD: list[tuple[str, Mutation, str, str]] = [
    (
        "negative rate",
        _set("services.0.arrivals_per_day", -2),
        "services[0].arrivals_per_day",
        "at least 0",
    ),
    (
        "missing rate",
        _set("services.0.arrivals_per_day", _DELETE),
        "services[0].arrivals_per_day",
        "required",
    ),
    (
        "negative monthly rate",
        _set("services.1.arrivals_per_day", [1] * 11 + [-1]),
        "services[1].arrivals_per_day[11]",
        "at least 0",
    ),
    (
        "11 monthly values",
        _set("services.1.capacity", [40] * 11),
        "services[1].capacity",
        "12 monthly values, got 11",
    ),
    (
        "11 monthly rates",
        _set("services.0.arrivals_per_day", [6] * 11),
        "services[0].arrivals_per_day",
        "12 monthly values",
    ),
    (
        "routing above 1",
        _set("services.0.onward", {"P3": 0.7, "P2x": 0.5}),
        "services[0].onward",
        "more than 1",
    ),
    (
        "routing to nowhere",
        _set("services.0.onward", {"P9": 0.2}),
        "services[0].onward.P9",
        "not a service",
    ),
    (
        "probability above 1",
        _set("services.0.onward", {"P3": 1.5}),
        "services[0].onward.P3",
        "at most 1",
    ),
    (
        "cycle with no exit",
        lambda d: (
            _set("services.0.onward", {"P3": 1.0})(d),
            _set("services.1.onward", {"P2": 1.0})(d),
        ),
        "services[0].onward",
        "no exit",
    ),
    (
        "sd zero",
        _set("services.0.length_of_stay.sd", 0),
        "services[0].length_of_stay.sd",
        "more than 0",
    ),
    (
        "sd missing",
        _set("services.0.length_of_stay.sd", _DELETE),
        "services[0].length_of_stay.sd",
        "required",
    ),
    (
        "mean negative",
        _set("services.1.length_of_stay.mean", -3),
        "services[1].length_of_stay.mean",
        "more than 0",
    ),
    (
        "empty empirical",
        _set("services.1.length_of_stay", {"distribution": "empirical", "days": []}),
        "services[1].length_of_stay.days",
        "at least 1",
    ),
    (
        "all-zero empirical",
        _set("services.1.length_of_stay", {"distribution": "empirical", "days": [0, 0]}),
        "services[1].length_of_stay.days",
        "longer than 0",
    ),
    (
        "unknown distribution",
        _set("services.1.length_of_stay.distribution", "weibull"),
        "services[1].length_of_stay.distribution",
        "one of",
    ),
    ("unknown key", _set("services.1.colour", "red"), "services[1].colour", "unknown key"),
    ("bad kind", _set("services.1.kind", "chairs"), "services[1].kind", "one of"),
    ("duplicate id", _set("services.1.id", "P2"), "services[1].id", "used twice"),
    ("bad start", _set("start", "April 2025"), "start", "YYYY-MM"),
    (
        "surge outside period",
        _set("services.1.surge", {"months": ["2027-01"], "extra": 5}),
        "services[1].surge.months[0]",
        "outside",
    ),
    (
        "undefined interim",
        _set("services.1.when_full", {"interim": "hotel"}),
        "services[1].when_full.interim",
        "not defined",
    ),
    (
        "too many in service",
        _set("services.1.start_state", {"in_service": 41}),
        "services[1].start_state.in_service",
        "more than the capacity",
    ),
    ("no capacity ever", _set("services.1.capacity", 0), "services[1].capacity", "every month"),
    (
        "acute total too small",
        _set("acute_discharges_per_day", 5),
        "acute_discharges_per_day",
        "must include",
    ),
    ("missing name", _set("name", _DELETE), "name", "required"),
    (
        "beds with visit slots",
        _set("services.1.visit_slots_per_day", 10),
        "services[1].visit_slots_per_day",
        "visits",
    ),
    ("negative days", _set("days", -5), "days", "at least 1"),
]


@pytest.mark.parametrize(("case", "mutate", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field(case: str, mutate: Mutation, field: str, words: str) -> None:
    doc = copy.deepcopy(TWO)
    mutate(doc)
    with pytest.raises(InputError) as err:
        parse_scenario(doc)
    assert err.value.field == field, (case, str(err.value))
    assert words in err.value.message, (case, err.value.message)


def test_cycle_with_an_exit_is_accepted() -> None:
    # cycles whose services can all reach an exit are modelled (tests/capacity/
    # test_capacity_cycles.py); only closed cycles are refused (the "cycle with no exit" case)
    doc = copy.deepcopy(TWO)
    doc["services"][1]["onward"] = {"P2": 0.2}
    assert [s.id for s in parse_scenario(doc).services] == ["P2", "P3"]


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    doc = copy.deepcopy(TWO)
    doc["services"][1]["onward"] = {"P3": 0.5}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.file == str(path)
    assert err.value.field == "services[1].onward.P3"
    assert err.value.as_dict()["file"] == str(path)


def test_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nservices: [\n  - id: P2\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.file == str(path)
    assert "line" in err.value.message


def test_missing_file() -> None:
    with pytest.raises(InputError) as err:
        load_scenario("/nonexistent/scenario.yaml")
    assert err.value.file == "/nonexistent/scenario.yaml"


def test_schema_is_published_and_valid() -> None:
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["$defs"]["service"]["properties"]) >= {
        "id",
        "kind",
        "source",
        "arrivals_per_day",
        "growth",
        "length_of_stay",
        "capacity",
        "visit_slots_per_day",
        "visits_per_day",
        "surge",
        "cost_per_day",
        "onward",
        "when_full",
        "start_state",
    }


def test_issue_examples_are_valid(demo_path: Path) -> None:
    # the smallest file and the fuller one from issue 4 both load
    smallest = parse_scenario(
        yaml.safe_load("""
name: one service
days: 365
warm_up_days: 60
services:
  - id: P2
    kind: beds
    arrivals_per_day: 20
    length_of_stay: {distribution: exponential, mean: 4}
    capacity: 90
""")
    )
    assert smallest.services[0].capacity == (90,) * 12
    fuller = parse_scenario(
        yaml.safe_load("""
name: LLR winter
start: 2025-04
days: 365
warm_up_days: 60
acute_discharges_per_day: 310
services:
  - id: P1
    kind: visits
    source: discharge
    arrivals_per_day: [17, 17, 18, 18, 19, 19, 20, 21, 22, 22, 21, 20]
    growth: 0.30
    length_of_stay: {distribution: lognormal, mean: 21, sd: 12}
    capacity: 420
    cost_per_day: 95
    when_full: {interim: temporary_care_package}
  - id: P2
    kind: beds
    arrivals_per_day: 6
    length_of_stay: {distribution: empirical, days: [7, 12, 14, 21, 28, 35]}
    capacity: 64
    surge: {months: [2025-12, 2026-01, 2026-02], extra: 20}
    cost_per_day: 180
    onward: {P3: 0.1}
    start_state: {in_service: 60, waiting: 12}
  - id: P3
    kind: beds
    arrivals_per_day: 1
    length_of_stay: {distribution: exponential, mean: 28}
    capacity: 40
interim:
  temporary_care_package: {cost_per_day: 120}
acute_bed_day_cost: 450
""")
    )
    assert fuller.service("P2").surge_extra == 20
    assert fuller.timeline.labels()[0] == "2025-04"
    assert load_scenario(demo_path).name.startswith("LLR")


def test_visit_slots_become_packages() -> None:
    doc = copy.deepcopy(TWO)
    doc["services"][1] = {
        "id": "P1",
        "kind": "visits",
        "arrivals_per_day": 10,
        "length_of_stay": {"distribution": "exponential", "mean": 20},
        "visit_slots_per_day": [500] * 6 + [520] * 6,
        "visits_per_day": 2.5,
    }
    doc["services"][0]["onward"] = {}
    s = parse_scenario(doc)
    assert s.service("P1").capacity == (200,) * 6 + (208,) * 6
