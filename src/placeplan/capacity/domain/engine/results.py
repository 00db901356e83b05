"""What a run measured, per replication: `RunResult` with a `ServiceResult` per service (the
report turns them into numbers with intervals), and the waiting-time bands reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.scenario import Scenario, Service

FloatArray = NDArray[np.float64]
Progress = Callable[[float], None]

# the waiting-time distribution reported per service: the share starting within each of these
# many days (edges of the accumulators' histogram, so exact, not interpolated)
WAIT_BANDS = (0.5, 1.0, 2.0, 7.0, 14.0, 28.0)


def wait_band_key(days: float) -> str:
    return f"start_within_{days:g}_days".replace(".", "_")


@dataclass
class ServiceResult:
    """Per-replication measures of one service: monthly (R, M) and over the period (R,)."""

    service: Service
    capacity: list[int]
    load: list[float]
    monthly: dict[str, FloatArray] = field(default_factory=dict)
    period: dict[str, FloatArray] = field(default_factory=dict)
    unbounded: bool = False
    message: str | None = None


@dataclass
class RunResult:
    """Everything one run measured, per replication; `report` turns it into numbers with CIs."""

    scenario: Scenario
    replications: int
    seed: int
    months: list[str]
    month_days: list[float]
    services: dict[str, ServiceResult]
    discharge_monthly: dict[str, FloatArray]
    discharge_period: dict[str, FloatArray]
    total_cost: FloatArray
    elapsed_seconds: float
    warnings: list[str]
    # discharge services whose people wait in acute beds while the queue grows without bound:
    # the discharge-delay metric then has no steady figure
    discharge_unbounded: list[str] = field(default_factory=list)
