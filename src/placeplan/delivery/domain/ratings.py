"""How a rating is shown: each has a shape as well as a colour and a word."""

from __future__ import annotations

from placeplan.delivery.domain import rules

NOT_RATED = "not_rated"
# Each rating has a shape as well as a colour and a word, so that it never rests on colour alone
# (WCAG 1.4.1): a triangle warns, a diamond cautions, a circle is settled.
RAG_SHAPES: dict[str, str] = {"red": "▲", "amber": "◆", "green": "●", NOT_RATED: "○"}
RAG_WORDS: dict[str, str] = {**rules.RAG_LABELS, NOT_RATED: "Not rated"}
# NHS.UK palette: red, warm yellow, green, mid grey.
RAG_COLOURS: dict[str, str] = {
    "red": "#d5281b",
    "amber": "#ffb81c",
    "green": "#007f3b",
    NOT_RATED: "#768692",
}
RATINGS: tuple[str, ...] = (*rules.RAGS, NOT_RATED)
