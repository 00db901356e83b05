"""A fitted length of stay written into a scenario's YAML where it stands, the rest of the text
(comments included) as it was."""

from __future__ import annotations

import pytest
import yaml

from placeplan.capacity.io.scenario_edit import with_length_of_stay
from placeplan.core.errors import InputError
from tests.capacity.conftest import DEMO

FIT = {"distribution": "gamma", "mean": 26.5, "sd": 13.1}


def test_the_demo_keeps_every_other_line_and_comment() -> None:
    text = DEMO.read_text(encoding="utf-8")
    changed = with_length_of_stay(text, "P1", FIT, "gamma fitted to 40 stays (p1.csv)")
    before, after = text.splitlines(), changed.splitlines()
    assert len(before) == len(after)
    differ = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differ) == 1
    line = after[differ[0]]
    assert line.strip() == (
        "length_of_stay: {distribution: gamma, mean: 26.5, sd: 13.1}"
        " # gamma fitted to 40 stays (p1.csv)"
    )
    services = yaml.safe_load(changed)["services"]
    assert services[0]["length_of_stay"] == FIT
    assert services[1] == yaml.safe_load(text)["services"][1]


def test_a_block_length_of_stay_is_replaced_whole() -> None:
    text = (
        "name: x\nservices:\n  - id: A\n    length_of_stay:\n"
        "      distribution: exponential   # a guess\n      mean: 4\n    capacity: 3\n"
    )
    changed = with_length_of_stay(text, "A", FIT, "")
    assert yaml.safe_load(changed)["services"][0] == {
        "id": "A",
        "length_of_stay": FIT,
        "capacity": 3,
    }
    assert "a guess" not in changed


def test_a_missing_service_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        with_length_of_stay("name: x\nservices:\n  - id: A\n", "B", FIT, "")
    assert caught.value.field == "service"
