"""Per-request plumbing: the database session, who is asking, and CSRF checks."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.actor import Actor
from placeplan.core.hooks import Hook

SESSION_COOKIE = "placeplan_session"
ANON_CSRF_COOKIE = "placeplan_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Who a credential belongs to is the people concept's business; web imports no concept, so people
# provides these when the application is wired (placeplan.app.wiring).
actor_for_token: Hook[Callable[[Session, str], Actor | None]] = Hook(
    "web.actor_for_token",
    "the actor an API token belongs to (None for an unknown or revoked token)",
)
actor_for_session: Hook[Callable[[Session, str, str], tuple[Actor, str] | None]] = Hook(
    "web.actor_for_session",
    "the actor and CSRF token of a browser session cookie (None when it has ended)",
)


def db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


@dataclass
class Who:
    actor: Actor
    csrf_token: str
    via_token: bool


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def who(request: Request, session: Session = Depends(db)) -> Who:
    via = "api" if request.url.path.startswith("/api/") else "web"
    token = _bearer(request)
    if token is not None:
        actor = actor_for_token.call(session, token)
        if actor is None:
            raise HTTPException(status_code=401, detail="the API token is not valid or was revoked")
        return _remember(request, Who(actor, "", True))
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = actor_for_session.call(session, cookie, via)
        if found is not None:
            return _remember(request, Who(found[0], found[1], via_token=False))
    anon_csrf = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.new_anon_csrf = ANON_CSRF_COOKIE not in request.cookies and anon_csrf
    return _remember(request, Who(Actor(name="anonymous", via=via), anon_csrf, via_token=False))


def _remember(request: Request, asker: Who) -> Who:
    request.state.who = asker  # error pages rendered outside the route still know who is asking
    return asker


def _tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and bool(expected) and secrets.compare_digest(str(given), expected)


async def checked_form(request: Request, asker: Who = Depends(who)) -> FormData:
    """The posted form, once its CSRF token matches the asker's (session or pre-sign-in cookie)."""
    form = await request.form()
    if not _tokens_match(str(form.get("csrf_token") or ""), asker.csrf_token) or (
        getattr(request.state, "new_anon_csrf", False)
    ):
        raise HTTPException(
            status_code=403, detail="the form had expired: reload the page and try again"
        )
    return form


def api_write_allowed(request: Request, asker: Who = Depends(who)) -> Who:
    """API writes need a token, or a signed-in browser that sends its CSRF token in a header."""
    if asker.via_token:
        return asker
    if asker.actor.principal is None:
        raise HTTPException(status_code=401, detail="sign in or send an API token")
    if not _tokens_match(request.headers.get("x-csrf-token"), asker.csrf_token):
        raise HTTPException(status_code=403, detail="send the X-CSRF-Token header")
    return asker
