"""What every joint kernel takes (nodes: services with their draws) and gives (records, or a
`Deadlock`), and the `Kernel` protocol the engine chooses one by."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from placeplan.capacity.domain.kernels.banks import ServerBank

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

# (node, rows needed) -> more (stays, route uniforms) rows, drawn from the node's own streams
Extend = Callable[[int, int], tuple[FloatArray, FloatArray]]

# the arrival time of a row's padding after a replication's last arrival (`arrivals` pads its
# blocks with it; the kernels stop at it)
PAD = 1e300


@dataclass
class Node:
    """One service inside a joint (routed) simulation, with its records."""

    bank: ServerBank
    arrivals: FloatArray  # (K + 1, R) external arrivals, PAD at the end
    stays: FloatArray  # (cap, R) stays by order of arrival at this service
    route_u: FloatArray  # (cap, R) uniforms for the onward route
    cum_p: FloatArray  # cumulative onward probabilities (in `targets` order)
    targets: list[int]  # indices of onward services
    upstream: list[int] = field(default_factory=list)
    ancestors: list[int] = field(default_factory=list)


class Deadlock(Exception):
    """People blocked round a cycle of routes hold every place they are waiting for."""


class Records(Protocol):
    """One service's records from a joint kernel: row n holds each replication's n-th record (the
    n-th person to start there)."""

    @property
    def arrival(self) -> FloatArray: ...
    @property
    def start(self) -> FloatArray: ...
    @property
    def ready(self) -> FloatArray: ...
    @property
    def leave(self) -> FloatArray: ...
    @property
    def external(self) -> BoolArray: ...
    @property
    def count(self) -> IntArray: ...
    def padded(self) -> int: ...


def pad_rows(records: Records) -> int:
    """Pad the rows past each replication's count with PAD, up to the most records any
    replication has; returns that number of rows (each kernel's `padded`)."""
    count = records.count
    used = int(count.max()) if len(count) else 0
    lo = int(count.min()) if len(count) else 0
    if used > lo:
        beyond = np.arange(lo, used)[:, None] >= count[None, :]
        for arr in (records.arrival, records.start, records.ready, records.leave):
            arr[lo:used][beyond] = PAD
    return used


class JointRun(Protocol):
    """One group of linked services set up on a kernel: `run` it, then read `states[k]`."""

    @property
    def cyclic(self) -> list[int]: ...
    @property
    def states(self) -> Sequence[Records]: ...
    def run(self, progress: Callable[[float], None] | None = None) -> None: ...


class Kernel(Protocol):
    """A way to simulate services linked by onward routes (with blocking). Every kernel gives the
    same records from the same nodes, bit for bit (tests/capacity/test_kernels.py)."""

    @property
    def name(self) -> str: ...
    def joint(self, nodes: list[Node], extend: Extend) -> JointRun: ...
