"""Benchmark: how long each `placeplan` command takes to start (issue 10).

Each command is run with --help (or --version), which parses the command line, imports what the
command needs and exits before any work, so the time is start-up alone. The target: `--version`
under 0.15 s, every command under 0.3 s. Medians of several runs; the machine is noisy.

    .venv/bin/python benchmarks/cli_startup.py             # 7 runs each
    .venv/bin/python benchmarks/cli_startup.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMAND = Path(sys.executable).with_name("placeplan")
VERSION_TARGET = 0.15
TARGET = 0.30
# Before issue 10 every package was imported at start: `placeplan --version` took 0.64 s.
BEFORE_VERSION = 0.64


def _commands() -> list[list[str]]:
    import click

    from placeplan.cli import main

    ctx = click.Context(main)
    found: list[list[str]] = [["--version"], ["--help"]]
    for name in main.list_commands(ctx):
        group = main.get_command(ctx, name)
        found.append([name, "--help"])
        if isinstance(group, click.Group):
            found.extend([name, sub, "--help"] for sub in group.list_commands(ctx))
    return found


def _time(args: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([str(COMMAND), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    over = 0
    print(f"{'command':<40} {'median s':>9}  target")
    for args in _commands():
        target = VERSION_TARGET if args == ["--version"] else TARGET
        median = _time(args, repeats)
        flag = "ok" if median < target else "OVER"
        over += median >= target
        label = "placeplan " + " ".join(a for a in args if a not in ("--help",))
        print(f"{label:<40} {median:9.3f}  < {target:.2f} {flag}")
        if args == ["--version"]:
            print(
                f"{'':<40} {'':>9}  before: {BEFORE_VERSION:.2f} s ({BEFORE_VERSION / median:.1f}x)"
            )
    print(f"{over} command(s) over target")


if __name__ == "__main__":
    main()
