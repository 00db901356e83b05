"""What every `placeplan` command shares: exit codes, the JSON error shape, --format, and the
database. Kept apart from cli.py so the command groups of each package can import it while
cli.py imports those groups."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from placeplan.config import Settings
from placeplan.core.errors import DatabaseUnreachable, Forbidden, InputError, NotFound

F = TypeVar("F", bound=Callable[..., Any])


def _fail(code: int, message: str, as_json: bool, detail: dict[str, Any] | None = None) -> None:
    if as_json:
        click.echo(json.dumps({"error": detail or {"message": message}}), err=True)
    else:
        click.echo(f"placeplan: {message}", err=True)
    sys.exit(code)


def reports_errors(func: F) -> F:
    """Turns the domain's exceptions into the exit codes and error shapes the CLI promises."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = kwargs.get("output_format") == "json"
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            _fail(2, str(exc), as_json, exc.as_dict())
        except (NotFound, Forbidden) as exc:
            _fail(2, str(exc), as_json)
        except DatabaseUnreachable as exc:
            _fail(1, str(exc), as_json)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:  # the promise is exit 1 with a message, never a traceback
            _fail(1, f"{type(exc).__name__}: {exc}", as_json)

    return wrapper  # type: ignore[return-value]


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts",
)


def open_engine(check: bool = True, migrated: bool = True) -> Any:
    # Imported here, not at the top: a command that needs no database starts without SQLAlchemy.
    from placeplan.store.db import check_reachable, make_engine

    settings = Settings.from_env()
    db = make_engine(settings.database_url, **settings.engine_options())
    if check:
        check_reachable(db)
    if migrated:
        from placeplan.store.db import mask_url
        from placeplan.store.migrate import current_revision, head_revision

        if current_revision(db) != head_revision():
            raise InputError(
                f"the database at {mask_url(db.url)} is not up to date: "
                "run `placeplan db upgrade` first"
            )
    return db


def write_atomically(out: Path, content: bytes) -> Path:
    """Written beside the target and moved into place: a failure leaves no half-written file."""
    out = out.resolve()
    fd, temp = tempfile.mkstemp(prefix=".placeplan-", suffix=out.suffix, dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
