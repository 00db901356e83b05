"""What a pledge's and its measures' editable fields accept (core.fields): text lengths, and a
measure's figures, which are percentages from 0 to 100 where its unit says per cent; a latest
value's period falls within the plan's period; an intervention's texts fit their columns. The
pledge forms, the API, the command line and the YAML load check through these. Pure."""

from __future__ import annotations

from placeplan.core.fields import (
    MAX_NAME,
    MAX_PARAGRAPHS,
    Field,
    Items,
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
    ),
    # A pledge names a few accountable partnerships (each name checked above).
    lists=(Items("accountable", "accountable partnerships", "partnership", 20, MAX_NAME),),
)

# An intervention as a plan's document lists it (its tables of interventions, loaded by the
# command line and the demo): the lengths its columns hold.
INTERVENTION = Limits(
    (
        Field("table_ref", "intervention table's reference", max_length=40),
        Field("table_title", "intervention table's title", max_length=MAX_NAME),
        Field("number", "intervention's number", max_length=20),
        Field("area", "intervention's area", max_length=200),
        Field("description", "intervention's description", max_length=MAX_PARAGRAPHS),
        Field("timeline", "intervention's timeline", max_length=100),
        Field("note", "intervention's note", max_length=MAX_PARAGRAPHS),
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
