"""Signing in with the organisation's account (OpenID Connect): the start, and the return from
the identity provider. The flow itself is in people/oidc.py."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.config import Settings
from placeplan.people import oidc, service
from placeplan.people.pages import _safe_next
from placeplan.store.uow import commit
from placeplan.web.context import ANON_CSRF_COOKIE, SESSION_COOKIE, Who, checked_form, db, who
from placeplan.web.templating import render

router = APIRouter()

# Binds a sign-in to the browser that started it: without it, someone could start a sign-in as
# themselves and send another person the return link, signing them in as the sender.
STATE_COOKIE = "placeplan_sign_in_state"
RETURN_PATH = "/sign-in/organisation/return"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    if not settings.single_sign_on:
        raise HTTPException(status_code=404, detail="single sign-on is not set up")
    return settings


def _redirect_uri(request: Request) -> str:
    return str(request.base_url).rstrip("/") + RETURN_PATH


@router.post("/sign-in/organisation", include_in_schema=False)
def start_sign_in(
    request: Request,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    settings = _settings(request)
    try:
        started = oidc.begin(
            session, settings, _redirect_uri(request), _safe_next(str(form.get("next") or ""))
        )
    except oidc.SignInRefused as refused:
        return _refused(request, asker, refused)
    commit(session)
    response = RedirectResponse(started.url, status_code=303)
    response.set_cookie(
        STATE_COOKIE,
        started.state,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=oidc.PENDING_MINUTES * 60,
        path=RETURN_PATH,
    )
    return response


@router.get(RETURN_PATH, include_in_schema=False)
def finish_sign_in(
    request: Request, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    settings = _settings(request)
    params = dict(request.query_params)
    state = params.get("state", "")
    try:
        pending = oidc.take_pending(session, state)
        # The row is gone whatever happens next: a state is good for one try only.
        commit(session)
        if not hmac.compare_digest(request.cookies.get(STATE_COOKIE, ""), state):
            raise oidc.SignInRefused(
                "This sign-in was started in another browser. Start again from the sign-in page."
            )
        user, next_path = oidc.finish(session, settings, _redirect_uri(request), params, pending)
    except oidc.SignInRefused as refused:
        session.rollback()
        oidc.record_sign_in(session, None, _address(request), refused.message)
        commit(session)
        response = _refused(request, asker, refused)
        response.delete_cookie(STATE_COOKIE, path=RETURN_PATH)
        return response
    oidc.record_sign_in(session, user, _address(request), "signed in")
    token, _ = service.start_session(session, user, settings.session_hours)
    commit(session)
    response = RedirectResponse(_safe_next(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(ANON_CSRF_COOKIE)
    response.delete_cookie(STATE_COOKIE, path=RETURN_PATH)
    return response


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _refused(request: Request, asker: Who, refused: oidc.SignInRefused) -> Response:
    return render(
        request,
        "people/sign_in_refused.html",
        asker,
        status_code=refused.status,
        message=refused.message,
    )
