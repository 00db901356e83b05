"""What an organisation's fields accept (core.fields), said once for the API, the command line
and the demo's loader. Pure."""

from __future__ import annotations

from placeplan.core.fields import MAX_NAME, Field, Limits

ORGANISATION = Limits(
    (
        Field("name", "organisation's name", max_length=MAX_NAME),
        Field("source", "organisation's source", max_length=MAX_NAME),
    )
)
