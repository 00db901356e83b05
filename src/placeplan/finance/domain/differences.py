"""What changed between two versions of a financial model (a scenario's base when it was copied
and now), in the record's language (core.differences). Pure."""

from __future__ import annotations

from placeplan.core.differences import Differences, Record, Value, compare, differences
from placeplan.core.money import format_pence
from placeplan.finance.domain.model import BASES, Entry, FinancialModel, Series, year_label


def figure_text(entry: Entry) -> str:
    """An amount in pounds, or a rate on its base: "£36,798,000", "3% of the year's cost base"."""
    if entry.rate is not None:
        base = BASES.get(entry.base or "", "no base")
        return f"{entry.rate.normalize():f}% of {base}"
    return format_pence(entry.amount or 0, whole_pounds=True)


def _figures(entries: tuple[Entry, ...]) -> dict[str, Value]:
    return {
        year_label(e.year): Value(str(e.rate) if e.rate is not None else e.amount, figure_text(e))
        for e in entries
    }


def _series(name: str, series: Series) -> Record:
    return Record(name, {**_figures(series.entries), "Source": Value(series.source, series.source)})


def _records(model: FinancialModel) -> dict[str, Record]:
    opening = model.opening
    records = {
        "opening": Record(
            "Opening position",
            {
                "Planned surplus or deficit": Value(
                    opening.plan_position, format_pence(opening.plan_position, whole_pounds=True)
                ),
                "Non-recurrent items": Value(
                    opening.non_recurrent, format_pence(opening.non_recurrent, whole_pounds=True)
                ),
                "Source": Value(opening.source, opening.source),
            },
        ),
        "cost-base": _series("Cost base", model.cost_base),
        "uplift-on-removed": _series("Uplift rate on cost removed", model.uplift_on_removed),
    }
    for line in model.lines:
        fields = {
            "Recurrent": Value(line.recurrent, "Yes" if line.recurrent else "No"),
            "Start year": Value(
                line.start_year, year_label(line.start_year) if line.start_year else "None"
            ),
            **_figures(line.entries),
            "Source": Value(line.source, line.source),
        }
        records[f"line:{line.key}"] = Record(line.name, fields)
    return records


def model_differences(before: FinancialModel, after: FinancialModel) -> Differences:
    """Each assumption added, removed or changed from `before` to `after`."""
    return differences([compare("Assumptions", "assumption", _records(before), _records(after))])
