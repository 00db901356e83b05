"""`placeplan bcf ...`: the BCF planning workbook (export, import, validate) and budget summaries.

`import --plan ID --dry-run` prints what a workbook would change (names and pounds) and the
checks, writing nothing.

Exit codes as for every placeplan command: 0 done, 2 bad input (nothing was written), 1 anything
else; with --format json an error goes to stderr as {"error": {"message", "file", "sheet", "row",
"field"}}. `validate` prints its report on stdout and exits 0 when the workbook is valid, 2 when
it is not.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from placeplan.cli_support import format_option, reports_errors


def _sessions() -> Any:
    from placeplan.cli_support import open_engine
    from placeplan.store.db import session_factory

    return session_factory(open_engine())


@click.group()
def bcf() -> None:
    """Better Care Fund: the planning workbook and budget summaries."""


@bcf.command("export")
@click.argument("plan_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@reports_errors
def export(plan_id: int, out: Path, output_format: str) -> None:
    """Write plan PLAN_ID's budget as the BCF planning workbook OUT (.xlsx)."""
    from placeplan.budget.service import export_workbook
    from placeplan.core.actor import operator

    with _sessions()() as session:
        workbook = export_workbook(session, operator(), plan_id)
    out = out.resolve()
    # Written beside the target and moved into place: a failure leaves no half-written file.
    fd, temp = tempfile.mkstemp(prefix=".placeplan-", suffix=".xlsx", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(workbook.content)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    errors = workbook.rule_errors
    if output_format == "json":
        click.echo(json.dumps({"plan_id": plan_id, "file": str(out), "rule_errors": errors}))
    else:
        click.echo(f"Wrote plan {plan_id}'s budget to {out}")


@bcf.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", "plan_id", type=int, default=None, help="replace this draft plan's budget")
@click.option(
    "--dry-run",
    is_flag=True,
    help="with --plan: print what the workbook would change, and the checks; write nothing",
)
@format_option
@reports_errors
def import_(workbook: Path, plan_id: int | None, dry_run: bool, output_format: str) -> None:
    """Read a BCF planning workbook into a new draft plan (from the Cover's area, year and title)
    or, with --plan, as the new budget of that draft plan. Prints the plan's id (with --format
    json, the id and what changed); what changed goes to stderr. Writes nothing if anything is
    wrong. With --dry-run, prints what it would change and the checks, and writes nothing."""
    from placeplan.budget.io import read_parsed
    from placeplan.core.errors import InputError

    if dry_run and plan_id is None:
        raise InputError("--dry-run compares the workbook with a plan: name it with --plan", "plan")
    parsed = read_parsed(workbook)  # a bad file is refused before the database is opened
    if parsed.problems:
        raise parsed.error()
    if dry_run:
        _dry_run(workbook, plan_id or 0, output_format)
    else:
        _import(parsed, plan_id, output_format)


def _dry_run(workbook: Path, plan_id: int, output_format: str) -> None:
    from placeplan.budget.service import compare_workbook
    from placeplan.core.actor import operator

    with _sessions()() as session:
        shown = compare_workbook(
            session, operator(), plan_id, str(workbook), workbook.read_bytes()
        ).as_json()
        session.rollback()
    if output_format == "json":
        click.echo(json.dumps(shown, indent=2))
        return
    click.echo(f"Plan {plan_id}: {shown['differences']['summary']} (nothing written)")
    for section in shown["differences"]["sections"]:
        click.echo(f"\n{section['title']}")
        for change in section["changes"]:
            click.echo(f"  {change['change']:<8} {change['name']}")
            for f in change["fields"]:
                before, after = f["before_text"] or "", f["after_text"] or ""
                click.echo(f"           {f['field']}: {before} -> {after}")
    for finding in shown["findings"]:
        click.echo(f"{finding['severity']} [{finding['rule']}]: {finding['message']}", err=True)


def _import(parsed: Any, plan_id: int | None, output_format: str) -> None:
    from placeplan.budget.service import import_with_differences
    from placeplan.core.actor import operator
    from placeplan.store.uow import unit_of_work

    with unit_of_work(_sessions()) as session:
        plan, warnings, found = import_with_differences(session, operator(), parsed, plan_id)
        new_id = plan.id
    for warning in warnings:
        click.echo(f"warning [{warning.rule}]: {warning.message}", err=True)
    if output_format == "json":
        click.echo(json.dumps({"plan_id": new_id, "differences": found.as_json()}))
    else:
        click.echo(str(new_id))
        click.echo(f"Plan {new_id}: {found.summary()}", err=True)


@bcf.command("validate")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", "plan_id", type=int, default=None, help="check against this plan's area")
@format_option
@reports_errors
def validate(workbook: Path, plan_id: int | None, output_format: str) -> None:
    """Check a BCF planning workbook without importing it: every structural problem and rule
    result, with its sheet, row and column. Exit 0 if valid, 2 if not."""
    from placeplan.budget.io import validate_workbook

    if plan_id is None:
        report = validate_workbook(workbook)
    else:
        from placeplan.budget.service import validate_for_plan
        from placeplan.core.actor import operator

        with _sessions()() as session:
            report = validate_for_plan(session, operator(), workbook, plan_id)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(f"{workbook}: {'valid' if report['valid'] else 'NOT valid'}")
        for f in report["findings"]:
            where = ", ".join(
                f"{label} {f[key]}"
                for label, key in (("sheet", "sheet"), ("row", "row"), ("column", "column"))
                if f[key] is not None
            )
            click.echo(
                f"  {f['severity']:<7} [{f['rule']}] {f['message']}"
                + (f" ({where})" if where else "")
            )
    if not report["valid"]:
        sys.exit(2)


@bcf.command("summary")
@click.argument("plan_id", type=int)
@format_option
@reports_errors
def summary(plan_id: int, output_format: str) -> None:
    """Plan PLAN_ID's spend by category (with share and new investment), type and source."""
    from placeplan.budget.service import view
    from placeplan.core.actor import operator
    from placeplan.core.money import format_pence

    with _sessions()() as session:
        result = view(session, operator(), plan_id).summary
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(
        f"Total {format_pence(result.total_pence)}; new investment {format_pence(result.new_pence)}"
    )
    for title, shares in (
        ("By category", result.categories),
        ("By scheme type", result.by_type),
        ("By funding source", result.by_source),
    ):
        click.echo(f"\n{title}")
        for s in shares:
            click.echo(
                f"  {s.label:<58} {format_pence(s.total_pence):>18} {float(s.share):>7.1%}"
                f"  new {format_pence(s.new_pence)}"
            )
