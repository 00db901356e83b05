"""The compiled block sums (capacity/domain/kernels/numba/accumulate.py) against the numpy code they
replace in `statistics.Accumulator`: every measure of a run equal to the last bit, on the demo (a
single service, linked services with blocking and an interim with a time to arrange, step-up beds)
and on the kernel tests' networks (a cycle, capacity by month with a surge and closures)."""

from __future__ import annotations

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
