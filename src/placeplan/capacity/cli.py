"""`placeplan capacity ...`: run a scenario, size a service, or ask Erlang C.

Exit codes: 0 done, 2 bad input (nothing was run), 1 anything else. With --format json, errors go
to stderr as {"error": {"message", "file", "field", ...}}.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

# The engine (numba-compiled kernels; importing any of capacity.domain loads them) is imported by
# the commands that use it, so the group's --help starts without it.
if TYPE_CHECKING:
    from placeplan.capacity.domain.engine import Progress

from placeplan.core.errors import InputError

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _emit(doc: dict[str, Any]) -> None:
    from placeplan.capacity.domain.report import finite

    click.echo(json.dumps(finite(doc), indent=2, default=_json_default))


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A tqdm bar on stderr when stderr is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm  # type: ignore[import-untyped]  # no types-tqdm in the lock

    with tqdm(total=100, desc=label, unit="%", file=sys.stderr, leave=False) as bar:
        done = [0]

        def update(fraction: float) -> None:
            now = int(round(fraction * 100))
            if now > done[0]:
                bar.update(now - done[0])
                done[0] = now

        yield update


def _guard(fmt: str, body: Callable[[], None]) -> None:
    """Run a command body, mapping errors to the exit codes and shapes the project uses."""
    try:
        body()
    except InputError as exc:
        if fmt == "json":
            click.echo(json.dumps({"error": exc.as_dict()}), err=True)
        else:
            click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - the command's last resort: say what and exit 1
        message = f"{type(exc).__name__}: {exc}"
        if fmt == "json":
            click.echo(json.dumps({"error": {"message": message}}), err=True)
        else:
            click.echo(f"error: {message}", err=True)
        sys.exit(1)


@click.group(name="capacity")
def capacity() -> None:
    """Intermediate care demand and capacity: simulate, size, estimate."""


@capacity.command("run")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replications", "-n", type=int, default=1000, show_default=True)
@click.option("--seed", "-s", type=int, default=1, show_default=True)
@FORMAT
def run_command(file: str, replications: int, seed: int, fmt: str) -> None:
    """Simulate the scenario in FILE and report each service by month, with 95% intervals."""
    from placeplan.capacity.domain.engine import run
    from placeplan.capacity.domain.report import as_dict, as_text
    from placeplan.capacity.io.scenario import load_scenario

    def body() -> None:
        scenario = load_scenario(file)
        with _progress("simulating") as progress:
            result = run(scenario, replications=replications, seed=seed, progress=progress)
        if fmt == "json":
            _emit(as_dict(result))
        else:
            click.echo(as_text(result), nl=False)

    _guard(fmt, body)


@capacity.command("size")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--service",
    "service_ids",
    required=True,
    multiple=True,
    help="Id of the service to size (with --cheapest, repeat it for linked services: P2 and P3).",
)
@click.option(
    "--target",
    default=None,
    help='What to meet, e.g. "mean_wait_days<=0.5" or "p_start_within_2_days>=0.95".',
)
@click.option(
    "--cheapest",
    is_flag=True,
    help="Size to the least total cost of capacity, acute delays and interim care instead.",
)
@click.option("--replications", "-n", type=int, default=200, show_default=True)
@click.option("--seed", "-s", type=int, default=1, show_default=True)
@FORMAT
def size_command(
    file: str,
    service_ids: tuple[str, ...],
    target: str | None,
    cheapest: bool,
    replications: int,
    seed: int,
    fmt: str,
) -> None:
    """The least capacity of one service meeting TARGET, and the gap against the file's; or,
    with --cheapest, the capacity of least total cost (one service, or linked ones jointly)."""
    from placeplan.capacity.domain.cheapest import cheapest as cheapest_capacity
    from placeplan.capacity.domain.sizing import size
    from placeplan.capacity.io.scenario import load_scenario

    def body() -> None:
        if cheapest == (target is not None):
            raise InputError("give either --target or --cheapest", field="target")
        if not cheapest and len(service_ids) > 1:
            raise InputError("a target sizes one service at a time", field="service")
        scenario = load_scenario(file)
        result: Any
        with _progress("sizing") as progress:
            if cheapest:
                result = cheapest_capacity(
                    scenario, list(service_ids), replications, seed, progress=progress
                )
            else:
                assert target is not None
                result = size(scenario, service_ids[0], target, replications, seed, progress)
        if fmt == "json":
            _emit(result.as_dict())
        else:
            click.echo(result.as_text(), nl=False)

    _guard(fmt, body)


@capacity.command("erlang")
@click.option("--arrivals", type=float, required=True, help="Arrivals a day.")
@click.option("--mean-stay", type=float, required=True, help="Mean length of stay in days.")
@click.option("--servers", type=int, required=True, help="Places (beds or packages).")
@FORMAT
def erlang_command(arrivals: float, mean_stay: float, servers: int, fmt: str) -> None:
    """Erlang C (M/M/c): mean wait, probability of waiting and utilisation."""
    from placeplan.capacity.domain.erlang import erlang_c

    def body() -> None:
        result = erlang_c(arrivals, mean_stay, servers)
        if fmt == "json":
            _emit(result.as_dict())
            return
        click.echo(f"M/M/{servers}: {arrivals:g} arrivals a day, mean stay {mean_stay:g} days")
        click.echo(f"  offered load   {result.offered_load:.3f} places")
        click.echo(f"  utilisation    {result.utilisation:.4f}")
        if result.unbounded:
            click.echo(f"  {result.message}")
            return
        assert result.mean_wait_days is not None
        click.echo(f"  P(wait)        {result.p_wait:.4f}")
        click.echo(f"  mean wait      {result.mean_wait_days:.4f} days")
        click.echo(f"  mean queue     {result.mean_queue:.4f}")
        click.echo(f"  P(start <= 2d) {result.p_start_within_2_days:.4f}")

    _guard(fmt, body)


def main() -> None:  # pragma: no cover - for `python -m placeplan.capacity.cli`
    capacity()


if __name__ == "__main__":  # pragma: no cover
    main()
