"""`placeplan report pack --body BODY --period PERIOD --pdf OUT.pdf`: a body's board pack."""

from __future__ import annotations

import json
from pathlib import Path

import click

from placeplan.cli_support import format_option, open_engine, reports_errors, write_atomically


@click.group()
def report() -> None:
    """Board packs: a body's metrics, budget, capacity, delivery and pledges as one PDF."""


@report.command("pack")
@click.option("--body", "body", required=True, help="the body's key or name")
@click.option("--period", required=True, help="a quarter (2025-26 Q3) or a year (2025-26)")
@click.option("--pdf", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option
@reports_errors
def pack(body: str, period: str, out: Path, output_format: str) -> None:
    """Write BODY's board pack for PERIOD as the PDF OUT."""
    from placeplan.core.actor import operator
    from placeplan.packs.io.pdf import html_to_pdf
    from placeplan.packs.present import pack_html, pack_title
    from placeplan.packs.service import board_pack
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        found = board_pack(session, operator(), body, period)
        html, title = pack_html(found), pack_title(found)
    written = write_atomically(out, html_to_pdf(html))
    if output_format == "json":
        click.echo(json.dumps({"title": title, "file": str(written)}))
    else:
        click.echo(f"Wrote {title} to {written}")
