"""What a measurement's, an ambition's, a commentary's and a chart mark's fields accept
(core.fields): figures are 0 or more, and from 0 to 100 where the metric's unit is a percentage;
counts are 0 or more; commentary and the reasons and notes on a chart have their lengths. The
measurements upload (page, API, command line), the ambitions, the commentary and the chart's
recalculations, annotations and baseline check through these. Pure."""

from __future__ import annotations

from collections.abc import Sequence

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


# Commentary on a period's figure: a paragraph or two for a board paper, not a report.
COMMENTARY = Limits((Field("text", "commentary", max_length=2000),))


def period_problem(label: str, periods: Sequence[str], what: str) -> str | None:
    """Why a note on period `label` (`what`: "commentary's period") is on none of the periods
    the area has a figure for (`periods`, oldest first), or None: a note speaks of a figure."""
    if label in periods:
        return None
    span = f"from {periods[0]} to {periods[-1]}" if periods else "none yet"
    return f"The {what} must be one with a figure, {span} (it is {label})"


# What people record on a metric's SPC chart (measures.service.spc_marks). Making Data Count and
# NHSRplotthedots advise limits on at least 12 points; a chart of more than 10 years of months is
# not one the board reads, so the baseline stops there.
MIN_BASELINE = 12
SPC_MARKS = Limits(
    (
        Field("reason", "reason for the recalculation", max_length=2000),
        Field("removal_reason", "reason for removing the recalculation", max_length=2000),
        Field("text", "annotation", max_length=300),
        Field("baseline_points", "number of baseline points", "number", low=MIN_BASELINE, high=120),
    )
)
