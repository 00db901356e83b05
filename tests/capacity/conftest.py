"""Shared fixtures for the capacity engine tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

DEMO = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "placeplan"
    / "demo"
    / "data"
    / "capacity_llr.yaml"
)

# The smallest valid file (issue 4): one service, 20 arrivals a day, mean stay 4, 90 beds.
SMALLEST: dict[str, Any] = {
    "name": "one service",
    "days": 365,
    "warm_up_days": 60,
    "services": [
        {
            "id": "P2",
            "kind": "beds",
            "arrivals_per_day": 20,
            "length_of_stay": {"distribution": "exponential", "mean": 4},
            "capacity": 90,
        }
    ],
}

# A small network: A (beds) routes 40% onward to B (beds); B also takes its own arrivals.
NETWORK: dict[str, Any] = {
    "name": "small network",
    "days": 150,
    "warm_up_days": 30,
    "services": [
        {
            "id": "A",
            "kind": "beds",
            "arrivals_per_day": 1.6,
            "length_of_stay": {"distribution": "exponential", "mean": 4},
            "capacity": 8,
            "onward": {"B": 0.4},
        },
        {
            "id": "B",
            "kind": "beds",
            "arrivals_per_day": 0.6,
            "length_of_stay": {"distribution": "exponential", "mean": 5},
            "capacity": 7,
        },
    ],
}


@pytest.fixture
def smallest() -> dict[str, Any]:
    return copy.deepcopy(SMALLEST)


@pytest.fixture
def network() -> dict[str, Any]:
    return copy.deepcopy(NETWORK)


@pytest.fixture
def demo_path() -> Path:
    return DEMO
