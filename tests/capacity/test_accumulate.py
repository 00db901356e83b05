"""The compiled block sums (capacity/domain/kernels/numba/accumulate.py) against the numpy code they
replace in `statistics.Accumulator`: every measure of a run equal to the last bit, on the demo (a
single service, linked services with blocking and an interim with a time to arrange, step-up beds)
and on the kernel tests' networks (a cycle, capacity by month with a surge and closures); and a
run's start without scipy.linalg."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from placeplan.capacity.domain import kernels, run, statistics
from placeplan.capacity.domain.engine import RunResult
from tests.capacity.test_kernels import SCENARIOS

pytestmark = pytest.mark.skipif(not kernels.NUMBA_AVAILABLE, reason="numba is not installed")


def _measures(result: RunResult) -> dict[str, np.ndarray]:
    out = {f"discharge.{k}": v for k, v in result.discharge_period.items()}
    out |= {f"discharge monthly.{k}": v for k, v in result.discharge_monthly.items()}
    for sid, service in result.services.items():
        out |= {f"{sid}.monthly.{k}": v for k, v in service.monthly.items()}
        out |= {f"{sid}.period.{k}": v for k, v in service.period.items()}
    return out


@pytest.mark.parametrize("name", ["LLR demo", "cycle", "network by month with surge"])
def test_the_compiled_sums_are_numpys(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIOS[name]()
    fast = _measures(run(scenario, 70, seed=5))
    monkeypatch.setattr(statistics, "COMPILED", False)  # Accumulator reads it when made
    slow = _measures(run(scenario, 70, seed=5))
    assert fast.keys() == slow.keys()
    differ = [k for k in fast if not np.array_equal(fast[k], slow[k], equal_nan=True)]
    assert not differ, differ[:10]


_FRESH = """
import sys
import numba
import numpy as np
from placeplan.capacity.domain import parse_scenario, run
from tests.capacity.conftest import SMALLEST
run(parse_scenario(SMALLEST), 5, seed=1)
print("scipy.linalg" in sys.modules)
dot = numba.njit(lambda a, b: np.dot(a, b))
print(dot(np.ones(3), np.full(3, 2.0)))
"""


def test_a_run_starts_numba_without_scipy_linalg() -> None:
    # kernels.numba.compile.prepare: numba's start imports scipy.linalg only for its dot
    # products' BLAS check (about 0.15 s of the command); a fresh process's run skips it, and
    # numba's own linear algebra still works afterwards (it imports scipy.linalg then)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.split() == ["False", "6.0"]
