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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# The engine (numpy and the compiled kernels; importing any of capacity.domain loads them) is imported by
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


@capacity.command("sweep")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option(
    "--address",
    default="local",
    show_default=True,
    help='"local" starts a Ray cluster here; "auto" or host:port joins a running one.',
)
@click.option("--workers", type=int, default=None, help="CPUs of a local cluster (all if unset).")
@click.option(
    "--max-retries",
    type=int,
    default=2,
    show_default=True,
    help="Retries of a task whose worker dies.",
)
@click.option("--plan", default=None, help="Keep the sweep with this plan (its number or key).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the table as CSV here.",
)
@FORMAT
def sweep_command(
    spec: str,
    address: str,
    workers: int | None,
    max_retries: int,
    plan: str | None,
    csv_path: str | None,
    fmt: str,
) -> None:
    """Run the model named in SPEC over its areas, demand growths and capacity options, each as a
    Ray task (seeded from the sweep's seed and the task's index), and print one row a task."""
    from placeplan.capacity.io.sweep import load_sweep, rows_csv
    from placeplan.capacity.present.sweep import sweep_text
    from placeplan.capacity.service.sweep import run_sweep

    def body() -> None:
        sweep, base = load_sweep(spec)
        with _task_bar() as progress:
            outcome = run_sweep(
                sweep,
                base,
                address=address,
                num_cpus=workers,
                max_retries=max_retries,
                progress=progress,
            )
        if csv_path:
            Path(csv_path).write_text(rows_csv(outcome.rows), encoding="utf-8")
        if plan is not None:
            kept = _keep(plan, outcome, Path(spec), base.file)
            click.echo(f"kept as sweep {kept} with plan {plan}", err=True)
        if fmt == "json":
            _emit(
                {
                    "sweep": sweep.name,
                    "seed": sweep.seed,
                    "replications": sweep.replications,
                    "elapsed_seconds": outcome.elapsed_seconds,
                    "workers": outcome.workers,
                    "rows": outcome.rows,
                }
            )
        else:
            click.echo(sweep_text(outcome.spec, outcome.rows, outcome.elapsed_seconds), nl=False)
        if outcome.failures:
            sys.exit(1)

    _guard(fmt, body)


def _keep(plan: str, outcome: Any, spec: Path, model: str | None) -> int:
    """Record the sweep with the plan (as the operator), returning its number."""
    from placeplan.capacity.service.sweeps_stored import plan_id_of, record_sweep
    from placeplan.cli_support import open_engine
    from placeplan.core.actor import operator
    from placeplan.store.db import session_factory
    from placeplan.store.uow import commit

    actor = operator()
    scenario_yaml = Path(model).read_text(encoding="utf-8") if model else ""
    with session_factory(open_engine())() as session:
        row = record_sweep(
            session,
            actor,
            plan_id_of(session, actor, plan),
            outcome,
            spec.read_text(encoding="utf-8"),
            scenario_yaml,
        )
        commit(session)
        return row.id


@contextmanager
def _task_bar() -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar of tasks done on stderr (tqdm leaves it out when stderr is not a terminal)."""
    from tqdm import tqdm

    bar = tqdm(total=None, desc="sweep", unit="task", file=sys.stderr, disable=None)
    try:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield update
    finally:
        bar.close()


@capacity.command("fit")
@click.argument("csv_file", metavar="CSV", type=click.Path(dir_okay=False))
@click.option("--table", type=click.Path(dir_okay=False), help="Write the CDF table as CSV here.")
@FORMAT
def fit_command(csv_file: str, table: str | None, fmt: str) -> None:
    """Fit lognormal and gamma lengths of stay to the observed stays (days) in CSV."""
    from placeplan.capacity.domain.fitting import check_stays, fit_stays
    from placeplan.capacity.io.stays import read_stays
    from placeplan.capacity.present.fit_chart import CSV_COLUMNS, csv_rows
    from placeplan.capacity.present.fit_text import fit_dict, fit_text

    def body() -> None:
        try:
            content = Path(csv_file).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", file=csv_file) from exc
        days = check_stays(read_stays(content, csv_file), csv_file)
        fitted = fit_stays(days)
        if table:
            rows = [CSV_COLUMNS, *csv_rows(days, fitted)]
            Path(table).write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
        if fmt == "json":
            _emit(fit_dict(fitted))
        else:
            click.echo(fit_text(fitted), nl=False)

    _guard(fmt, body)


@capacity.command("trial")
@click.argument("file", metavar="MODEL", type=click.Path(dir_okay=False))
@click.option(
    "--replications",
    "-n",
    type=int,
    default=1000,
    show_default=True,
    help="The full run's replications, to estimate its time.",
)
@click.option("--seed", "-s", type=int, default=1, show_default=True)
@FORMAT
def trial_command(file: str, replications: int, seed: int, fmt: str) -> None:
    """A trial run of the scenario in MODEL: the warm-up MSER-5 suggests, and how long a full run
    of --replications will take."""
    from placeplan.capacity.domain.trial import trial_run
    from placeplan.capacity.io.scenario import load_scenario
    from placeplan.capacity.present.trial import trial_dict, trial_sentences

    def body() -> None:
        scenario = load_scenario(file)
        names = {s.id: s.label for s in scenario.services}
        trial = trial_run(scenario, seed=seed)
        if fmt == "json":
            _emit(trial_dict(trial, names, replications))
        else:
            click.echo("\n".join(trial_sentences(trial, names, replications)))

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
