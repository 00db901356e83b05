"""Services linked by onward routes: an order in which routes go forward, the groups simulated
together, and the load the routes imply."""

from __future__ import annotations

import numpy as np

from placeplan.capacity.domain.arrivals import expected_arrivals
from placeplan.capacity.domain.scenario import Scenario


def topological(scenario: Scenario) -> list[int]:
    """Services in an order where every onward route goes forward, except within a cycle.

    Services on a cycle (a strongly connected set) come together, in file order, after every
    service that routes into the set and before every one it routes to."""
    n = len(scenario.services)
    idx = {s.id: i for i, s in enumerate(scenario.services)}
    succ = [[idx[t] for t, _ in s.onward] for s in scenario.services]
    # Tarjan's strongly connected components, iteratively (sets come out downstream first)
    counter = [0]
    number = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    sets: list[list[int]] = []
    for root in range(n):
        if number[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                number[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on_stack[v] = True
            if k < len(succ[v]):
                work.append((v, k + 1))
                w = succ[v][k]
                if number[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], number[w])
                continue
            for w in succ[v]:
                if on_stack[w] or number[w] > number[v]:
                    low[v] = min(low[v], low[w])
            if low[v] == number[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    members.append(w)
                    if w == v:
                        break
                sets.append(sorted(members))
    # Kahn's algorithm over the sets, file order among those ready
    set_of = {i: k for k, members in enumerate(sets) for i in members}
    indeg = [0] * len(sets)
    for i in range(n):
        for j in succ[i]:
            if set_of[i] != set_of[j]:
                indeg[set_of[j]] += 1
    out: list[int] = []
    ready = sorted((k for k in range(len(sets)) if indeg[k] == 0), key=lambda k: sets[k][0])
    while ready:
        k = ready.pop(0)
        out.extend(sets[k])
        for i in sets[k]:
            for j in succ[i]:
                if set_of[j] != k:
                    indeg[set_of[j]] -= 1
                    if indeg[set_of[j]] == 0:
                        ready.append(set_of[j])
        ready.sort(key=lambda k: sets[k][0])
    return out


def components(scenario: Scenario) -> list[list[int]]:
    """Groups of services linked by onward routes, each in topological order."""
    n = len(scenario.services)
    idx = {s.id: i for i, s in enumerate(scenario.services)}
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, s in enumerate(scenario.services):
        for t, _ in s.onward:
            parent[find(i)] = find(idx[t])
    order = topological(scenario)
    groups: dict[int, list[int]] = {}
    for i in order:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def offered_load(scenario: Scenario) -> dict[str, list[float]]:
    """Expected places needed per reported month (arrivals a day x mean stay), routes included.

    Arrivals a day at each service are its own plus the routed shares of the others':
    rate = own + P^T rate, solved exactly (cycles included: every cycle has an exit, so
    I - P^T is invertible)."""
    reported = scenario.timeline.reported
    services = scenario.services
    idx = {s.id: i for i, s in enumerate(services)}
    n = len(services)
    routes = np.zeros((n, n))
    for i, s in enumerate(services):
        for target, p in s.onward:
            routes[i, idx[target]] += p
    own = np.array(
        [
            [expected_arrivals(scenario, s, seg.begin, seg.end) / seg.days for seg in reported]
            for s in services
        ]
    )
    rates = np.linalg.solve(np.eye(n) - routes.T, own)
    return {
        s.id: [float(r) * s.length_of_stay.mean for r in rates[i]] for i, s in enumerate(services)
    }
