"""What a person typed into a pledge's form, checked: text cleaned and held to the columns'
limits. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from placeplan.core.errors import InputError
from placeplan.pledges.domain.fields import PLEDGE, measure_limits

# The lengths are the field tables' (pledges.domain.fields), so a page, the API and a load agree.
_FIELDS = {f.name: f for f in PLEDGE.fields + measure_limits(None).fields}


def clean(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    return text or None


def required(values: Mapping[str, Any], name: str, label: str) -> str:
    text = clean(values.get(name))
    if text is None:
        raise InputError(f"Enter the {label}", field=name)
    return limited(text, name, label)


def limited(text: str, name: str, label: str) -> str:
    field = _FIELDS.get(name)
    return field.check(text) if field is not None else text


def paragraphs(value: Any) -> str | None:
    # Descriptions keep their paragraphs; only the ends are trimmed.
    text = str(value or "").replace("\r\n", "\n").strip()
    return text or None


def pledge_values(values: Mapping[str, Any]) -> dict[str, Any]:
    priority = clean(values.get("priority"))
    checked = {
        "title": required(values, "title", "pledge's title"),
        "statement": required(values, "statement", "pledge as the plan states it"),
        "priority": limited(priority, "priority", "delivery priority") if priority else None,
        "description": paragraphs(values.get("description")),
    }
    PLEDGE.check(checked)
    return checked
