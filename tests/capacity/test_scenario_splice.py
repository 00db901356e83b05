"""A scenario's YAML changed by a form keeps the file as written where the form changed nothing:
the demo file's comments (its sources, what is calibrated) survive a change to P2's capacity, a
service added or removed, an interim option changed; a layout it cannot follow is written afresh,
figures intact."""

from __future__ import annotations

import copy

import yaml

from placeplan.capacity.io.scenario import scenario_text
from placeplan.capacity.io.scenario_splice import scenario_text_keeping
from tests.capacity.conftest import DEMO

TEXT = DEMO.read_text(encoding="utf-8")
STEPS = [64, 64, 64, 75, 86, 97, 108, 119, 130, 141, 152, 152]


def comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def changed(edit) -> tuple[dict, str]:
    data = copy.deepcopy(yaml.safe_load(TEXT))
    edit(data)
    out = scenario_text_keeping(TEXT, data)
    assert yaml.safe_load(out) == data  # the figures are what the form made
    return data, out


def test_p2_capacity_by_month_keeps_every_other_comment():
    _, out = changed(lambda d: d["services"][1].__setitem__("capacity", STEPS))
    gone = set(comments(TEXT)) - set(comments(out))
    # the one comment beside P2's old capacity (the demo file's sources of 64 beds) goes with it
    assert gone == {
        "[Leicestershire BCF plan 2021-22] 28 therapy-led D2A beds + [Leicestershire BCF plan "
        "2025-26] 36 therapy beds"
    }
    assert f"    capacity: [{', '.join(map(str, STEPS))}]\n" in out
    assert len(out.splitlines()) == len(TEXT.splitlines())


def test_a_changed_value_takes_the_comments_above_it():
    _, out = changed(lambda d: d["services"][1].__setitem__("arrivals_per_day", 6))
    assert "CALIBRATED (see notes): the source documents give no P2 referral rate" not in out
    assert "[Leicestershire BCF plan 2025-26] 20 winter beds" in out


def test_a_service_added_and_one_removed_keep_the_others_comments():
    new = {
        "id": "UCR",
        "kind": "visits",
        "arrivals_per_day": 2,
        "length_of_stay": {"distribution": "fixed", "mean": 2},
        "capacity": 6,
    }
    _, added = changed(lambda d: d["services"].append(new))
    assert set(comments(added)) == set(comments(TEXT)) and added.startswith(TEXT)

    def remove_p3(d: dict) -> None:
        del d["services"][2]
        del d["services"][1]["onward"]

    _, removed = changed(remove_p3)
    assert "ILLUSTRATIVE (P2 sends it about 0.5 a day more than before)" not in removed
    assert "ASSUMED: today's beds full" in removed and "# ILLUSTRATIVE" in removed


def test_a_renamed_service_and_a_changed_interim_option_are_edited_in_place():
    def rename(d: dict) -> None:
        d["services"][2]["id"] = "P3-beds"
        d["services"][1]["onward"] = {"P3-beds": 0.1}
        d["interim"]["temporary_residential_place"]["cost_per_day"] = 120

    _, out = changed(rename)
    assert "  - id: P3-beds\n" in out and "    cost_per_day: 120\n" in out
    assert "CALIBRATED (see notes): 4.9 days on average to arrange" in out


def test_an_unchanged_scenario_is_the_text_as_it_was():
    assert scenario_text_keeping(TEXT, yaml.safe_load(TEXT)) == TEXT


def test_a_layout_it_cannot_follow_is_written_afresh():
    flow = (
        "{name: one, services: [{id: A, kind: beds, arrivals_per_day: 1, "
        "length_of_stay: {distribution: fixed, mean: 2}, capacity: 3}]}\n"
    )
    data = yaml.safe_load(flow)
    data["services"][0]["capacity"] = 4
    assert scenario_text_keeping(flow, data) == scenario_text(data)
