"""Compiling the joint kernel's loop with numba, and whether numba is there at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; the numpy kernel stands in
    AVAILABLE = False
else:
    AVAILABLE = True

# Compiled without numba's reference counting (`_nrt=False`, so nothing compiled may allocate:
# the working arrays come from `_workspace`): with it, the atomic increments and decrements on the
# loop's arrays took 80% of the time (perf). nogil: the engine runs other groups meanwhile.
_OPTIONS: dict[str, Any] = {"cache": True, "nogil": True, "_nrt": False}


def _compiled(fn: Callable[..., Any]) -> Callable[..., Any]:
    if not AVAILABLE:  # pragma: no cover
        return fn
    compiled: Callable[..., Any] = njit(**_OPTIONS)(fn)
    return compiled


def _inlined(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A step of the compiled loops, inlined into its callers in numba's IR. Called as a function,
    each of the joint loop's steps took its two dozen arrays as seven words each, thousands of
    times a replication: inlined, the demo's joint loop takes about 40% of the time (numba's
    compile, once per machine, a quarter longer). The heap's sifts are inlined into `_set` only,
    so its code is compiled once."""
    if not AVAILABLE:  # pragma: no cover
        return fn
    compiled: Callable[..., Any] = njit(**_OPTIONS, inline="always")(fn)
    return compiled
