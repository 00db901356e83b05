"""The simulation kernels: exact first-come-first-served multi-server queues in continuous time.

Every kernel is vectorised over replications (or loops over them, compiled), keeping for each
place (bed or package) the time at which it is next free. A person starts at max(arrival,
earliest free place) and holds it until they leave.

Capacity that changes by month is exact too: when the earliest possible next start passes the
start of a month in which place j is closed, place j's free time is lifted to when it reopens
(a person already in it stays until they finish).

`single.run_single` is the fast path for a service that routes nobody onward and receives nobody
from another service (its places are packed int64 keys, `banks.PackedBank`; compiled with numba
where it imports and the capacity never changes, `numba.single`). Services linked by
onward routes run together on a joint kernel, with blocking: a person routed onward keeps their
place until the next service starts them. Two joint kernels, behind one protocol (`Kernel`), give
the same records bit for bit:

- `"numba"` (the default): the loop compiled with numba, one replication at a time
  (`kernels.numba`);
- `"numpy"`: the same rules stepped for every replication at once with numpy
  (`kernels.joint_numpy`), the documented fallback where numba does not import, and the
  reference the compiled kernel is tested against.

The engine takes the kernel as a parameter (`engine.run(..., kernel="numpy")`); `kernel_for`
turns a name, a kernel or None (the default) into a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

from placeplan.capacity.domain.kernels.base import (
    Deadlock,
    Extend,
    JointRun,
    Kernel,
    Node,
    Records,
)
from placeplan.capacity.domain.kernels.joint_numpy import JointKernel
from placeplan.capacity.domain.kernels.numba import NumbaJointKernel
from placeplan.capacity.domain.kernels.numba.compile import AVAILABLE as NUMBA_AVAILABLE


@dataclass(frozen=True)
class NumpyKernel:
    """The joint simulation in numpy (`JointKernel`): the fallback and the reference."""

    name: str = "numpy"

    def joint(self, nodes: list[Node], extend: Extend) -> JointKernel:
        return JointKernel(nodes, extend)


@dataclass(frozen=True)
class NumbaKernel:
    """The joint simulation compiled with numba (`NumbaJointKernel`): the default. `threads`:
    how many chunks of replications run at once (None: `kernels.numba.THREADS`); any number
    gives the same records."""

    name: str = "numba"
    threads: int | None = None

    def joint(self, nodes: list[Node], extend: Extend) -> NumbaJointKernel:
        return NumbaJointKernel(nodes, extend, self.threads)


NUMPY = NumpyKernel()
NUMBA = NumbaKernel()
KERNELS: dict[str, Kernel] = {"numba": NUMBA, "numpy": NUMPY}
# the compiled kernel when numba imports, else numpy's
DEFAULT = "numba" if NUMBA_AVAILABLE else "numpy"


def kernel_for(kernel: str | Kernel | None = None) -> Kernel:
    """The kernel named (or given); None is the default. Asking for "numba" where numba does not
    import gives the numpy kernel, which makes the same records."""
    if kernel is None:
        kernel = DEFAULT
    if not isinstance(kernel, str):
        return kernel
    if kernel not in KERNELS:
        raise ValueError(f"no capacity kernel '{kernel}' (there are {', '.join(KERNELS)})")
    if kernel == "numba" and not NUMBA_AVAILABLE:  # pragma: no cover - numba is a dependency
        return NUMPY
    return KERNELS[kernel]


__all__ = [
    "DEFAULT",
    "KERNELS",
    "NUMBA",
    "NUMBA_AVAILABLE",
    "NUMPY",
    "Deadlock",
    "JointKernel",
    "JointRun",
    "Kernel",
    "NumbaJointKernel",
    "Node",
    "NumbaKernel",
    "NumpyKernel",
    "Records",
    "kernel_for",
]
