"""What the model's page shows: its tables, charts and their data, the line forms' values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from placeplan.finance.domain.compute import Result
from placeplan.finance.domain.differences import figure_text
from placeplan.finance.domain.model import BASES, KINDS, STAGES, FinancialModel, Line, year_label
from placeplan.finance.domain.sensitivity import Spread, range_run, sensitivity
from placeplan.finance.present.charts import position_lines, tornado, waterfall
from placeplan.finance.present.tables import Shown, page_tables, position_series, shown
from placeplan.finance.service import Computed


@dataclass(frozen=True)
class ModelPage:
    tables: tuple[Shown, ...]
    waterfall_svg: str
    lines_svg: str
    positions: list[tuple[str, str, str]]
    assumptions: list[dict[str, Any]]
    swings: list[tuple[str, str, str, str, str]]
    tornado_svg: str
    spread: dict[str, Any] | None


def _assumption(model: FinancialModel, line: Line) -> dict[str, Any]:
    return {
        "key": line.key,
        "name": line.name,
        "kind": KINDS[line.kind],
        "stage": STAGES[line.stage],
        "recurrent": "Recurrent" if line.recurrent else "Non-recurrent",
        "start_year": year_label(line.start_year) if line.start_year else "",
        "figures": [
            (year_label(y), figure_text(e) if (e := line.entry(y)) else "") for y in model.years
        ],
        "source": line.source,
    }


def _pct(value: Any) -> str:
    return f"{value.normalize():f}%"


def _spread(spread: Spread | None) -> dict[str, Any] | None:
    if spread is None:
        return None
    return {
        "seed": spread.seed,
        "draws": len(spread.draws),
        "rows": [
            ("Lowest", shown(min(spread.draws))),
            ("5th percentile", shown(spread.percentile(5))),
            ("Median", shown(spread.percentile(50))),
            ("95th percentile", shown(spread.percentile(95))),
            ("Highest", shown(max(spread.draws))),
        ],
        "below_zero": spread.below_zero,
        "as_modelled": shown(spread.base),
    }


def model_page(seen: Computed, draws: int = 200, seed: int = 1) -> ModelPage:
    """The page's parts; the range run draws `draws` times from the model's ranges, seeded."""
    result: Result = seen.result
    series = position_series(result)
    swings = sensitivity(seen.model)
    centre = result.proposal.rows[-1].total if result.proposal.rows else 0
    spread = range_run(seen.model, draws, seed) if seen.model.ranges else None
    return ModelPage(
        tables=page_tables(result),
        waterfall_svg=waterfall(result.bridge, "The bridge, £000", "bridge-chart"),
        lines_svg=position_lines(
            series, "Total surplus or deficit by year, £000", "position-chart"
        ),
        positions=[(year, shown(dn), shown(pr)) for year, dn, pr in series],
        assumptions=[_assumption(seen.model, line) for line in seen.model.lines],
        swings=[
            (
                s.name,
                f"{_pct(s.low)} to {_pct(s.high)}",
                shown(s.at_low),
                shown(s.at_high),
                shown(s.width),
            )
            for s in swings
        ],  # fmt: skip
        tornado_svg=tornado(
            [(s.name, s.at_low, s.at_high) for s in swings],
            centre,
            "The final year's position at each end of each assumption's range, £000",
            "tornado-chart",
        )
        if swings
        else "",
        spread=_spread(spread),
    )


def line_form(model: FinancialModel, line: Line) -> dict[str, str]:
    """The line's values as its form shows them (whole pounds, per cent)."""
    values = {
        "name": line.name,
        "source": line.source,
        "start_year": year_label(line.start_year) if line.start_year else "",
    }
    for year in model.years:
        entry = line.entry(year)
        values[f"amount_{year}"] = (
            f"{entry.amount // 100}" if entry is not None and entry.amount is not None else ""
        )
        values[f"rate_{year}"] = (
            f"{entry.rate.normalize():f}" if entry is not None and entry.rate is not None else ""
        )
        values[f"base_{year}"] = (entry.base or "") if entry is not None else ""
    return values


BASE_CHOICES = [("", "No base (an amount)"), *BASES.items()]


def settings_form(model: FinancialModel) -> dict[str, str]:
    """The opening position, cost base and uplift rate as their form shows them."""
    values = {
        "plan_position": f"{model.opening.plan_position // 100}",
        "non_recurrent": f"{model.opening.non_recurrent // 100}",
        "source": model.opening.source,
        "cost_base_source": model.cost_base.source,
        "uplift_source": model.uplift_on_removed.source,
    }
    for year in model.years:
        base = model.cost_base.entry(year)
        rate = model.uplift_on_removed.entry(year)
        values[f"cost_base_{year}"] = f"{base.amount // 100}" if base and base.amount else ""
        values[f"uplift_{year}"] = (
            f"{rate.rate.normalize():f}" if rate and rate.rate is not None else ""
        )
    return values
