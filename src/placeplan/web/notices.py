"""A one-time message after a save ("Saved", "3 figures changed, 1 scheme added").

A save answers with a redirect (so reloading the next page repeats nothing); the message rides on
a short-lived cookie to the page the browser lands on, which shows it once and clears it."""

from __future__ import annotations

from fastapi.responses import Response

NOTICE_COOKIE = "placeplan_notice"
_LONGEST = 300


def with_notice(response: Response, text: str) -> Response:
    """`response` carrying `text` to the next page shown."""
    response.set_cookie(
        NOTICE_COOKIE, text[:_LONGEST], max_age=60, httponly=True, samesite="strict"
    )
    return response
