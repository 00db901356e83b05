"""`placeplan pledges ...`: a plan's pledges. Exit 0 done, 2 bad input, 1 anything else."""

from __future__ import annotations

import json

import click

from placeplan.cli_support import reports_errors


@click.group()
def pledges() -> None:
    """Pledges: their measures, accountable partnerships and status."""


@pledges.command("list")
@click.argument("plan_id", type=int)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts",
)
@reports_errors
def list_pledges(plan_id: int, output_format: str) -> None:
    """List plan PLAN_ID's pledges with each measure's baseline, target, latest value and status."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.pledges import service
    from placeplan.pledges.present.answers import pledge_json
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        _, views = service.list_pledges(session, operator(), plan_id)
        rows = [pledge_json(v) for v in views]
    if output_format == "json":
        click.echo(json.dumps({"plan_id": plan_id, "pledges": rows}, indent=2))
        return
    if not rows:
        click.echo(f"Plan {plan_id} has no pledges.")
        return

    def figure(f: dict[str, str | None]) -> str:
        return f"{f['value']} ({f['period']})" if f["value"] is not None else "-"

    for p in rows:
        accountable = "; ".join(a["name"] for a in p["accountable"])
        click.echo(f"Pledge {p['ref']:<3} {p['status']:<13} {p['title']}  [{accountable}]")
        for m in p["measures"]:
            click.echo(
                f"  {m['ref']:<5} {m['status']:<13} baseline {figure(m['baseline'])},"
                f" target {figure(m['target'])}, latest {figure(m['latest'])}  {m['name'][:60]}"
            )
