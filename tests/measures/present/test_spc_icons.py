"""The Making Data Count icons: one for each reading, each with its words."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from placeplan.measures.present.spc_icons import (
    ASSURANCE_TEXT,
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    assurance_icon,
    variation_icon,
)

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("variation", "side", "colour", "letter"),
    [
        ("common_cause", "none", GREY, None),
        ("improvement", "high", BLUE, "H"),
        ("improvement", "low", BLUE, "L"),
        ("concern", "high", ORANGE, "H"),
        ("concern", "low", ORANGE, "L"),
        ("neutral", "high", PURPLE, "H"),
        ("neutral", "low", PURPLE, "L"),
    ],
)
def test_variation_icons(variation, side, colour, letter) -> None:
    root = ET.fromstring(variation_icon(variation, side))
    label = root.get("aria-label") or ""
    assert root.get("role") == "img" and label == root.findtext(f"{NS}title")
    ring = root.find(f"{NS}circle")
    assert ring is not None and ring.get("stroke") == colour
    assert [t.text for t in root.iter(f"{NS}text")] == ([letter] if letter else [])
    dots = [c.get("fill") for c in root.iter(f"{NS}circle")][1:]
    assert len(dots) == 5  # five dots, the last two in the ring's colour for special cause
    assert dots[3:] == ([colour] * 2 if letter else dots[3:])
    if letter:
        assert variation in label.replace("neither better nor worse", "neutral")
        assert f"({side})" in label


@pytest.mark.parametrize(
    ("assurance", "colour", "letter"),
    [("pass", BLUE, "P"), ("fail", ORANGE, "F"), ("inconsistent", GREY, "?")],
)
def test_assurance_icons(assurance, colour, letter) -> None:
    root = ET.fromstring(assurance_icon(assurance))
    assert root.get("aria-label") == ASSURANCE_TEXT[assurance]
    assert [t.text for t in root.iter(f"{NS}text")] == [letter]
    target = root.find(f"{NS}line")
    assert target is not None and target.get("stroke-dasharray")  # the dashed target line


def test_no_icon_without_a_reading() -> None:
    assert variation_icon("none", "none") == "" and assurance_icon("none") == ""
