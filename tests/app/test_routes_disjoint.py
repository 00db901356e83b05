"""No two of the application's routers answer the same address, so the order they are included in
(`app.factory.ROUTERS`, the pages opened most first, for speed) changes no answer.

Each route's address is tried with every parameter given each of a handful of values that
addresses use (an id, a GSS code, a word, a key, a year, a file name), against every route of every
other router, for each of the route's methods."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from starlette.routing import BaseRoute, Match

from placeplan.app.factory import ROUTERS

SAMPLES = ("1", "E06000016", "abc", "bcf_plan", "emergency_admissions_65_plus", "2025", "x.csv")


def _routes(router: object) -> Iterator[BaseRoute]:
    for route in getattr(router, "routes", []):
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner)
        else:
            yield route


def _addresses(path_format: str) -> Iterator[str]:
    names = re.findall(r"{([^}]+)}", path_format)
    for values in itertools.product(SAMPLES, repeat=len(names)):
        address = path_format
        for name, value in zip(names, values, strict=True):
            address = address.replace("{" + name + "}", value, 1)
        yield address


def test_no_two_routers_answer_the_same_address() -> None:
    shared = []
    for i, router in enumerate(ROUTERS):
        others = [r for j, other in enumerate(ROUTERS) if j != i for r in _routes(other)]
        for route in _routes(router):
            path_format = getattr(route, "path_format", "")
            for address in _addresses(path_format):
                for method in getattr(route, "methods", None) or {"GET"}:
                    scope = {"type": "http", "path": address, "method": method, "root_path": ""}
                    shared += [
                        (method, path_format, getattr(other, "path_format", ""))
                        for other in others
                        if other.matches(scope)[0] == Match.FULL
                    ]
    assert shared == []
    assert sum(1 for router in ROUTERS for _ in _routes(router)) > 250  # it saw the app (295)
