"""Which assumption moves the final year's position most: each stated range tried on its own
(the sensitivity table and tornado), and a range run drawing every assumption from its range at
once, seeded, to show the spread of the final position. Pure.

A range scales every figure of one line (its amounts, or its rates) by a percentage change from
`low` to `high` ("-20" to "20": from 80% to 120% of the figures as entered). "cost-base" names the
cost base, so a rate on it moves too. Scaled amounts are rounded to the nearest penny, halves
away from zero."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from placeplan.core.errors import InputError
from placeplan.finance.domain.compute import compute
from placeplan.finance.domain.model import COST_BASE, Entry, FinancialModel, Series

MAX_DRAWS = 10_000


@dataclass(frozen=True)
class Swing:
    """One range tried on its own: the final year's position at each end (pence)."""

    target: str
    name: str
    low: Decimal
    high: Decimal
    at_low: int
    at_high: int

    @property
    def width(self) -> int:
        return abs(self.at_high - self.at_low)


@dataclass(frozen=True)
class Spread:
    """A range run: the final position of each draw, and its summary (pence)."""

    seed: int
    draws: tuple[int, ...]
    base: int

    def percentile(self, p: int) -> int:
        ordered = sorted(self.draws)
        index = round((len(ordered) - 1) * p / 100)
        return ordered[index]

    @property
    def below_zero(self) -> int:
        return sum(1 for d in self.draws if d < 0)


def _scaled(entry: Entry, factor: Decimal) -> Entry:
    if entry.rate is not None:
        return replace(entry, rate=entry.rate * factor)
    amount = Decimal(entry.amount or 0) * factor
    return replace(entry, amount=int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def scale(model: FinancialModel, target: str, change: Decimal) -> FinancialModel:
    """The model with `target`'s figures changed by `change` per cent."""
    factor = 1 + change / 100
    if target == COST_BASE:
        series = model.cost_base
        return replace(
            model,
            cost_base=Series(tuple(_scaled(e, factor) for e in series.entries), series.source),
        )
    return replace(
        model,
        lines=tuple(
            replace(line, entries=tuple(_scaled(e, factor) for e in line.entries))
            if line.key == target
            else line
            for line in model.lines
        ),
    )


def final_position(model: FinancialModel) -> int:
    """The proposal's total position in the model's last year."""
    rows = compute(model).proposal.rows
    return rows[-1].total if rows else 0


def _name(model: FinancialModel, target: str) -> str:
    return "Cost base" if target == COST_BASE else model.line(target).name


def sensitivity(model: FinancialModel) -> tuple[Swing, ...]:
    """Each of the model's ranges on its own, widest swing first (the tornado's order)."""
    swings = [
        Swing(
            r.target,
            _name(model, r.target),
            r.low,
            r.high,
            final_position(scale(model, r.target, r.low)),
            final_position(scale(model, r.target, r.high)),
        )
        for r in model.ranges
    ]
    return tuple(sorted(swings, key=lambda s: (-s.width, s.name)))


def range_run(model: FinancialModel, draws: int, seed: int) -> Spread:
    """`draws` models, each assumption's change drawn evenly from its range (to a hundredth of
    a per cent) with Python's Mersenne Twister seeded by `seed`: the same seed, the same
    spread."""
    if not 1 <= draws <= MAX_DRAWS:
        raise InputError(f"The number of draws must be from 1 to {MAX_DRAWS:,}", field="draws")
    rng = random.Random(seed)
    finals = []
    for _ in range(draws):
        drawn = model
        for r in model.ranges:
            span = int((r.high - r.low) * 100)
            change = r.low + Decimal(rng.randint(0, span)) / 100
            drawn = scale(drawn, r.target, change)
        finals.append(final_position(drawn))
    return Spread(seed, tuple(finals), final_position(model))
