"""The calculation: by year, the recurrent and total surplus or deficit, the movement and the
position carried forward; the bridge from the national ask to the do-nothing challenge to the
proposal; and the impact on uplifts of efficiency. Pure; money in integer pence.

How it adds up:
- a recurrent line's amount in a year changes the recurrent position from that year on (the
  next year opens where this one closed); a non-recurrent line's amount counts in that year's
  total only;
- recurrent surplus or deficit = the year's opening (recurrent) position + the year's recurrent
  amounts; total = recurrent + the year's non-recurrent amounts; movement = total - opening;
- the impact on uplifts: cost taken out of the base by recurrent efficiency no longer attracts
  a later year's uplift, so each year gains the year's uplift rate (on cost removed) times the
  recurrent efficiency removed in earlier years; it is recurrent;
- over the whole period, the total is the closing recurrent position plus every year's
  non-recurrent amounts (what the seed's "5 Yr" column shows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from placeplan.finance.domain.model import (
    UPLIFTS,
    FinancialModel,
    Line,
    of_rate,
    year_label,
)


@dataclass(frozen=True)
class YearRow:
    """One year of a position. `amounts` maps each line's key to its signed amount (pence)."""

    year: int
    opening: int
    amounts: dict[str, int]
    impact: int
    recurrent: int
    non_recurrent: int
    total: int

    @property
    def movement(self) -> int:
        return self.total - self.opening


@dataclass(frozen=True)
class Position:
    """A run of the model over some of its lines: the do-nothing lines, or all of them."""

    opening: int
    rows: tuple[YearRow, ...]
    lines: tuple[Line, ...]

    def line_total(self, key: str) -> int:
        return sum(row.amounts.get(key, 0) for row in self.rows)

    @property
    def impact(self) -> int:
        return sum(row.impact for row in self.rows)

    @property
    def recurrent_end(self) -> int:
        return self.rows[-1].recurrent if self.rows else self.opening

    @property
    def non_recurrent(self) -> int:
        return sum(row.non_recurrent for row in self.rows)

    @property
    def total(self) -> int:
        """The period's challenge: the closing recurrent position and every non-recurrent item."""
        return self.recurrent_end + self.non_recurrent


@dataclass(frozen=True)
class Step:
    """One bar of the bridge: an amount, or (`subtotal`) the running position so far."""

    label: str
    amount: int
    subtotal: bool = False


@dataclass(frozen=True)
class Result:
    """What the model computes."""

    model: FinancialModel
    do_nothing: Position
    proposal: Position
    bridge: tuple[Step, ...]

    @property
    def nr_efficiency_required(self) -> int:
        """The non-recurrent efficiency that covers the proposal's non-recurrent costs."""
        return max(0, -self.proposal.non_recurrent)

    @property
    def proposal_challenge(self) -> int:
        return self.proposal.total + self.nr_efficiency_required


def line_amount(model: FinancialModel, line: Line, year: int) -> int:
    """The line's signed amount in `year` (pence): an amount as entered, or its rate on the
    year's cost base."""
    entry = line.entry(year)
    if entry is None:
        return 0
    if entry.rate is not None:
        base = model.cost_base.entry(year)
        return line.sign * of_rate(entry.rate, base.amount or 0 if base else 0)
    return line.sign * (entry.amount or 0)


def run(model: FinancialModel, lines: Iterable[Line]) -> Position:
    """The model over `lines`: year by year from the opening (recurrent) position."""
    chosen = tuple(lines)
    opening = model.opening.plan_position - model.opening.non_recurrent
    rows: list[YearRow] = []
    removed = 0  # recurrent efficiency taken out of the base in earlier years
    position = opening
    for year in model.years:
        amounts = {line.key: line_amount(model, line, year) for line in chosen}
        rate = model.uplift_on_removed.entry(year)
        impact = of_rate(rate.rate, removed) if rate and rate.rate is not None else 0
        recurrent_lines = sum(amounts[line.key] for line in chosen if line.recurrent)
        non_recurrent = sum(amounts[line.key] for line in chosen if not line.recurrent)
        recurrent = position + recurrent_lines + impact
        rows.append(
            YearRow(
                year, position, amounts, impact, recurrent, non_recurrent, recurrent + non_recurrent
            )
        )
        removed += sum(
            amounts[line.key] for line in chosen if line.kind == "efficiency" and line.recurrent
        )
        removed += impact
        position = recurrent
    return Position(opening, tuple(rows), chosen)


def compute(model: FinancialModel) -> Result:
    """The do-nothing position, the proposal (every line) and the bridge between them."""
    do_nothing = run(model, (line for line in model.lines if line.stage == "do_nothing"))
    proposal = run(model, model.lines)
    return Result(model, do_nothing, proposal, bridge(model, do_nothing, proposal))


def bridge(model: FinancialModel, do_nothing: Position, proposal: Position) -> tuple[Step, ...]:
    """The period's bridge, as the seed's Table 18 lays it out: uplifts and allocation to the
    national ask; the other do-nothing lines and the underlying opening position to the
    do-nothing challenge; then the proposal's lines by kind, the impact on uplifts and the
    non-recurrent efficiency required, to the proposal's challenge (its closing recurrent
    position). Lines that come to nothing over the period are left out."""
    dn_lines = [line for line in model.lines if line.stage == "do_nothing"]
    uplifts = sum(do_nothing.line_total(line.key) for line in dn_lines if line.kind in UPLIFTS)
    allocation = sum(
        do_nothing.line_total(line.key) for line in dn_lines if line.kind == "allocation"
    )
    steps = [
        Step("Uplift assumptions on income and expenditure", uplifts),
        Step("Allocation increase", allocation),
        Step("National ask", uplifts + allocation, subtotal=True),
    ]
    for line in dn_lines:
        if line.kind in UPLIFTS or line.kind == "allocation":
            continue
        if amount := do_nothing.line_total(line.key):
            steps.append(Step(line.name, amount))
    if do_nothing.impact:
        steps.append(Step("Impact on uplifts", do_nothing.impact))
    steps.append(
        Step(f"{year_label(model.first_year - 1)} underlying pressure", do_nothing.opening)
    )
    steps.append(Step("Do nothing challenge", do_nothing.total, subtotal=True))
    steps.extend(_proposal_steps(model, proposal))
    if impact := proposal.impact - do_nothing.impact:
        steps.append(Step("Impact on uplifts", impact))
    required = max(0, -proposal.non_recurrent)
    if required:
        steps.append(Step("Non-recurrent efficiency required", required))
    steps.append(Step("Proposal challenge", proposal.total + required, subtotal=True))
    return tuple(steps)


def _proposal_steps(model: FinancialModel, proposal: Position) -> list[Step]:
    lines = [line for line in model.lines if line.stage == "proposal"]
    steps = []
    for kind, label in (("cost_pressure", "Cost pressures"), ("investment", "Investments")):
        amount = sum(proposal.line_total(line.key) for line in lines if line.kind == kind)
        if amount:
            steps.append(Step(label, amount))
    for line in lines:
        if line.kind in ("cost_pressure", "investment"):
            continue
        if amount := proposal.line_total(line.key):
            steps.append(Step(line.name, amount))
    return steps
