"""`placeplan spc`, `fingertips` and `metrics`: the measures' commands (`equity core20`, which
reads the demo's data, is `placeplan.demo.cli`).

Errors and --format come from `placeplan.cli_support`, which imports none of the command groups,
so `placeplan.cli` may import this module without a cycle.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from placeplan.cli_support import format_option, reports_errors
from placeplan.core.errors import InputError
from placeplan.measures.domain.frequency import OTHER_FIGURES_NOTE, kind_of, split_by_frequency
from placeplan.measures.domain.spc import DIRECTIONS, Direction, xmr


def one_frequency(
    series: list[tuple[str, Decimal]],
) -> tuple[list[tuple[str, Decimal]], list[tuple[str, Decimal]]]:
    """The rows charted (those of the most common period length) and the others, as the pages
    chart stored figures (`domain.frequency`); periods that are not months, quarters or years
    (weeks, dates) are charted as they come."""
    try:
        return split_by_frequency(series, lambda r: r[0], "")
    except InputError:
        return series, []


def read_series(path: Path) -> list[tuple[str, Decimal]]:
    """`period,value` rows of a CSV file; rows are numbered as lines, the header being row 1."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=name) from None
    if not text.strip():
        raise InputError("the file is empty: it needs a header period,value and rows", file=name)
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    for column in ("period", "value"):
        if column not in columns:
            raise InputError(f"no '{column}' column", file=name, row=1, field=column)
    reader.fieldnames = columns
    series: list[tuple[str, Decimal]] = []
    seen: dict[str, int] = {}
    for row, record in enumerate(reader, start=2):
        period = (record.get("period") or "").strip()
        raw = (record.get("value") or "").strip()
        if not period:
            raise InputError("the period is missing", file=name, row=row, field="period")
        if period in seen:
            raise InputError(
                f"period {period} already appears in row {seen[period]}",
                file=name,
                row=row,
                field="period",
            )
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise InputError(f"'{raw}' is not a number", file=name, row=row, field="value")
        seen[period] = row
        series.append((period, value))
    if not series:
        raise InputError("the file has a header but no rows", file=name, row=2)
    return series


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--direction", type=click.Choice(list(DIRECTIONS)), required=True)
@click.option("--target", type=str, default=None, help="the target, in the measure's units")
@click.option("--rebase", multiple=True, help="a period at which new limits start (repeatable)")
@click.option("--run-length", type=click.Choice(["6", "7"]), default="7", show_default=True)
@click.option("--screen-outliers", is_flag=True, help="screen moving ranges >= 3.267 x the mean")
@format_option
@reports_errors
def spc(
    file: Path,
    direction: Direction,
    target: str | None,
    rebase: tuple[str, ...],
    run_length: str,
    screen_outliers: bool,
    output_format: str,
) -> None:
    """An XmR chart (NHS Making Data Count) of FILE's `period,value` rows, in time order.

    Rows of another period length than most (a yearly figure among months) are listed, not
    charted."""
    series, others = one_frequency(read_series(file))
    target_value: Decimal | None = None
    if target is not None:
        try:
            target_value = Decimal(target)
        except InvalidOperation:
            raise InputError(f"'{target}' is not a number", field="target") from None
    try:
        chart = xmr(
            series,
            direction,
            target=target_value,
            rebase=rebase,
            run_length=int(run_length),
            screen_outliers=screen_outliers,
        )
    except InputError as exc:
        exc.file = str(file)
        raise
    listed = [{"period": p, "length": kind_of(p), "value": float(v)} for p, v in others]
    if output_format == "json":
        click.echo(json.dumps({**chart.as_dict(), **({"other_figures": listed} if listed else {})}))
        return
    click.echo(f"{'period':<12} {'value':>12} {'mean':>12} {'lower':>12} {'upper':>12}  type")
    for p in chart.points:
        trial = " (trial limits)" if p.trial else ""
        lower = "none" if p.lower is None else f"{p.lower:.4g}"
        upper = "none" if p.upper is None else f"{p.upper:.4g}"
        click.echo(
            f"{p.period:<12} {p.value:>12.4g} {p.mean:>12.4g} {lower:>12} {upper:>12}  {p.type}{trial}"
        )
    click.echo(f"variation: {chart.variation}")
    click.echo(f"assurance: {chart.assurance}")
    click.echo(f"moving-range screening: {'on' if chart.screened else 'off'}")
    if chart.points[-1].upper is None:
        click.echo("process limits: none (every value since the latest rebase is the same)")
    if listed:
        shown = "; ".join(f"{o['period']} ({o['length']}) {o['value']:.4g}" for o in listed)
        click.echo(f"other figures, not plotted: {shown}. {OTHER_FIGURES_NOTE}")


@click.group()
def fingertips() -> None:
    """The OHID Fingertips API: indicator metadata and data, with provenance."""


def _provenance(p: Any) -> dict[str, str]:
    return {
        "source": p.source,
        "url": p.url,
        "fetched_at": p.fetched_at.isoformat(),
        "sha256": p.sha256,
    }


@fingertips.command("fetch")
@click.option("--indicator", "indicators", type=int, multiple=True, required=True)
@click.option(
    "--child-area-type",
    "--area-type",
    "child_area_type",
    type=int,
    default=502,
    show_default=True,
    help="502: upper-tier local authorities (Counties and UAs)",
)
@click.option("--parent-area-type", type=int, default=15, show_default=True, help="15: England")
@click.option("--base-url", default=None, help="the API's address (default: the public service)")
@click.option(
    "--store",
    "store_rows",
    is_flag=True,
    help="write the rows as measurements of --metric (all or nothing; unchanged rows are skipped)",
)
@click.option("--metric", "metric_key", default=None, help="the metric to store the rows as")
@format_option
@reports_errors
def fetch(
    indicators: tuple[int, ...],
    child_area_type: int,
    parent_area_type: int,
    base_url: str | None,
    store_rows: bool,
    metric_key: str | None,
    output_format: str,
) -> None:
    """Fetch an indicator's metadata and data for every area of a type; with --store, keep them."""
    from placeplan.measures.service.fingertips import BASE_URL, FingertipsClient

    if store_rows and (not metric_key or len(indicators) != 1):
        raise InputError("--store needs --metric and exactly one --indicator", field="metric")
    with FingertipsClient(base_url=base_url or BASE_URL) as client:
        metadata = client.indicator_metadata(indicators)
        data = client.data(indicators, child_area_type, parent_area_type)
    if store_rows and metric_key:
        from placeplan.cli_support import open_engine
        from placeplan.core.actor import operator
        from placeplan.measures.service.fingertips_store import store
        from placeplan.store.db import session_factory
        from placeplan.store.uow import unit_of_work

        with unit_of_work(session_factory(open_engine())) as session:
            result = store(session, operator(), metric_key, data, indicators[0])
        if output_format == "json":
            click.echo(
                json.dumps(
                    {
                        "metric": result.metric,
                        "stored": result.stored,
                        "unchanged": result.unchanged,
                        "skipped": result.skipped,
                        "provenance": _provenance(data.provenance),
                    }
                )
            )
        else:
            click.echo(
                f"Stored {result.stored} measurement(s) of {metric_key} from indicator "
                f"{indicators[0]}; {result.unchanged} already stored unchanged"
            )
            for reason, count in sorted(result.skipped.items()):
                click.echo(f"skipped {count} row(s): {reason}")
        return
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "indicators": [
                        {
                            "id": m.indicator_id,
                            "name": m.name,
                            "unit": m.unit,
                            "provenance": _provenance(m.provenance),
                        }
                        for m in metadata
                    ],
                    "provenance": _provenance(data.provenance),
                    "rows": [
                        {
                            "indicator_id": r.indicator_id,
                            "area_code": r.area_code,
                            "period": r.period,
                            "value": None if r.value is None else str(r.value),
                            "count": None if r.count is None else str(r.count),
                            "denominator": None if r.denominator is None else str(r.denominator),
                            "value_note": r.value_note,
                        }
                        for r in data.rows
                    ],
                }
            )
        )
        return
    for m in metadata:
        click.echo(f"{m.indicator_id}: {m.name} ({m.unit or 'no unit'})")
    click.echo(f"{len(data.rows)} rows from {data.provenance.url}")


@click.group()
def metrics() -> None:
    """Metrics and their measurements."""


@metrics.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--metric", "metric_key", required=True, help="the metric's key, e.g. falls_65_plus")
@click.option("--source", default=None, help="where the figures come from (kept with each row)")
@click.option("--dry-run", is_flag=True, help="show the differences it would make; write nothing")
@format_option
@reports_errors
def import_measurements(
    file: Path, metric_key: str, source: str | None, dry_run: bool, output_format: str
) -> None:
    """Import measurements from CSV or xlsx with the columns area_code, period, numerator,
    denominator, value, breakdown, breakdown_value. Every row is checked first: one bad row and
    nothing is written. A measurement already stored (same area, period and breakdown) is updated
    in place if its figures differ and left be if not; the differences are shown."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.measures.service.imports import read_rows, write_rows
    from placeplan.measures.service.previews import preview_rows
    from placeplan.store.db import session_factory
    from placeplan.store.uow import unit_of_work

    rows = read_rows(file)
    actor = operator()
    with unit_of_work(session_factory(open_engine())) as session:
        checked, preview = preview_rows(
            session,
            actor,
            metric_key,
            rows,
            file=str(file),
            source=source or f"imported from {file.name}",
        )
        if dry_run:
            session.rollback()  # nothing was written; the unit of work commits nothing
        else:
            write_rows(session, actor, checked)
    result = preview.as_json()
    del result["token"]
    result.update(imported=0 if dry_run else checked.written, dry_run=dry_run)
    if output_format == "json":
        click.echo(json.dumps(result))
        return
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} measurements of {metric_key}: {preview.summary()}")
    click.echo(f"  {preview.unchanged} already stored as they are")
    for change in result["sections"][0]["changes"] if result["sections"] else []:
        click.echo(f"  {change['name']} ({change['change']})")
        for f in change["fields"]:
            before, after = f["before_text"] or "(empty)", f["after_text"] or "(empty)"
            click.echo(
                f"    {f['field']}: {after if change['change'] == 'added' else f'{before} -> {after}'}"
            )
    for check in preview.checks:
        click.echo(f"  Check: {check}")


def _figure_text(f: Any, unit: str) -> str:
    """A breakdown cell as the page reads it, its interval to 2 decimals with its method."""
    from placeplan.measures.domain.suppression import label_for

    if f.withheld:
        return label_for(f.small)
    text = f"{float(f.value):,.2f}{unit}"
    if f.interval is not None:
        i = f.interval
        text += f" (95% interval {i.lower:,.2f} to {i.upper:,.2f}, {i.method})"
    if f.small:
        text += " (withheld from the public)"
    return text


@metrics.command("breakdowns")
@click.argument("metric_key")
@click.option("--area", "area_code", required=True, help="the area's GSS code, e.g. E06000016")
@click.option("--period", default=None, help="the period (default: the latest with breakdowns)")
@click.option(
    "--public", is_flag=True, help="as a signed-out reader sees them: small numbers withheld"
)
@format_option
@reports_errors
def show_breakdowns(
    metric_key: str, area_code: str, period: str | None, public: bool, output_format: str
) -> None:
    """A metric's figures in an area by IMD quintile, ethnic group, sex, age band and PLUS
    group, as the breakdowns page gives them: each interval with its method, the age-standardised
    rate (or why there is none), withheld cells with the reason, the quintile gap and its trend."""
    from placeplan.areas.service import get_area
    from placeplan.cli_support import open_engine
    from placeplan.measures.present.schemas import breakdowns_out
    from placeplan.measures.service.breakdowns import breakdowns
    from placeplan.measures.service.metrics import get_metric
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        metric = get_metric(session, metric_key)
        area = get_area(session, area_code)
        found = breakdowns(session, metric, area, period, public)
        title = f"{metric.name} in {area.name}"
    if output_format == "json":
        click.echo(breakdowns_out(area_code, metric_key, found).model_dump_json())
        return
    if found.period is None:
        click.echo(f"{title}: no breakdowns recorded")
        return
    reader = "a signed-out reader: small numbers withheld" if public else "all figures"
    click.echo(f"{title}, {found.period} ({reader})")
    if found.total is not None:
        click.echo(f"All people: {_figure_text(found.total, '')}")
    elif found.no_total:
        click.echo(f"All people: not given: {found.no_total}")
    for table in found.tables:
        click.echo(table.title)
        for f in table.figures:
            click.echo(f"  {f.label:<28} {_figure_text(f, '')}")
    if found.gap is not None:
        click.echo(f"Gap, most minus least deprived: {found.gap.gap:+,.2f}")
    elif found.gap_withheld:
        click.echo("Gap, most minus least deprived: not published (quintile 1 or 5 withheld)")
    if found.trend is not None and found.trend.slope is not None:
        click.echo(
            f"Gap trend: {found.trend.slope:+,.2f} a {found.trend.per} over "
            f"{len(found.trend.gaps)} periods (least squares, each period at its place in time)"
        )
