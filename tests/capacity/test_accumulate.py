"""The compiled block sums (capacity/domain/kernels/compiled/accumulate.pyx) against the numpy code they
replace in `statistics.Accumulator`: every measure of a run equal to the last bit, on the demo (a
single service, linked services with blocking and an interim with a time to arrange, step-up beds)
and on the kernel tests' networks (a cycle, capacity by month with a surge and closures); and a
fresh process's run on the compiled kernels without a JIT compiler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from placeplan.capacity.domain import run, statistics
from placeplan.capacity.domain.engine import RunResult
from tests.capacity.test_kernels import SCENARIOS


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
from placeplan.capacity.domain import kernels, parse_scenario, run
from tests.capacity.conftest import SMALLEST
run(parse_scenario(SMALLEST), 5, seed=1)
print(kernels.COMPILED_AVAILABLE, kernels.kernel_for(None).name, "numba" in sys.modules)
"""


def test_a_fresh_process_runs_the_compiled_kernels_without_a_jit() -> None:
    # the kernels are C extensions built at set-up (kernels/compiled/built.py): a run in a new
    # process finds them and loads no JIT compiler (numba's import and cache load took about
    # 0.4 s of every `placeplan capacity run`). Not a skip where they are missing: the suite's
    # compiled-against-numpy tests would then compare numpy with itself.
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.split() == ["True", "compiled", "False"]
