"""The rules of commentary on a metric's figures: a paragraph or two for a board paper, its length
checked through the measures' fields table (measures.domain.fields.COMMENTARY). Pure."""

from __future__ import annotations

from placeplan.core.errors import InputError
from placeplan.measures.domain.fields import COMMENTARY

MAX_CHARACTERS = COMMENTARY["text"].max_length or 0


def check_text(text: str) -> str:
    """The commentary as it is kept (stripped); refused when empty or too long."""
    text = text.strip()
    if not text:
        raise InputError("write the commentary, or leave the period as it is", field="text")
    COMMENTARY.check({"text": text})
    return text
