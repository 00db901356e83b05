"""`placeplan delivery ...`: delivery plan reports and the tracker workbook. Exit 0 done, 2 bad
input (nothing was written), 1 anything else; with --format json an error goes to stderr as
{"error": {"message", "file", "sheet", "row", "field"}} (a conflict adds "conflict": true)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from placeplan.cli_support import format_option, reports_errors


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
@click.option("--docx", "docx_file", default=None, help="also write the report to this .docx file")
@reports_errors
def highlight(
    plan_id: int, period: str | None, body: str | None, output_format: str, docx_file: str | None
) -> None:
    """Print plan PLAN_ID's highlight report: reds and ambers, changes, overdue, decisions."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.delivery.service import highlight as build
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        report = build(session, operator(), plan_id, period, body)
        if docx_file:
            from placeplan.delivery.io import report_docx
            from placeplan.delivery.service.reports import report_content

            content = report_content(session, operator(), plan_id, period, body)
            with open(docx_file, "wb") as out:
                out.write(report_docx.report_docx(content))
            click.echo(f"Wrote the highlight report to {docx_file}", err=True)
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


@delivery.command("export")
@click.argument("plan_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", default=None, help="e.g. 2025-26 Q2 or 2025-09; default the latest")
@format_option
@reports_errors
def export(plan_id: int, out: Path, period: str | None, output_format: str) -> None:
    """Write plan PLAN_ID's delivery tracker, with one period's updates, as the workbook OUT."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.delivery.io.write import tracker_bytes
    from placeplan.delivery.service import tracker_export
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        tracker = tracker_export(session, operator(), plan_id, period)
        data = tracker_bytes(tracker)
        label, actions = tracker.period.label, len(tracker.actions)
    out = out.resolve()
    # Written beside the target and moved into place: a failure leaves no half-written file.
    fd, temp = tempfile.mkstemp(prefix=".placeplan-", suffix=".xlsx", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if output_format == "json":
        click.echo(
            json.dumps({"plan_id": plan_id, "file": str(out), "period": label, "actions": actions})
        )
    else:
        click.echo(f"Wrote plan {plan_id}'s tracker for {label} ({actions} actions) to {out}")


@delivery.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--plan", "plan_id", type=int, default=None, help="the plan (default: the workbook's)"
)
@click.option("--dry-run", is_flag=True, help="show the differences it would make; write nothing")
@format_option
@reports_errors
def import_(workbook: Path, plan_id: int | None, dry_run: bool, output_format: str) -> None:
    """Apply a delivery tracker workbook's changes to its plan, showing the differences (actions,
    the period's updates and milestones added and changed). Every row is checked first: one bad
    row, or one changed in placeplan since the export, refuses the lot (exit 2)."""
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.core.errors import Conflict
    from placeplan.delivery.io.read import read_tracker
    from placeplan.delivery.service.tracker_import import write_checked
    from placeplan.delivery.service.tracker_preview import preview_parsed
    from placeplan.store.db import session_factory
    from placeplan.store.uow import commit

    parsed = read_tracker(workbook)  # a bad file is refused before the database is opened
    if parsed.problems:
        raise parsed.error()
    actor = operator()
    try:
        with session_factory(open_engine())() as session:
            try:
                checked, preview = preview_parsed(session, actor, parsed, plan_id)
                result = preview.as_json()
                if dry_run:
                    session.rollback()
                else:
                    result = {**write_checked(session, actor, checked, parsed.file), **result}
                    commit(session)
            except BaseException:
                session.rollback()
                raise
    except Conflict as exc:
        detail = {"message": exc.message, "file": str(workbook), "conflict": True}
        if output_format == "json":
            click.echo(json.dumps({"error": detail}), err=True)
        else:
            click.echo(f"placeplan: {exc.message} (file {workbook})", err=True)
        sys.exit(2)
    del result["token"]
    result["dry_run"] = dry_run
    if output_format == "json":
        click.echo(json.dumps(result, default=str))
        return
    _print_differences(result, dry_run)


def _print_differences(result: dict[str, object], dry_run: bool) -> None:
    """The differences for people: what changed in each record, in the tracker's words."""
    verb = "Would change" if dry_run else "Changed"
    click.echo(
        f"{verb} plan {result['plan_id']}'s tracker for {result['period']}: {result['summary']}"
    )
    for section in result["sections"]:  # type: ignore[attr-defined]
        for change in section["changes"]:
            click.echo(f"  {section['title']}: {change['name']} ({change['change']})")
            for f in change["fields"]:
                before, after = f["before_text"] or "(empty)", f["after_text"] or "(empty)"
                shown = after if change["change"] == "added" else f"{before} -> {after}"
                click.echo(f"    {f['field']}: {shown}")
    for check in result["checks"]:  # type: ignore[attr-defined]
        click.echo(f"  Check: {check['message']}")
