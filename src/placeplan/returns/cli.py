"""`placeplan bcf return PLAN --quarter 2025-26-Q3 OUT.xlsx`: a plan's (its number or its key)
quarterly (or, for Q4, year-end) return as a workbook: as confirmed, or as the record gives it now
while it is a draft. Attached to the `bcf` group by the command line's composition root (placeplan.cli)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from placeplan.cli_support import format_option, open_engine, reports_errors, write_atomically


@click.command("return")
@click.argument("plan")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quarter", required=True, help="a quarter of the plan's year, e.g. 2025-26-Q3")
@format_option
@reports_errors
def return_command(plan: str, out: Path, quarter: str, output_format: str) -> None:
    """Write plan PLAN's (its number or key) return for QUARTER as the workbook OUT (.xlsx)."""
    from placeplan.core.actor import operator
    from placeplan.narrative.service.lookup import plan_id_of
    from placeplan.returns.io.xlsx import return_bytes
    from placeplan.returns.service import return_view
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        plan_id = plan_id_of(session, operator(), plan)
        view = return_view(session, operator(), plan_id, quarter)
        content, confirmed = view.content, view.confirmed
    written = write_atomically(out, return_bytes(content))
    total = content["spend"]["total"]
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "plan_id": plan_id,
                    "quarter": content["quarter"],
                    "kind": content["kind"],
                    "confirmed": confirmed,
                    "illustrative": content["illustrative"],
                    "file": str(written),
                    "actual_to_date_pence": total["actual_pence"],
                    "planned_to_date_pence": total["planned_pence"],
                    "forecast_pence": total["forecast_pence"],
                }
            )
        )
    else:
        state = "confirmed" if confirmed else "draft"
        click.echo(
            f"Wrote the {state} {content['kind'].lower()} for {content['quarter']} to {written}"
        )
