"""What a narrative block and a UEC priority accept (core.fields), said once for the page, the
API and the command line."""

from __future__ import annotations

from placeplan.core.fields import MAX_NAME, MAX_PARAGRAPHS, Field, Items, Limits

# A block's hard bound is the bound on any prose typed into a form; the heading's guidance
# (domain.headings) is far below it and only warned.
MAX_BLOCK_CHARS = 20 * MAX_PARAGRAPHS

BLOCK = Limits(
    (
        Field("text", "narrative text", max_length=MAX_BLOCK_CHARS),
        Field("note", "note on this version", max_length=MAX_NAME),
    )
)

UEC_PRIORITY = Limits(
    (
        Field("title", "priority", max_length=MAX_NAME * 2),
        Field("support", "what the schemes do for it", max_length=MAX_PARAGRAPHS),
    ),
    # The schemes by their ids in the budget ("S2", as the planning workbook numbers them); a
    # BCF budget has a few dozen schemes, so 200 is room for all of them.
    lists=(Items("schemes", "schemes", "scheme", 200, 40),),
)
