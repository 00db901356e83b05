"""What a measurement's and an ambition's fields accept (core.fields): figures are 0 or more,
and from 0 to 100 where the metric's unit is a percentage; counts are 0 or more. The measurements
upload (page, API, command line) and the ambitions check through these. Pure."""

from __future__ import annotations

from placeplan.core.fields import MAX_NAME, MAX_PARAGRAPHS, Field, Limits, percentage


def figure(name: str, label: str, unit: str | None) -> Field:
    """A figure in the metric's unit: a percentage from 0 to 100, anything else 0 or more."""
    if unit == "percentage":
        return percentage(name, label)
    return Field(name, label, "number", low=0)


COUNTS = Limits(
    (
        Field("numerator", "numerator", "number", low=0),
        Field("denominator", "denominator", "number", low=0),
    )
)


def measurement_limits(unit: str | None) -> Limits:
    return Limits((*COUNTS.fields, figure("value", "value", unit)))


def ambition_limits(unit: str | None) -> Limits:
    return Limits(
        (
            figure("target", "ambition's target", unit),
            figure("baseline", "ambition's baseline", unit),
            Field("stated_change", "change the plan states", max_length=200),
            Field("rationale", "rationale", max_length=MAX_PARAGRAPHS),
            Field("source", "source", max_length=MAX_NAME),
        )
    )
