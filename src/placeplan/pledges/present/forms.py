"""What the edit forms show: a pledge's or measure's values as text, blank forms, and where an
error sends the reader."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from placeplan.core.errors import InputError
from placeplan.pledges.models import Pledge, PledgeMeasure, PledgePartnership
from placeplan.pledges.service.editing import MEASURE_FIELDS

PLEDGE_TEXTS = ["title", "statement", "priority", "description"]
# The measure form has a box for each field of a measure's definition, as the service takes them.
MEASURE_TEXTS = list(MEASURE_FIELDS)
_PARTNER = re.compile(r"^accountable\[(\d+)\]\.(body_id|name)$")
EXTRA_ROWS = 1  # blank partnership rows offered below the current ones


def field_id(field: str | None) -> str:
    """The id of the input an error about `field` sends the reader to."""
    if not field:
        return "maincontent"
    if match := _PARTNER.match(field):
        return f"partner-{match[1]}-{'body' if match[2] == 'body_id' else 'name'}"
    return field


def errors(error: InputError | None) -> list[dict[str, str]]:
    if error is None:
        return []
    return [{"field": error.field or "", "href": field_id(error.field), "message": error.message}]


def _number(value: Any) -> str:
    return "" if value is None else format(value.normalize(), "f")


def pledge_values(pledge: Pledge, partnerships: Sequence[PledgePartnership]) -> dict[str, Any]:
    partners = [{"body_id": str(p.body_id or ""), "name": p.name} for p in partnerships]
    return {
        **{k: getattr(pledge, k) or "" for k in PLEDGE_TEXTS},
        "partners": partners + [{"body_id": "", "name": ""}] * EXTRA_ROWS,
    }


def blank_pledge() -> dict[str, Any]:
    return {
        **{k: "" for k in PLEDGE_TEXTS},
        "partners": [{"body_id": "", "name": ""}] * (1 + EXTRA_ROWS),
    }


def chosen_bodies(values: dict[str, Any]) -> list[int]:
    """The governance bodies a pledge form has chosen (offered even when no longer the plan's)."""
    return [int(p["body_id"]) for p in values["partners"] if p["body_id"].isdigit()]


def measure_values(measure: PledgeMeasure) -> dict[str, str]:
    return {
        "name": measure.name,
        "unit": measure.unit or "",
        "direction": measure.direction or "",
        "baseline_value": _number(measure.baseline_value),
        "baseline_period": measure.baseline_period or "",
        "target_value": _number(measure.target_value),
        "target_period": measure.target_period or "",
        "metric_key": measure.metric_key or "",
        "source": measure.source or "",
        "illustrative": "yes" if measure.illustrative else "",
    }


def blank_measure() -> dict[str, str]:
    return {k: "" for k in MEASURE_TEXTS}
