"""Compiling the joint kernel's loop with numba, and whether numba is there at all."""

from __future__ import annotations

import sys
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


_prepared = False


def prepare() -> None:
    """Before a process's first compiled call (the engine's `run` calls it): numba's CPU target,
    as it starts, imports `numba.np.arraymath`, which imports scipy.linalg (about 0.15 s of the
    `placeplan capacity run` command's 1.5) only to decide whether its dot products may call
    BLAS. No kernel here has one, so where scipy.linalg is not imported yet, that one check is
    told BLAS is absent; numba's own later checks (its linear algebra, should anything compiled
    in this process use it) go to numba's function as before."""
    global _prepared
    if _prepared or not AVAILABLE:
        return
    _prepared = True
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    import numba.np.linalg as linalg

    original = getattr(linalg, "ensure_blas", None)
    if original is None:  # pragma: no cover - a numba without it checks some other way
        return
    asked = [False]

    def ensure_blas() -> None:
        if asked[0]:  # arraymath keeps this function: later calls are numba's own
            original()
            return
        asked[0] = True
        linalg.ensure_blas = original
        raise ImportError("no dot products in placeplan's kernels")

    linalg.ensure_blas = ensure_blas
