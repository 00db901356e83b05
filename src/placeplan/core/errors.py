"""Errors that carry where bad input was found, so every surface (CLI, page, API) can name it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class InputError(Exception):
    """Bad input: nothing was written. Names the file, sheet, row and field where they apply."""

    message: str
    field: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = [
            f"{label} {value}"
            for label, value in (
                ("file", self.file),
                ("sheet", self.sheet),
                ("row", self.row),
                ("field", self.field),
            )
            if value is not None
        ]
        return f"{self.message} ({', '.join(where)})" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        for key in ("file", "sheet", "row", "field"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        return body


class NotFound(Exception):
    """The record asked for does not exist (or is not visible to the asker)."""


class Forbidden(Exception):
    """The actor may not do this."""


@dataclass
class Conflict(Exception):
    """A save was made from a stale version: nothing was written.

    `changes` maps each field that someone else changed to its (value the editor started from,
    value now stored), so the editor can see what changed and keep what they typed.
    """

    message: str
    current_version: int
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)


class SignInNeeded(Exception):
    """Only a signed-in person may read this; the web answers 401."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseUnreachable(Exception):
    """The database did not answer; the message names it (its password masked) and why."""


class TooManyAttempts(Exception):
    """Too many attempts (failed sign-ins): answered at once with 429 and Retry-After, never by
    holding the request."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, retry_after)
