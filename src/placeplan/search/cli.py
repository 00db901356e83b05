"""`placeplan search ...`: the search index. Exit 0 done, 1 anything else."""

from __future__ import annotations

import time

import click

from placeplan.cli_support import reports_errors


@click.group()
def search() -> None:
    """Search: the index of plans, schemes, metrics, actions, pledges and organisations."""


@search.command("reindex")
@reports_errors
def reindex() -> None:
    """Build the whole search index anew from the records (each write keeps it in step; this is
    for after a restore or a change to what is indexed)."""
    from placeplan.cli_support import open_engine
    from placeplan.search import service
    from placeplan.store.db import session_factory

    started = time.perf_counter()
    with session_factory(open_engine())() as session:
        count = service.reindex(session)
    click.echo(f"Indexed {count} records in {time.perf_counter() - started:.2f} s.")
