"""The compiled kernels (Cython extensions, built by `make setup`: `pip install -e .` compiles
`loop.pyx`, `single.pyx`, `accumulate.pyx`, `intervals.pyx` and `interp.pyx` with the machine's C compiler), and
whether they are there. Where they are not (a source tree never built), the engine runs the numpy
code they mirror, which gives the same numbers; `AVAILABLE` says which."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PACKAGE = "placeplan.capacity.domain.kernels.compiled"

loop: Any = None
single: Any = None
accumulate: Any = None
intervals: Any = None
interp: Any = None
try:
    loop = import_module(f"{_PACKAGE}.loop")
    single = import_module(f"{_PACKAGE}.single")
    accumulate = import_module(f"{_PACKAGE}.accumulate")
    intervals = import_module(f"{_PACKAGE}.intervals")
    interp = import_module(f"{_PACKAGE}.interp")
except ImportError:  # pragma: no cover - `make setup` builds them
    AVAILABLE = False
else:
    AVAILABLE = True

__all__ = ["AVAILABLE", "accumulate", "interp", "intervals", "loop", "single"]
