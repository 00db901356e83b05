"""A plan's pledges as a document gives them (the demo's YAML, read into a mapping): checked and
turned into the rows to write, before anything is written. Pure: mappings in, plain values out
(the governance bodies and catalogue metrics it may name are passed in)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_span
from placeplan.pledges.domain import status as rules
from placeplan.pledges.domain.fields import INTERVENTION, measure_limits
from placeplan.pledges.domain.timelines import parse_timeline


def parse_number(value: Any, where: str, file: str | None = None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        # YAML reads 95.5 as a float: go through its shortest text so 95.5 stays 95.5.
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise InputError(f"'{value}' is not a number", field=where, file=file) from exc
    if not number.is_finite():
        raise InputError(f"'{value}' is not a finite number", field=where, file=file)
    return number


def period_label(value: Any, where: str, file: str | None = None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse_span(str(value), where).label
    except InputError as exc:
        raise InputError(exc.message, field=where, file=file) from exc


def required_text(item: Mapping[str, Any], name: str, where: str, file: str | None) -> str:
    value = item.get(name)
    if value is None or not str(value).strip():
        raise InputError(f"{where} needs a {name}", field=f"{where}.{name}", file=file)
    return " ".join(str(value).split())


def optional(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None


def _figure(
    item: Mapping[str, Any], name: str, where: str, file: str | None
) -> tuple[Decimal | None, str | None]:
    given = item.get(name) or {}
    if not isinstance(given, Mapping):
        raise InputError(
            f"{where}.{name} should be a mapping with value and period",
            field=f"{where}.{name}",
            file=file,
        )
    return (
        parse_number(given.get("value"), f"{where}.{name}.value", file),
        period_label(given.get("period"), f"{where}.{name}.period", file),
    )


def _measure(
    item: Mapping[str, Any], where: str, file: str | None, metric_keys: set[str]
) -> dict[str, Any]:
    baseline, baseline_period = _figure(item, "baseline", where, file)
    target, target_period = _figure(item, "target", where, file)
    latest, latest_period = _figure(item, "latest", where, file)
    direction: str | None = None
    # A measure still to be defined has no direction yet; one with any figure needs it.
    if item.get("direction") is not None or any(v is not None for v in (baseline, target, latest)):
        try:
            direction = rules.check_direction(item.get("direction"), f"{where}.direction")
        except InputError as exc:
            raise InputError(exc.message, field=exc.field, file=file) from exc
        try:
            rules.check_figures(direction, baseline, baseline_period, target, target_period)
        except InputError as exc:
            raise InputError(exc.message, field=f"{where}.{exc.field}", file=file) from exc
    if (latest is None) != (latest_period is None):
        raise InputError(
            "a latest value needs its period (and a period its value)",
            field=f"{where}.latest",
            file=file,
        )
    metric = optional(item, "metric")
    if metric is not None and metric not in metric_keys:
        raise InputError(
            f"no metric {metric} in the metric catalogue", field=f"{where}.metric", file=file
        )
    figures = {"baseline_value": baseline, "target_value": target, "latest_value": latest}
    for name, message in measure_limits(optional(item, "unit")).problems(figures)[:1]:
        raise InputError(message, field=f"{where}.{name.split('_')[0]}.value", file=file)
    latest_given = item.get("latest") or {}
    return {
        "ref": required_text(item, "ref", where, file),
        "name": required_text(item, "name", where, file),
        "definition": optional(item, "definition"),
        "metric_key": metric,
        "unit": optional(item, "unit"),
        "direction": direction,
        "baseline_value": baseline,
        "baseline_period": baseline_period,
        "target_value": target,
        "target_period": target_period,
        "latest_value": latest,
        "latest_period": latest_period,
        "latest_illustrative": bool(latest_given.get("illustrative", False)) and latest is not None,
        "source": optional(item, "source"),
        "note": optional(item, "note"),
        "illustrative": bool(item.get("illustrative", False)),
    }


@dataclass
class PlannedPledge:
    pledge: dict[str, Any]
    partnerships: list[dict[str, Any]]
    measures: list[dict[str, Any]]


def plan_pledges(
    items: Sequence[Mapping[str, Any]],
    file: str | None,
    bodies: dict[str, int],
    metric_keys: set[str],
) -> list[PlannedPledge]:
    planned: list[PlannedPledge] = []
    refs: set[str] = set()
    for n, item in enumerate(items):
        where = f"pledges[{n}]"
        ref = required_text(item, "ref", where, file)
        if ref in refs:
            raise InputError(f"pledge {ref} is given twice", field=f"{where}.ref", file=file)
        refs.add(ref)
        number = item.get("number", ref)
        if not str(number).isdigit():
            raise InputError(
                f"'{number}' is not a pledge number", field=f"{where}.number", file=file
            )
        partnerships = []
        for p_n, given in enumerate(item.get("accountable") or []):
            p_where = f"{where}.accountable[{p_n}]"
            body_key = optional(given, "body")
            if body_key is not None and body_key not in bodies:
                raise InputError(
                    f"no governance body {body_key}", field=f"{p_where}.body", file=file
                )
            partnerships.append(
                {
                    "name": required_text(given, "name", p_where, file),
                    "body_id": bodies[body_key] if body_key else None,
                    "position": p_n,
                }
            )
        if not partnerships:
            raise InputError(
                f"pledge {ref} needs its accountable partnership",
                field=f"{where}.accountable",
                file=file,
            )
        measures = []
        measure_refs: set[str] = set()
        for m_n, given in enumerate(item.get("measures") or []):
            measure = _measure(given, f"{where}.measures[{m_n}]", file, metric_keys)
            if measure["ref"] in measure_refs:
                raise InputError(
                    f"measure {measure['ref']} is given twice",
                    field=f"{where}.measures[{m_n}].ref",
                    file=file,
                )
            measure_refs.add(measure["ref"])
            measures.append({**measure, "position": m_n})
        planned.append(
            PlannedPledge(
                {
                    "ref": ref,
                    "number": int(str(number)),
                    "title": required_text(item, "title", where, file),
                    "statement": required_text(item, "statement", where, file),
                    "priority": optional(item, "priority"),
                    "description": optional(item, "description"),
                    "source": optional(item, "source"),
                    "position": n,
                },
                partnerships,
                measures,
            )
        )
    return planned


def plan_interventions(
    tables: Sequence[Mapping[str, Any]], file: str | None, pledge_refs: set[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for t_n, table in enumerate(tables):
        t_where = f"interventions[{t_n}]"
        table_ref = required_text(table, "table", t_where, file)
        table_pledge = optional(table, "pledge")
        for i_n, item in enumerate(table.get("items") or []):
            where = f"{t_where}.items[{i_n}]"
            number = required_text(item, "number", where, file)
            if (table_ref, number) in seen:
                raise InputError(
                    f"{table_ref} intervention {number} is given twice",
                    field=f"{where}.number",
                    file=file,
                )
            seen.add((table_ref, number))
            pledge = optional(item, "pledge") if "pledge" in item else table_pledge
            if pledge is not None and pledge not in pledge_refs:
                raise InputError(f"no pledge {pledge}", field=f"{where}.pledge", file=file)
            timeline_text = optional(item, "timeline")
            try:
                timeline = parse_timeline(timeline_text, f"{where}.timeline")
            except InputError as exc:
                raise InputError(exc.message, field=exc.field, file=file) from exc
            row = {
                "table_ref": table_ref,
                "table_title": optional(table, "title"),
                "number": number,
                "area": optional(item, "area"),
                "description": required_text(item, "description", where, file),
                "timeline": timeline_text,
                "start_year": timeline.start_year,
                "end_year": timeline.end_year,
                "pledge_ref": pledge,
                "illustrative": bool(item.get("illustrative", False)),
                "note": optional(item, "note"),
                "position": len(rows),
            }
            for name, message in INTERVENTION.problems(row)[:1]:
                raise InputError(message, field=f"{where}.{name}", file=file)
            rows.append(row)
    return rows
