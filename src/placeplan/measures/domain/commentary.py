"""The rules of commentary on a metric's figures: a paragraph or two for a board paper. Pure."""

from __future__ import annotations

from placeplan.core.errors import InputError

MAX_CHARACTERS = 2000  # a paragraph or two for a board paper, not a report


def check_text(text: str) -> str:
    """The commentary as it is kept (stripped); refused when empty or too long."""
    text = text.strip()
    if not text:
        raise InputError("write the commentary, or leave the period as it is", field="text")
    if len(text) > MAX_CHARACTERS:
        raise InputError(
            f"commentary is {len(text):,} characters; at most {MAX_CHARACTERS:,}", field="text"
        )
    return text
