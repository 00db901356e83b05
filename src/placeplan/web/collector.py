"""Python's cyclic garbage collector, set for a long-running server.

A full collection walks every object the process holds: in a worker that has loaded the
application (its modules, mappers, routes and templates, some 400,000 objects) it takes 100 to 200
ms, long enough to stall every request in flight, and came a few times a minute under load. What
the process holds when it starts serving lives as long as the process, so it is frozen: the
collector no longer walks it. The youngest generation is collected after 20,000 allocations
instead of 700, so fewer short-lived request objects survive into the older generations, and
full collections come less often.
"""

from __future__ import annotations

import gc
import threading

YOUNG_THRESHOLD = 20_000

_settled = False
_lock = threading.Lock()


def settle() -> None:
    """Collect once, freeze what survives and raise the youngest generation's threshold: once per
    process, as its first application starts (later apps in one process, as in the tests, find it
    done)."""
    global _settled
    with _lock:
        if _settled:
            return
        gc.collect()
        gc.freeze()
        _young, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
        _settled = True
