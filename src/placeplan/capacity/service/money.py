"""Money at the boundary: the engine reports costs as float pounds (model estimates); stored and
answered, every cost is integer pence (Decimal, rounded half up to the penny), under keys ending
`_pence`."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# engine measures in pounds, stored and shown as pence
COST_KEYS = frozenset(
    {"delayed_bed_day_cost", "interim_cost", "service_cost", "total_cost", "cost_per_day"}
)


def pence(pounds: float | None) -> int | None:
    """Float pounds from the engine to integer pence, via Decimal, rounded half up."""
    if pounds is None or not math.isfinite(pounds):
        return None
    return int((Decimal(repr(float(pounds))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(value: Any) -> Any:
    """A number or a {value, low, high, p2_5, p97_5} of pounds, in pence."""
    if isinstance(value, dict):
        return {k: pence(v) for k, v in value.items()}
    if isinstance(value, (int, float)):
        return pence(float(value))
    return value


def costs_in_pence(doc: Any) -> Any:
    """The engine's report with every cost key `x` replaced by `x_pence` in integer pence."""
    if isinstance(doc, list):
        return [costs_in_pence(v) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in COST_KEYS:
            out[f"{key}_pence"] = _money(value)
        else:
            out[key] = costs_in_pence(value)
    return out
