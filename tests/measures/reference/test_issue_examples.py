"""Issue 18's smallest SPC examples: the reference, the domain and `placeplan spc` all agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from placeplan.measures.cli import spc
from placeplan.measures.domain.spc import xmr
from tests.measures.reference.issue_examples import EXAMPLES, Example
from tests.measures.reference.plotthedots import ptd_spc

R_DIRECTION = {"higher": 1, "lower": -1, "neither": 0}
R_ASSURANCE = {None: "none", "consistent_pass": "pass", "consistent_fail": "fail",
               "inconsistent": "inconsistent"}  # fmt: skip


def expected_types(example: Example) -> list[str]:
    return [example.types.get(i, "common_cause") for i in range(len(example.values))]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_reference_gives_the_hand_worked_answer(example: Example) -> None:
    points, assurance = ptd_spc(example.values, R_DIRECTION[example.direction],
                                target=example.target, screen_outliers=example.screen)  # fmt: skip
    assert [p.point_type for p in points] == expected_types(example)
    assert R_ASSURANCE[assurance] == example.assurance


@pytest.mark.parametrize("screen", [True, False])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_domain(example: Example, screen: bool) -> None:
    chart = xmr([(f"p{i:02d}", v) for i, v in enumerate(example.values)],
                example.direction, target=example.target, screen_outliers=screen)  # type: ignore[arg-type]  # fmt: skip
    assert [p.type for p in chart.points] == expected_types(example)
    assert chart.assurance == example.assurance
    assert all((p.upper is not None) == example.limits for p in chart.points)
    if example.mean is not None:
        assert chart.points[0].mean == example.mean  # exactly, not approximately
    assert chart.screened == screen


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_placeplan_spc(example: Example, tmp_path: Path) -> None:
    path = tmp_path / "series.csv"
    rows = "".join(f"p{i:02d},{v}\n" for i, v in enumerate(example.values))
    path.write_text(f"period,value\n{rows}", encoding="utf-8")
    args = [str(path), "--direction", example.direction, "--format", "json"]
    if example.target is not None:
        args += ["--target", str(example.target)]
    body = json.loads(CliRunner().invoke(spc, [*args, "--screen-outliers"]).stdout)
    assert [p["type"] for p in body["points"]] == expected_types(example)
    assert body["assurance"] == example.assurance
    assert body["moving_range_screening"] == "on"
    assert all((p["upper"] is not None) == example.limits for p in body["points"])
    if example.mean is not None:
        assert body["points"][0]["mean"] == example.mean
    text = CliRunner().invoke(spc, args[:3]).stdout
    assert "moving-range screening: off" in text
