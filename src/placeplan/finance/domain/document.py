"""A financial model as a plain document (what the demo's YAML, the stored record and the API
hold) and back. Pure: the caller parses the file.

In a document money is whole pounds (`amount: 36798000`) and rates are per cent written as text
or numbers (`rate: "3"`); the model holds pence and Decimals. Years are written "2024-25".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_period
from placeplan.finance.domain.model import (
    Entry,
    FinancialModel,
    Line,
    LineKind,
    Opening,
    Range,
    RateBase,
    Series,
    Stage,
    check_model,
    year_label,
)


def _year(value: Any, where: str) -> int:
    period = parse_period(str(value), field=where)
    if period.first != period.last:
        raise InputError(f"{value!r} is not one financial year, such as 2024-25", field=where)
    return period.first.start_year


def _pence(value: Any, where: str) -> int:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise InputError(f"{value!r} is not an amount in pounds", field=where) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise InputError(f"{value!r} is not an amount in whole pounds", field=where)
    return int(number) * 100


def _rate(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation as exc:
        raise InputError(f"{value!r} is not a percentage", field=where) from exc
    if not number.is_finite():
        raise InputError(f"{value!r} is not a percentage", field=where)
    return number


def _entry(item: Mapping[str, Any]) -> Entry:
    if not isinstance(item, Mapping):
        raise InputError("Each figure needs a year and an amount or rate", field="entries")
    amount = item.get("amount")
    rate = item.get("rate")
    return Entry(
        year=_year(item.get("year"), "year"),
        amount=None if amount is None else _pence(amount, "amount"),
        rate=None if rate is None else _rate(rate, "rate"),
        base=cast(RateBase | None, item.get("base")),
    )


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value).strip()


def _series(item: Mapping[str, Any] | None) -> Series:
    item = item or {}
    return Series(tuple(_entry(e) for e in item.get("entries") or []), _text(item, "source"))


def _line(item: Mapping[str, Any]) -> Line:
    start = item.get("start_year")
    return Line(
        key=_text(item, "key") or _text(item, "name").lower(),
        kind=cast(LineKind, _text(item, "kind")),
        name=_text(item, "name"),
        stage=cast(Stage, _text(item, "stage") or "do_nothing"),
        recurrent=bool(item.get("recurrent", True)),
        entries=tuple(_entry(e) for e in item.get("entries") or []),
        source=_text(item, "source"),
        start_year=None if start in (None, "") else _year(start, "start_year"),
    )


def from_document(
    document: Mapping[str, Any], period: tuple[int, int] | None = None
) -> FinancialModel:
    """The model a document describes, checked (InputError names the field)."""
    opening = document.get("opening") or {}
    model = FinancialModel(
        first_year=_year(document.get("first_year"), "first_year"),
        last_year=_year(document.get("last_year"), "last_year"),
        opening=Opening(
            plan_position=_pence(opening.get("plan_position", 0), "plan_position"),
            non_recurrent=_pence(opening.get("non_recurrent", 0), "non_recurrent"),
            source=_text(opening, "source"),
        ),
        cost_base=_series(document.get("cost_base")),
        uplift_on_removed=_series(document.get("uplift_on_removed")),
        lines=tuple(_line(item) for item in document.get("lines") or []),
        ranges=tuple(
            Range(
                target=_text(item, "target"),
                low=_rate(item.get("low"), "low"),
                high=_rate(item.get("high"), "high"),
                source=_text(item, "source"),
            )
            for item in document.get("ranges") or []
        ),
    )
    check_model(model, period)
    return model


def _entry_document(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {"year": year_label(entry.year)}
    if entry.amount is not None:
        out["amount"] = entry.amount // 100
    if entry.rate is not None:
        out["rate"] = f"{entry.rate.normalize():f}"
        out["base"] = entry.base
    return out


def _series_document(series: Series) -> dict[str, Any]:
    return {"source": series.source, "entries": [_entry_document(e) for e in series.entries]}


def to_document(model: FinancialModel) -> dict[str, Any]:
    """The document `from_document` reads back to the same model."""
    return {
        "first_year": year_label(model.first_year),
        "last_year": year_label(model.last_year),
        "opening": {
            "plan_position": model.opening.plan_position // 100,
            "non_recurrent": model.opening.non_recurrent // 100,
            "source": model.opening.source,
        },
        "cost_base": _series_document(model.cost_base),
        "uplift_on_removed": _series_document(model.uplift_on_removed),
        "lines": [
            {
                "key": line.key,
                "kind": line.kind,
                "name": line.name,
                "stage": line.stage,
                "recurrent": line.recurrent,
                "start_year": None if line.start_year is None else year_label(line.start_year),
                "source": line.source,
                "entries": [_entry_document(e) for e in line.entries],
            }
            for line in model.lines
        ],
        "ranges": [
            {
                "target": r.target,
                "low": f"{r.low.normalize():f}",
                "high": f"{r.high.normalize():f}",
                "source": r.source,
            }
            for r in model.ranges
        ],
    }
