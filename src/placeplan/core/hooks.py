"""Hooks: how an earlier concept asks a later one for an answer without importing it.

Concepts import only concepts before them in a stated order (docs/architecture.md). When an earlier
one needs something only a later one knows (a plan's submission asks the budget's checks; an area's
page lists the plans and metrics about it), it declares a Hook with a name saying what it answers.
The composition root (`placeplan.app.wiring.wire()`, run by the app factory, the command line and
the tests) names, for each hook, the later concept's function as "module:function". The function
is imported on the hook's first call, so wiring costs a command nothing it does not use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Generic, TypeVar, cast

F = TypeVar("F", bound=Callable[..., object])

_PROVIDERS: dict[str, str | Callable[..., object]] = {}


class HookNotProvided(RuntimeError):
    pass


def provide(name: str, target: str | Callable[..., object]) -> None:
    """Name what answers the hook `name`: a function, or "package.module:function"."""
    _PROVIDERS[name] = target


class Hook(Generic[F]):
    """A named slot for one function, provided by a later concept through the wiring."""

    def __init__(self, name: str, answers: str) -> None:
        self.name = name
        self.answers = answers
        self._resolved: F | None = None
        self._from: str | Callable[..., object] | None = None

    @property
    def call(self) -> F:
        """The provided function; refuses clearly when the application was not wired."""
        target = _PROVIDERS.get(self.name)
        if target is None:
            raise HookNotProvided(
                f"nothing provides {self.answers} ({self.name}):"
                " call placeplan.app.wiring.wire() at start-up"
            )
        if self._resolved is None or self._from is not target:
            if isinstance(target, str):
                module, _, attribute = target.partition(":")
                self._resolved = cast(F, getattr(importlib.import_module(module), attribute))
            else:
                self._resolved = cast(F, target)
            self._from = target
        return self._resolved
