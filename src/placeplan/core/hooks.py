"""Hooks: how an earlier concept asks a later one for an answer without importing it.

Concepts import only concepts before them in a stated order (docs/architecture.md). When an earlier
one needs something only a later one knows (a plan's submission asks the budget's checks; an area's
page lists the plans and metrics about it), it declares a Hook saying what it answers; the later
concept provides the function when the composition root wires the application together
(`placeplan.wiring.wire()`, called by the app factory, the command line and the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class HookNotProvided(RuntimeError):
    pass


class Hook(Generic[F]):
    """A named slot for one function, provided once by a later concept."""

    def __init__(self, answers: str) -> None:
        self.answers = answers
        self._provided: F | None = None

    def provide(self, function: F) -> F:
        self._provided = function
        return function

    @property
    def provided(self) -> bool:
        return self._provided is not None

    @property
    def call(self) -> F:
        """The provided function; refuses clearly when the application was not wired."""
        if self._provided is None:
            raise HookNotProvided(
                f"nothing provides {self.answers}: call placeplan.wiring.wire() at start-up"
            )
        return self._provided
