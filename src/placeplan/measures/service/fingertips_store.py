"""Fingertips rows stored as measurements of one metric, through the all-or-nothing import.

Which rows: those of the indicator for areas we hold; persons with no category give the
all-people figure, male and female the `sex` breakdown. Rows with no value (Fingertips
suppresses small numbers itself, marking them "*"), for areas we do not hold, or for other
categories are skipped and counted. Periods are rewritten from Fingertips' "2021/22" to our
"2021-22" (and "2021/22 Q1" to "2021-22 Q1").

What is stored: the counts where Fingertips gives them. Where the metric's value follows from
the counts (a crude rate or a percentage), the import computes it and the row is recomputable;
otherwise (a DSR, whose counts are totals over age bands) the published value is kept, marked not
recomputable. Every row's source names the indicator and the day it was retrieved.

Re-running with the same figures writes nothing; a figure that differs from the stored one is
refused, naming the row, since revising published data is a decision for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.measures.domain.fingertips import SOURCE, FingertipsData, FingertipsRow, our_period
from placeplan.measures.models import Measurement
from placeplan.measures.service.imports import import_rows
from placeplan.measures.service.metrics import get_metric

_SEXES = {"male": "Male", "female": "Female"}


@dataclass
class StoreResult:
    metric: str
    stored: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _breakdown(r: FingertipsRow) -> tuple[str, str] | None:
    if r.category_type:
        return None
    if r.sex.lower() == "persons":
        return "all", "all"
    if r.sex.lower() in _SEXES:
        return "sex", _SEXES[r.sex.lower()]
    return None


def _same(stored: Measurement, fields: dict[str, str]) -> bool:
    def equal(a: Decimal | None, b: str) -> bool:
        return (a is None and not b) or (a is not None and b != "" and a == Decimal(b))

    if not (
        equal(stored.numerator, fields.get("numerator", ""))
        and equal(stored.denominator, fields.get("denominator", ""))
    ):
        return False
    return stored.recomputable or equal(stored.value, fields.get("value", ""))


def store(
    session: Session, actor: Actor, metric_key: str, data: FingertipsData, indicator_id: int
) -> StoreResult:
    """Writes the fetched rows of `indicator_id` as measurements of `metric_key`, or nothing."""
    metric = get_metric(session, metric_key)
    computable = metric.unit in ("rate_per_100k", "percentage")
    held = {a.gss_code for a in session.scalars(select(Area))}
    stored = {
        (code, m.period, m.breakdown, m.breakdown_value): m
        for m, code in session.execute(
            select(Measurement, Area.gss_code)
            .join(Area, Area.id == Measurement.area_id)
            .where(Measurement.metric_id == metric.id)
        )
    }
    url = data.provenance.url
    result = StoreResult(metric_key)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, r in enumerate(data.rows, start=2):
        if r.indicator_id != indicator_id:
            result.skip("another indicator")
            continue
        if r.area_code not in held:
            result.skip("an area placeplan does not hold")
            continue
        where = _breakdown(r)
        if where is None:
            result.skip("a category placeplan does not break down by")
            continue
        if r.value is None:
            result.skip("no value (suppressed or not published by Fingertips)")
            continue
        fields = {
            "area_code": r.area_code,
            "period": our_period(r.period, number, url),
            "breakdown": where[0],
            "breakdown_value": where[1],
            "numerator": "" if r.count is None else str(r.count),
            "denominator": "" if r.denominator is None else str(r.denominator),
            # With both counts the import computes a crude rate or percentage; a DSR keeps the
            # published value (the import marks it not recomputable).
            "value": "" if computable and r.count is not None and r.denominator else str(r.value),
        }
        already = stored.get((r.area_code, fields["period"], where[0], where[1]))
        if already is not None:
            if _same(already, fields):
                result.unchanged += 1
                continue
            raise InputError(
                f"{r.area_code} {fields['period']} is already stored as {already.value} and"
                f" Fingertips now gives {r.value}: revisions are not applied automatically",
                file=url,
                row=number,
                field="Value",
            )
        rows.append((number, fields))
    if rows:
        retrieved = data.provenance.fetched_at.date().isoformat()
        result.stored = import_rows(
            session,
            actor,
            metric_key,
            rows,
            file=url,
            source=f"{SOURCE}, indicator {indicator_id}, retrieved {retrieved}",
        )
    return result
