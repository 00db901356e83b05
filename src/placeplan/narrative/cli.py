"""`placeplan bcf narrative PLAN --docx OUT` (the narrative plan in Word) and `placeplan capacity
plan-export PLAN OUT.xlsx` (the capacity and demand plan). The command line's composition root
(placeplan.cli) adds each to its group, which comes earlier in the concepts' order."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import click

from placeplan.cli_support import format_option, reports_errors


def _write(out: Path, content: bytes) -> Path:
    out = out.resolve()
    # Written beside the target and moved into place: a failure leaves no half-written file.
    fd, temp = tempfile.mkstemp(prefix=".placeplan-", suffix=out.suffix, dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out


@click.command("narrative")
@click.argument("plan")
@click.option(
    "--docx",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="the Word file to write",
)
@click.option(
    "--organisation",
    default=None,
    help="whose Word template to use (its key); default: placeplan's",
)
@click.option(
    "--replications",
    type=int,
    default=40,
    show_default=True,
    help="replications for sizing the P2 gap (0: not sized)",
)
@format_option
@reports_errors
def narrative(
    plan: str, out: Path, organisation: str | None, replications: int, output_format: str
) -> None:
    """Write plan PLAN's (number or key) narrative plan as a Word file: the national headings in
    order, each block's text, and the record's tables beside them."""
    import json

    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.narrative.service.document import narrative_docx
    from placeplan.narrative.service.lookup import plan_id_of
    from placeplan.store.db import session_factory

    actor = operator()
    with session_factory(open_engine())() as session:
        plan_id = plan_id_of(session, actor, plan)
        content = narrative_docx(session, actor, plan_id, date.today(), organisation, replications)
    written = _write(out, content)
    if output_format == "json":
        click.echo(json.dumps({"plan": plan_id, "file": str(written), "bytes": len(content)}))
    else:
        click.echo(f"Wrote {written} ({len(content):,} bytes)")


@click.command("plan-export")
@click.argument("plan")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replications",
    type=int,
    default=40,
    show_default=True,
    help="replications for sizing the P2 gap (0: not sized)",
)
@format_option
@reports_errors
def plan_export(plan: str, out: Path, replications: int, output_format: str) -> None:
    """Write plan PLAN's (number or key) intermediate care capacity and demand plan as OUT
    (.xlsx), from its capacity model's latest finished run."""
    import json

    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.narrative.io.cd_workbook import workbook_bytes
    from placeplan.narrative.service.capacity_plan import require_plan
    from placeplan.narrative.service.lookup import plan_id_of
    from placeplan.store.db import session_factory

    actor = operator()
    with session_factory(open_engine())() as session:
        plan_id = plan_id_of(session, actor, plan)
        content = workbook_bytes(require_plan(session, actor, plan_id, replications))
    written = _write(out, content)
    if output_format == "json":
        click.echo(json.dumps({"plan": plan_id, "file": str(written), "bytes": len(content)}))
    else:
        click.echo(f"Wrote {written} ({len(content):,} bytes)")
