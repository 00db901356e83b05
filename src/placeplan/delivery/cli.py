"""`placeplan delivery ...`: delivery plan reports. Exit 0 done, 2 bad input, 1 anything else."""

from __future__ import annotations

import json

import click

from placeplan.cli_support import reports_errors


@click.group()
def delivery() -> None:
    """Delivery plans: highlight reports of actions and their RAG ratings."""


@delivery.command("highlight")
@click.argument("plan_id", type=int)
@click.option("--period", default=None, help="e.g. 2025-26 Q2 or 2025-09; default the latest")
@click.option("--body", "body", default=None, help="a governance body's id or key")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts",
)
@reports_errors
def highlight(plan_id: int, period: str | None, body: str | None, output_format: str) -> None:
    """Print plan PLAN_ID's highlight report: reds and ambers, changes, overdue, decisions."""
    from placeplan.cli_support import open_engine
    from placeplan.delivery.service import highlight as build
    from placeplan.store.actor import operator
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        report = build(session, operator(), plan_id, period, body)
    if output_format == "json":
        click.echo(json.dumps(report, default=str))
        return
    click.echo(f"{report['plan']['title']}: highlight report for {report['period'] or 'no period'}")
    counts = report["counts"]
    click.echo(
        f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green,"
        f" {counts['not_rated']} not rated"
    )
    for heading, key in (("Red", "reds"), ("Amber", "ambers"), ("Changed", "changes")):
        for item in report[key]:
            click.echo(f"{heading:<8} {item['ref']:<10} {item['change']:<10} {item['we_will']}")
    for item in report["overdue"]:
        click.echo(f"Overdue  {item['action_ref']:<10} {item['due']} {item['by']}")
    for item in report["decisions"]:
        click.echo(f"Decision {item['ref']:<10} {item['decision']}")
