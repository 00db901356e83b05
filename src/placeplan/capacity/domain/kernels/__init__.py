"""The simulation kernels: exact first-come-first-served multi-server queues in continuous time.

Every kernel is vectorised over replications (or loops over them, compiled), keeping for each
place (bed or package) the time at which it is next free. A person starts at max(arrival,
earliest free place) and holds it until they leave.

Capacity that changes by month is exact too: when the earliest possible next start passes the
start of a month in which place j is closed, place j's free time is lifted to when it reopens
(a person already in it stays until they finish).

`single.run_single` is the fast path for a service that routes nobody onward and receives nobody
from another service (its places are packed int64 keys, `banks.PackedBank`; compiled, `compiled.single`, where
the kernels are built and the capacity never changes). Services linked by
onward routes run together on a joint kernel, with blocking: a person routed onward keeps their
place until the next service starts them. Two joint kernels, behind one protocol (`Kernel`), give
the same records bit for bit:

- `"compiled"` (the default): the loop compiled to C with Cython at set-up, one replication at
  a time (`kernels.compiled`);
- `"numpy"`: the same rules stepped for every replication at once with numpy
  (`kernels.joint_numpy`), the fallback where the compiled kernels are not built, and the
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
from placeplan.capacity.domain.kernels.compiled import CompiledJointKernel
from placeplan.capacity.domain.kernels.compiled.built import AVAILABLE as COMPILED_AVAILABLE
from placeplan.capacity.domain.kernels.joint_numpy import JointKernel


@dataclass(frozen=True)
class NumpyKernel:
    """The joint simulation in numpy (`JointKernel`): the fallback and the reference."""

    name: str = "numpy"

    def joint(self, nodes: list[Node], extend: Extend) -> JointKernel:
        return JointKernel(nodes, extend)


@dataclass(frozen=True)
class CompiledKernel:
    """The joint simulation compiled (`CompiledJointKernel`): the default. `threads`: how many
    chunks of replications run at once (None: `kernels.compiled.THREADS`); any number gives the
    same records."""

    name: str = "compiled"
    threads: int | None = None

    def joint(self, nodes: list[Node], extend: Extend) -> CompiledJointKernel:
        return CompiledJointKernel(nodes, extend, self.threads)


NUMPY = NumpyKernel()
COMPILED = CompiledKernel()
KERNELS: dict[str, Kernel] = {"compiled": COMPILED, "numpy": NUMPY}
# the compiled kernel where it is built, else numpy's
DEFAULT = "compiled" if COMPILED_AVAILABLE else "numpy"


def kernel_for(kernel: str | Kernel | None = None) -> Kernel:
    """The kernel named (or given); None is the default. Asking for "compiled" where the compiled
    kernels are not built gives the numpy kernel, which makes the same records."""
    if kernel is None:
        kernel = DEFAULT
    if not isinstance(kernel, str):
        return kernel
    if kernel not in KERNELS:
        raise ValueError(f"no capacity kernel '{kernel}' (there are {', '.join(KERNELS)})")
    if kernel == "compiled" and not COMPILED_AVAILABLE:  # pragma: no cover - set-up builds it
        return NUMPY
    return KERNELS[kernel]


__all__ = [
    "DEFAULT",
    "KERNELS",
    "COMPILED",
    "COMPILED_AVAILABLE",
    "NUMPY",
    "Deadlock",
    "JointKernel",
    "JointRun",
    "Kernel",
    "CompiledJointKernel",
    "Node",
    "CompiledKernel",
    "NumpyKernel",
    "Records",
    "kernel_for",
]
