"""The `placeplan` command. Exit 0 on success, 2 on bad input, 1 on any other failure."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from placeplan import __version__
from placeplan.app.wiring import wire
from placeplan.cli_support import format_option, open_engine, reports_errors
from placeplan.config import Settings
from placeplan.core.actor import operator

# Each concept's command group, imported only when it is run (or listed by --help), so a command
# starts without importing what it does not use (`placeplan --version` in under 0.15 s).
LAZY_GROUPS: dict[str, tuple[str, str]] = {
    "bcf": (
        "placeplan.budget.cli:bcf",
        "Better Care Fund: the planning workbook and budget summaries.",
    ),
    "capacity": (
        "placeplan.capacity.cli:capacity",
        "Intermediate care demand and capacity: simulate, size, estimate.",
    ),
    "delivery": (
        "placeplan.delivery.cli:delivery",
        "Delivery plans: highlight reports of actions and their RAG ratings.",
    ),
    "equity": ("placeplan.demo.cli:equity", "Equity: who is left behind (Core20PLUS5)."),
    "finance": (
        "placeplan.finance.cli:finance",
        "Money over the plan's years: the financial model, its bridge and scenarios.",
    ),
    "fingertips": (
        "placeplan.measures.cli:fingertips",
        "The OHID Fingertips API: indicator metadata and data, with provenance.",
    ),
    "metrics": ("placeplan.measures.cli:metrics", "Metrics and their measurements."),
    "pledges": (
        "placeplan.pledges.cli:pledges",
        "Pledges: their measures, accountable partnerships and status.",
    ),
    "report": (
        "placeplan.packs.cli:report",
        "Board packs: a body's metrics, budget, capacity, delivery and pledges as one PDF.",
    ),
    "search": (
        "placeplan.search.cli:search",
        "Search: the index of plans, schemes, metrics, actions, pledges and organisations.",
    ),
    "spc": (
        "placeplan.measures.cli:spc",
        "An XmR chart (NHS Making Data Count) of FILE's `period,value` rows, in time order.",
    ),
}

# Commands of a later concept that belong in an earlier concept's group: the narrative plan is a
# BCF document (as is a quarterly return, from the returns concept) and the capacity and demand
# plan a capacity one, but both read the narrative
# concept, which comes after the budget and the capacity model; the composition root joins them.
LAZY_COMMANDS: dict[str, tuple[str, ...]] = {
    "bcf": ("placeplan.narrative.cli:narrative", "placeplan.returns.cli:return_command"),
    "capacity": ("placeplan.narrative.cli:plan_export",),
}


def _imported(target: str) -> click.Command:
    module, _, attribute = target.partition(":")
    command: click.Command = getattr(importlib.import_module(module), attribute)
    return command


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_GROUPS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_GROUPS:
            command = _imported(LAZY_GROUPS[cmd_name][0])
            if isinstance(command, click.Group):
                for extra in LAZY_COMMANDS.get(cmd_name, ()):
                    found = _imported(extra)
                    if found.name not in command.commands:
                        command.add_command(found)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from each group's stated help, without importing the groups."""
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_GROUPS:
                rows.append((name, LAZY_GROUPS[name][1]))
            elif (command := super().get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(version=__version__, prog_name="placeplan")
def main() -> None:
    """placeplan: plans, pooled budgets, measures and models of a local health and care system.

    The database comes from PLACEPLAN_DATABASE_URL (default: SQLite under var/).
    """
    wire()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@reports_errors
def serve(host: str, port: int) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    from placeplan.app.factory import create_app

    engine = open_engine()
    click.echo(
        f"placeplan serving on http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)"
    )
    uvicorn.run(create_app(engine=engine), host=host, port=port, log_level="warning")


@main.group()
def db() -> None:
    """The database: migrations."""


@db.command("upgrade")
@format_option
@reports_errors
def db_upgrade(output_format: str) -> None:
    """Create or migrate the database to the latest schema."""
    from placeplan.store.db import mask_url
    from placeplan.store.migrate import current_revision, upgrade

    engine = open_engine(migrated=False)
    upgrade(engine)
    revision = current_revision(engine)
    if output_format == "json":
        click.echo(json.dumps({"database": mask_url(engine.url), "revision": revision}))
    else:
        click.echo(f"{mask_url(engine.url)} is at revision {revision}")


@main.group()
def demo() -> None:
    """The Leicester, Leicestershire and Rutland demo."""


@demo.command("load")
@click.option(
    "--national",
    is_flag=True,
    help="also load a synthetic England: every other HWB area in NHS regions, with five years of"
    " plans and 60 months of the national metrics (marked synthetic)",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=1,
    help="with --national on PostgreSQL: processes building areas side by side",
)
@format_option
@reports_errors
def demo_load(national: bool, workers: int, output_format: str) -> None:
    """Load the LLR system, its plans and demo users (does nothing if already loaded)."""
    from placeplan.demo.loader import load_demo, load_national
    from placeplan.demo.national import in_processes
    from placeplan.store.db import session_factory

    engine = open_engine()
    sessions = session_factory(engine)
    summary = load_demo(sessions)
    if national:
        parallel = workers > 1 and engine.dialect.name == "postgresql"
        url = engine.url.render_as_string(hide_password=False)
        summary["national"] = load_national(
            sessions, in_processes(url, workers, wire) if parallel else None
        )
    if output_format == "json":
        click.echo(json.dumps(summary))
    else:
        if summary["loaded"]:
            click.echo(
                "Loaded the LLR demo: "
                + ", ".join(f"{v} {k}" for k, v in summary["counts"].items())
            )
        else:
            click.echo("The LLR demo is already loaded.")
        if national:
            found = summary["national"]
            click.echo(
                f"Synthetic national dataset: {found['areas']} areas, {found['plans']} plans"
                f" ({found['seconds']} s)"
                if found["loaded"]
                else "The synthetic national dataset is already loaded."
            )


@main.group()
def plans() -> None:
    """Plans."""


@plans.command("list")
@format_option
@reports_errors
def plans_list(output_format: str) -> None:
    """List every plan: id, kind, area or system, period, status, title."""
    from placeplan.plans.service import list_plans, period_of
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        rows = [
            {
                "id": p.id,
                "kind": p.kind,
                "area": p.area.gss_code if p.area else None,
                "system": p.system.code if p.system else None,
                "period": period_of(p).label,
                "status": p.status,
                "title": p.title,
            }
            for p in list_plans(session, operator())
        ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']:>4}  {r['period']:<20} {r['status']:<10} {r['area'] or r['system']:<10} {r['title']}"
        )


@main.group()
def users() -> None:
    """Users."""


@users.command("add")
@click.option("--username", required=True)
@click.option("--name", "display_name", default="", help="the name shown on pages")
@click.option("--organisation", required=True, help="organisation key, e.g. leics-cc")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["viewer", "editor", "approver", "admin", "system_admin"]),
)
@click.option("--email", default=None, help="the work e-mail single sign-on matches them by")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@format_option
@reports_errors
def users_add(
    username: str,
    display_name: str,
    organisation: str,
    role: str,
    email: str | None,
    password: str,
    output_format: str,
) -> None:
    """Add a user to an organisation with a role."""
    from placeplan.people.service import add_user
    from placeplan.store.db import session_factory
    from placeplan.store.uow import unit_of_work

    with unit_of_work(session_factory(open_engine())) as session:
        user = add_user(
            session, operator(), username, display_name, password, organisation, role, email
        )
        result = {"id": user.id, "username": user.username, "role": user.role}
    click.echo(
        json.dumps(result) if output_format == "json" else f"Added {result['username']} ({role})"
    )


@users.command("set-email")
@click.argument("username")
@click.argument("email")
@format_option
@reports_errors
def users_set_email(username: str, email: str, output_format: str) -> None:
    """Give a user the work e-mail single sign-on matches them by ("" takes it away)."""
    from placeplan.people.service import set_email
    from placeplan.store.db import session_factory
    from placeplan.store.uow import unit_of_work

    with unit_of_work(session_factory(open_engine())) as session:
        user = set_email(session, operator(), username, email)
        result = {"username": user.username, "email": user.email}
    click.echo(
        json.dumps(result)
        if output_format == "json"
        else f"{result['username']} signs in with their organisation's account as {result['email']}"
        if result["email"]
        else f"{result['username']} has no e-mail for single sign-on"
    )


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("show")
@click.option("--entity", default=None, help="KIND:ID, e.g. plan:3")
@click.option("--limit", default=200, show_default=True, type=int)
@format_option
@reports_errors
def audit_show(entity: str | None, limit: int, output_format: str) -> None:
    """Show audit events, newest first."""
    from placeplan.audit import service
    from placeplan.audit.present import event_out
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        found = service.listing(session, operator(), service.filters_from(entity=entity), limit)
        events = [event_out(e, found).model_dump() for e in found.events]
    if output_format == "json":
        click.echo(json.dumps(events, indent=2))
        return
    for e in events:
        click.echo(f"{e['at']}  {e['person']:<28} {e['what']:<10} {e['record']}")


@audit.command("verify")
@format_option
@reports_errors
def audit_verify(output_format: str) -> None:
    """Check the audit log's hash chain; exit 1 naming the first link that does not hold."""
    from placeplan.store.audit_verify import verify_chain
    from placeplan.store.db import session_factory

    with session_factory(open_engine())() as session:
        report = verify_chain(session)
    if output_format == "json":
        click.echo(json.dumps(report.as_dict()))
    elif report.intact:
        click.echo(f"The audit log is intact: {report.checked} events checked.")
    else:
        click.echo(
            f"The audit log is broken: {report.problem} ({report.checked} events before it hold)."
        )
    if not report.intact:
        raise SystemExit(1)


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@reports_errors
def backup(out: Path, output_format: str) -> None:
    """Back up the whole database to OUT (SQLite: a database file; PostgreSQL: pg_dump's custom format)."""
    from placeplan.store.backup import backup as write_backup

    engine = open_engine()
    engine.dispose()
    write_backup(Settings.from_env().database_url, out)
    size = out.stat().st_size
    if output_format == "json":
        click.echo(json.dumps({"file": str(out), "bytes": size}))
    else:
        click.echo(f"Backed up to {out} ({size:,} bytes).")


@main.command()
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="replace the database without asking")
@format_option
@reports_errors
def restore(source: Path, yes: bool, output_format: str) -> None:
    """Replace the whole database with the backup IN (stop the server first)."""
    from placeplan.store.backup import restore as read_backup
    from placeplan.store.db import mask_url

    url = Settings.from_env().database_url
    if not yes:
        click.confirm(f"Replace everything in {mask_url(url)} with {source}?", abort=True)
    open_engine(migrated=False).dispose()
    read_backup(url, source)
    if output_format == "json":
        click.echo(json.dumps({"restored": str(source)}))
    else:
        click.echo(f"Restored {mask_url(url)} from {source}.")
