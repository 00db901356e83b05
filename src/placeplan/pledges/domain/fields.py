"""What a pledge's and its measures' editable fields accept (core.fields): text lengths, and a
measure's figures, which are percentages from 0 to 100 where its unit says per cent; a latest
value's period falls within the plan's period. The pledge forms, the API, the command line and the
YAML load check through these. Pure."""

from __future__ import annotations

from placeplan.core.fields import (
    MAX_NAME,
    MAX_PARAGRAPHS,
    Field,
    Limits,
    Window,
    is_percentage,
    percentage,
)
from placeplan.core.periods import parse_span

PLEDGE = Limits(
    (
        Field("title", "pledge's title", max_length=200),
        Field("statement", "pledge as the plan states it", max_length=MAX_PARAGRAPHS),
        Field("priority", "delivery priority", max_length=200),
        Field("description", "description", max_length=MAX_PARAGRAPHS),
        Field("partnership", "partnership's name", max_length=MAX_NAME),
    )
)

_FIGURES = (
    ("baseline_value", "baseline"),
    ("target_value", "target"),
    ("latest_value", "latest value"),
)


def measure_limits(unit: str | None) -> Limits:
    """A measure's fields; its figures are percentages when its unit says per cent."""
    figures = tuple(
        percentage(name, label) if is_percentage(unit) else Field(name, label, "number")
        for name, label in _FIGURES
    )
    texts = (
        Field("name", "measure's name", max_length=MAX_NAME),
        Field("unit", "unit", max_length=60),
        Field("source", "source", max_length=MAX_PARAGRAPHS),
    )
    return Limits(texts + figures)


def latest_period_problem(window: Window, period: str | None) -> str | None:
    """Why a latest value's period falls outside the plan's period, or None."""
    if period is None:
        return None
    span = parse_span(period, "latest_period")
    return window.problem(span.label, span.start, span.end, "latest value's period")
