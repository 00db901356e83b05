"""`placeplan finance ...`: a plan's medium-term financial model. Exit 0 done, 2 bad input, 1
anything else."""

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
