"""Ambitions: a stated change checked at the precision it is stated with, and on-track status.

"536 to 519, a 3% reduction" claims only the nearest whole per cent: the change is 3.17%, which is
3% at that precision, so the statement is consistent. For a measure that is itself a percentage,
"an increase of 0.3%" from 84.7% to 85% is read as 0.3 percentage points (the relative change is
0.35%): either reading that agrees makes the statement consistent, and the check says which one
it used. A statement that does not agree is a warning to show beside the ambition, never an error;
only a statement that cannot be read at all is bad input. (The same approach as
`placeplan.budget.stated`: round the computed figure to the stated decimals, half up, and compare.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from placeplan.core.errors import InputError
from placeplan.measures.domain.spc import Direction

Reading = Literal["relative", "points", "absolute"]
Status = Literal["on_track", "off_track", "no_target", "not_applicable"]

_UP = r"increase|increased|increasing|rise|raise|grow|growth|improve|improvement|up"
_DOWN = r"reduction|reduce|reduced|reducing|decrease|decreased|fall|drop|cut|lower|down"
_NUMBER = r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|percentage\s+points?|pp|points?)?"
# "a 3% reduction", "a 0.3 percentage point increase"
_BEFORE = re.compile(
    rf"^(?:an?\s+)?{_NUMBER}\s+(?P<word>{_UP}|{_DOWN})$",
    re.IGNORECASE,
)
# "an increase of 0.3%", "reduce by 17", "a reduction of 2 percentage points"
_AFTER = re.compile(
    rf"^(?:an?\s+)?(?P<word>{_UP}|{_DOWN})(?:\s+(?:of|by))?\s+{_NUMBER}$",
    re.IGNORECASE,
)
_DOWNWORDS = re.compile(rf"^(?:{_DOWN})$", re.IGNORECASE)


@dataclass(frozen=True)
class ChangeCheck:
    stated: str
    reading: Reading  # how the figure was read: relative %, percentage points, or absolute
    computed: Decimal  # the change in that reading (per cent, points or units), unrounded
    shown_as: str  # the computed change at the stated precision, written the stated way
    consistent: bool
    warning: str | None


def _decimal(value: Decimal | float | int | str, field: str) -> tuple[Decimal, bool]:
    """The number, and whether it was written as a percentage ("84.7%")."""
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise InputError(f"'{value}' is not a number", field=field) from None
    if not number.is_finite():
        raise InputError(f"'{value}' is not a finite number", field=field)
    return number, percent


def _round(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _places(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def check_change(
    baseline: Decimal | float | int | str,
    target: Decimal | float | int | str,
    stated: str,
    *,
    percentage_measure: bool | None = None,
) -> ChangeCheck:
    """Checks that going from `baseline` to `target` is the change `stated`.

    `percentage_measure` says the measure is itself a percentage, so a stated "%" change may be
    percentage points; when not given it is inferred from either figure being written with "%".
    """
    base, base_percent = _decimal(baseline, "baseline")
    goal, goal_percent = _decimal(target, "target")
    is_percentage = (
        base_percent or goal_percent if percentage_measure is None else percentage_measure
    )
    text = " ".join(stated.split())
    match = _BEFORE.match(text) or _AFTER.match(text)
    if not match:
        raise InputError(
            f"'{stated}' is not a stated change such as 'a 3% reduction' or 'reduce by 17'",
            field="stated",
        )
    figure = Decimal(match["number"])
    places = _places(match["number"])
    unit = (match["unit"] or "").lower()
    downward = bool(_DOWNWORDS.match(match["word"]))
    change = goal - base
    signed = -change if downward else change  # positive when the change goes the stated way

    readings: list[tuple[Reading, Decimal, str]] = []
    if unit == "%":
        if base != 0:
            relative = signed / abs(base) * 100
            readings.append(("relative", relative, f"{_round(relative, places)}%"))
        if is_percentage:
            readings.append(("points", signed, f"{_round(signed, places)}%"))
    elif unit:
        readings.append(("points", signed, f"{_round(signed, places)} percentage points"))
    else:
        readings.append(("absolute", signed, f"{_round(signed, places)}"))
    if not readings:
        raise InputError("a relative change needs a baseline other than zero", field="baseline")

    for reading, computed, shown in readings:
        if _round(computed, places) == figure:
            return ChangeCheck(stated, reading, computed, shown, True, None)
    reading, computed, shown = readings[0]
    direction = "a reduction" if downward else "an increase"
    warning = (
        f"'{stated}' does not match {base} to {goal}: that is {direction} of {shown}"
        if computed >= 0
        else f"'{stated}' does not match {base} to {goal}: that goes the other way"
    )
    return ChangeCheck(stated, reading, computed, shown, False, warning)


def on_track(
    value: float | Decimal, target: float | Decimal | None, direction: Direction
) -> Status:
    """Whether a period's value meets its target (meeting it exactly is on track)."""
    if target is None:
        return "no_target"
    if direction == "neither":
        return "not_applicable"
    met = value >= target if direction == "higher" else value <= target
    return "on_track" if met else "off_track"


def on_track_by_period(
    values: Sequence[tuple[str, float | Decimal]],
    targets: Mapping[str, float | Decimal],
    direction: Direction,
) -> list[tuple[str, Status]]:
    """On-track status for each period, against that period's target where one is set."""
    return [(period, on_track(value, targets.get(period), direction)) for period, value in values]
