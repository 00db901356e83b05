"""A stored regression snapshot of the capacity demo's report at a fixed seed."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from placeplan.capacity.domain import report, run
from placeplan.capacity.domain.report import finite
from placeplan.capacity.io.scenario import load_scenario

SNAPSHOT = Path(__file__).parent / "snapshots" / "llr_demo_seed1.json"
REPLICATIONS = 100
SEED = 1
# floats agree to this relative tolerance (or this absolute one, near zero): the engine's numbers
# depend only on the seed and the replications, but a numpy or platform change may move the last
# bits of a float; integers and strings must be exact
REL, ABS = 1e-9, 1e-12


def _differences(got: Any, want: Any, where: str = "$") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = (
            [f"{where}: keys {sorted(set(got) ^ set(want))} differ"]
            if set(got) != set(want)
            else []
        )
        for key in sorted(set(got) & set(want)):
            out += _differences(got[key], want[key], f"{where}.{key}")
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{where}: {len(got)} items, stored {len(want)}"]
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in _differences(g, w, f"{where}[{i}]")
        ]
    if isinstance(want, float) or isinstance(got, float):
        if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
            return [] if got == want else [f"{where}: {got!r}, stored {want!r}"]
        if math.isclose(float(got), float(want), rel_tol=REL, abs_tol=ABS):
            return []
        return [f"{where}: {got!r}, stored {want!r}"]
    return [] if got == want and type(got) is type(want) else [f"{where}: {got!r}, stored {want!r}"]


def test_the_demo_report_at_seed_1_is_as_stored(demo_path: Path) -> None:
    """Why: the engine (kernels, measures, report) is restructured and tuned for speed, and its
    unit tests check properties (agreement with Erlang C and a SimPy reference within intervals),
    which a small numerical change passes unseen. This pins every number of the demo's report
    (what `placeplan capacity run --format json` prints) at one seed, so any change to what the
    engine computes shows up here, named by its path in the report.

    A change meant to alter the numbers rewrites the snapshot on purpose:
    `PLACEPLAN_UPDATE_SNAPSHOTS=1 pytest tests/capacity/test_report_snapshot.py`, and the diff
    of tests/capacity/snapshots/llr_demo_seed1.json is reviewed with the change."""
    doc = json.loads(
        json.dumps(finite(report.as_dict(run(load_scenario(demo_path), REPLICATIONS, seed=SEED))))
    )
    doc["file"] = Path(doc["file"]).name  # the report names the file read; where it is varies
    if os.environ.get("PLACEPLAN_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    differences = _differences(doc, stored)
    assert not differences, "\n".join(differences[:20])
