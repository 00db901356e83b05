"""Running a benchmark ahead of the machine's other work (`--priority` in the benchmarks that
offer it): on a shared machine, figures taken at equal priority are several times a quiet
machine's."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def take_priority() -> str:
    """On a machine shared with other work, run ahead of it: a session of our own (Linux groups
    CPU time by session, so a nice value alone yields only within this one) at nice -20, for this
    process and those it starts (the command's runs, Ray's workers). Says what it could do."""
    with contextlib.suppress(OSError):  # already a session's leader
        os.setsid()
    try:
        Path("/proc/self/autogroup").write_text("-20")
        os.nice(-20 - os.nice(0))
    except OSError as exc:
        return f"as the machine gives it ({exc.strerror}: not root?)"
    return "its own session at nice -20, ahead of the machine's other work"


@contextlib.contextmanager
def alongside(pid: int | None) -> Iterator[str]:
    """While measuring, give the session of process `pid` (a local PostgreSQL's main process: every
    backend shares its session) the priority `take_priority` took, then put it back.
    A server whose requests wait on its database must not find the database behind it: with the
    database at the machine's priority, the clients and workers at -20 starved it, and p95s came
    out 20 to 40 ms longer than at equal priority. Says what it could do."""
    path = Path(f"/proc/{pid}/autogroup")
    try:
        if pid is None or b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            raise OSError(0, "no local PostgreSQL backend")
        before = int(path.read_text().split()[-1])
        path.write_text("-20")
    except (OSError, ValueError) as exc:
        yield f"the database as the machine gives it ({getattr(exc, 'strerror', exc)})"
        return
    try:
        yield "the database's session at nice -20 too"
    finally:
        with contextlib.suppress(OSError):
            path.write_text(str(before))
