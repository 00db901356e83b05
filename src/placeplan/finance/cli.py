"""`placeplan finance ...`: a plan's medium-term financial model and its need-weighted
allocations. Exit 0 done, 2 bad input, 1 anything else."""

from __future__ import annotations

import json
from pathlib import Path

import click

from placeplan.cli_support import reports_errors


@click.group()
def finance() -> None:
    """Money over the plan's years: the financial model, its bridge and scenarios."""


@finance.command("show")
@click.argument("plan")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts",
)
@reports_errors
def show(plan: str, output_format: str) -> None:
    """Show PLAN's financial model (PLAN is its id or key): the challenge, bridge and proposal."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.finance.present.answers import model_json
    from placeplan.finance.present.tables import page_tables
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        actor = operator()
        record = service.plan_model(session, actor, service.plan_id_of(session, actor, plan))
        seen = service.computed(record)
        if output_format == "json":
            click.echo(json.dumps(model_json(seen), indent=2))
            return
        click.echo(f"{record.name} (£ thousands; deficits in brackets)")
        for table in page_tables(seen.result):
            click.echo(f"\n{table.title}")
            click.echo(f"{'':<46}" + "".join(f"{c:>12}" for c in table.columns))
            for label, cells, _ in table.rows:
                click.echo(f"{label[:45]:<46}" + "".join(f"{c:>12}" for c in cells))


@finance.command("export")
@click.argument("plan")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def export(plan: str, out: Path) -> None:
    """Write PLAN's financial model to OUT as a workbook whose totals are formulas."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.finance.io.xlsx import workbook_bytes
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        actor = operator()
        record = service.plan_model(session, actor, service.plan_id_of(session, actor, plan))
        content = workbook_bytes(record.name, service.computed(record).result)
    out.write_bytes(content)
    click.echo(f"Wrote {out} ({len(content):,} bytes)")


_ALLOCATION = click.option(
    "--allocation",
    "name",
    default=None,
    help="the allocation's name, when the plan has more than one",
)


@finance.command("allocation")
@click.argument("plan")
@_ALLOCATION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts",
)
@reports_errors
def allocation(plan: str, name: str | None, output_format: str) -> None:
    """Show PLAN's need-weighted allocation: each area's need, shares, distance from target and
    glide path by year."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.finance.present.allocation import (
        AREA_COLUMNS,
        area_rows,
        path_columns,
        path_rows,
    )
    from placeplan.finance.present.allocation_answers import allocation_json
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        actor = operator()
        seen = service.plan_allocation(
            session, actor, service.plan_id_of(session, actor, plan), name
        )
        if output_format == "json":
            click.echo(json.dumps(allocation_json(seen), indent=2))
            return
        marked = " (illustrative figures)" if seen.record.illustrative else ""
        click.echo(f"{seen.record.name}{marked}")
        for columns, rows in (
            (AREA_COLUMNS, area_rows(seen)),
            (path_columns(seen), path_rows(seen)),
        ):
            click.echo("\n" + _row(columns))
            for row in rows:
                click.echo(_row(row))


def _row(cells: tuple[str, ...]) -> str:
    return f"{cells[0][:29]:<30}" + "".join(f"{c:>22}" for c in cells[1:])


@finance.command("allocation-export")
@click.argument("plan")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_ALLOCATION
@reports_errors
def allocation_export(plan: str, out: Path, name: str | None) -> None:
    """Write PLAN's need-weighted allocation to OUT as a workbook (shares, path and inputs)."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.finance.io.allocation_xlsx import allocation_bytes
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        actor = operator()
        seen = service.plan_allocation(
            session, actor, service.plan_id_of(session, actor, plan), name
        )
        content = allocation_bytes(seen.record.name, seen.allocation, seen.areas)
    out.write_bytes(content)
    click.echo(f"Wrote {out} ({len(content):,} bytes)")
