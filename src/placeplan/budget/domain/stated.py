"""Figures a plan's text states, checked against what the budget computes, at the stated precision:
a share stated as 72.4% that computes to 72.27% is wrong; one stated as 25% that computes to 25.11%
is right, because "25%" only claims the nearest whole per cent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from placeplan.budget.domain.core import BudgetDocument, StatedFigure
from placeplan.budget.domain.summary import Summary
from placeplan.core.errors import InputError

_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")
_MONEY = re.compile(r"^\s*£\s*(-?[\d,]+(?:\.\d+)?)\s*(m|bn|k)?\s*$", re.IGNORECASE)
_SCALE = {
    None: Decimal(1),
    "k": Decimal(1_000),
    "m": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
}


@dataclass(frozen=True)
class StatedCheck:
    text: str
    computed: Decimal  # in the stated unit: per cent, or pounds
    shown_as: str  # the computed figure at the stated precision, written the stated way
    agrees: bool


def _decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def check_percent(text: str, fraction: Decimal) -> StatedCheck:
    match = _PERCENT.match(text)
    if not match:
        raise InputError(f"'{text}' is not a percentage such as 72.4%", field="stated")
    places = _decimals(match[1])
    quantum = Decimal(1).scaleb(-places)
    computed = fraction * 100
    rounded = computed.quantize(quantum, rounding=ROUND_HALF_UP)
    return StatedCheck(text, computed, f"{rounded}%", rounded == Decimal(match[1]))


def check_money(text: str, pence: int) -> StatedCheck:
    match = _MONEY.match(text)
    if not match:
        raise InputError(f"'{text}' is not an amount such as £78,073,138 or £2.4m", field="stated")
    number = match[1].replace(",", "")
    scale = _SCALE[match[2].lower() if match[2] else None]
    places = _decimals(number)
    pounds = Decimal(pence) / 100
    in_unit = pounds / scale
    rounded = in_unit.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    suffix = match[2] or ""
    shown = f"£{rounded:,}{suffix}"
    return StatedCheck(text, pounds, shown, rounded == Decimal(number))


def stated_checks(
    document: BudgetDocument, summary: Summary
) -> list[tuple[StatedFigure, StatedCheck | None]]:
    """Each figure the document states with its check against `summary` (None: not a figure
    the budget computes). Kinds: total, new, category:, new:, share:, scheme(s):, new_in_scheme:."""
    by_key = {c.key: c for c in summary.categories}
    scheme_total: dict[str, int] = {}
    scheme_new: dict[str, int] = {}
    for line in document.lines:
        scheme_total[line.scheme_id] = scheme_total.get(line.scheme_id, 0) + line.amount_pence
        scheme_new[line.scheme_id] = scheme_new.get(line.scheme_id, 0) + line.new_pence
    results: list[tuple[StatedFigure, StatedCheck | None]] = []
    for figure in document.stated:
        kind, _, key = figure.what.partition(":")
        check: StatedCheck | None = None
        schemes = key.split("+")
        if kind in ("scheme", "schemes") and all(s in scheme_total for s in schemes):
            check = check_money(figure.text, sum(scheme_total[s] for s in schemes))
        elif kind == "new_in_scheme" and key in scheme_new:
            check = check_money(figure.text, scheme_new[key])
        elif kind == "total":
            check = check_money(figure.text, summary.total_pence)
        elif kind == "new" and not key:
            check = check_money(figure.text, summary.new_pence)
        elif kind in ("category", "new", "share") and key in by_key:
            share = by_key[key]
            if kind == "category":
                check = check_money(figure.text, share.total_pence)
            elif kind == "new":
                check = check_money(figure.text, share.new_pence)
            else:
                check = check_percent(figure.text, share.share)
        results.append((figure, check))
    return results
