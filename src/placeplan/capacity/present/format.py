"""Display formatting for the capacity pages: numbers, shares and pence as the templates show them
(a stat `{value, low, high, ...}` shows its value), and each run status's words."""

from __future__ import annotations

from typing import Any

from placeplan.capacity.domain.interim import CAPACITY_FALLS_EXPLAINED
from placeplan.capacity.present.months import month_words
from placeplan.capacity.service.runs import FAILED, FINISHED, QUEUED, RUNNING
from placeplan.core.money import format_pence


def num(value: Any, digits: int = 1) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def pct(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return "–" if value is None else f"{value * 100:.1f}%"


def money(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return "–" if value is None else format_pence(int(value), whole_pounds=True)


def stat_value(stat: Any, key: str = "value") -> float | None:
    """A stat's `key` (its value by default), or the number itself when it is not a stat."""
    return stat.get(key) if isinstance(stat, dict) else stat


HELPERS: dict[str, Any] = {
    "num": num,
    "pct": pct,
    "money": money,
    "month": month_words,
    "falls_explained": CAPACITY_FALLS_EXPLAINED,
}

STATUS_TEXT = {
    QUEUED: ("Queued", "grey", "waiting for the runner to start it"),
    RUNNING: ("Running", "blue", "simulating"),
    FINISHED: ("Finished", "green", "the results are below"),
    FAILED: ("Failed", "red", "the run could not be made"),
}
