"""Sign-in and sign-out, the account page and its personal API tokens."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from placeplan.core.errors import InputError, TooManyAttempts
from placeplan.people import service
from placeplan.store.uow import commit
from placeplan.web.context import (
    ANON_CSRF_COOKIE,
    SESSION_COOKIE,
    Who,
    checked_form,
    db,
    who,
)
from placeplan.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after sign-in would hand phishers a trusted link.
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or urlparse(target).netloc
    ):
        return "/"
    return target


@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_page(request: Request, next: str | None = None, asker: Who = Depends(who)) -> Response:
    return render(
        request, "people/sign_in.html", asker, next=_safe_next(next), username="", error=None
    )


@router.post("/sign-in", include_in_schema=False)
def sign_in_submit(
    request: Request,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    if not request.app.state.settings.password_sign_in:
        raise HTTPException(status_code=403, detail="Sign in with your organisation’s account")
    username = str(form.get("username") or "")
    attempt = service.Attempt(
        username, str(form.get("password") or ""), request.client.host if request.client else ""
    )
    try:
        user = service.sign_in(session, attempt)
    except TooManyAttempts as exc:
        refused = render(
            request,
            "people/sign_in.html",
            asker,
            status_code=429,
            next=_safe_next(str(form.get("next") or "")),
            username=username,
            error=InputError(exc.message, field="username"),
        )
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    if user is None:
        commit(session)  # the failure counts, and is in the audit, whatever is answered
        error = InputError("Enter a correct username and password", field="username")
        return render(
            request,
            "people/sign_in.html",
            asker,
            status_code=400,
            next=_safe_next(str(form.get("next") or "")),
            username=username,
            error=error,
        )
    token, _ = service.start_session(session, user, request.app.state.settings.session_hours)
    commit(session)
    response = RedirectResponse(_safe_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        max_age=request.app.state.settings.session_hours * 3600,
    )
    response.delete_cookie(ANON_CSRF_COOKIE)
    return response


@router.post("/sign-out", include_in_schema=False)
def sign_out(
    request: Request, form: FormData = Depends(checked_form), session: Session = Depends(db)
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        service.end_session(session, cookie)
        commit(session)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _require_signed_in(asker: Who, path: str) -> None:
    if asker.actor.principal is None:
        raise HTTPException(status_code=401, detail=f"sign in to see {path}")


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(
    request: Request, session: Session = Depends(db), asker: Who = Depends(who)
) -> Response:
    if asker.actor.principal is None:
        return RedirectResponse("/sign-in?next=/account", status_code=303)
    return render(
        request,
        "people/account.html",
        asker,
        tokens=service.list_tokens(session, asker.actor),
        new_token=None,
    )


@router.post("/account/tokens", include_in_schema=False)
def create_token_submit(
    request: Request,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _require_signed_in(asker, "your tokens")
    token, _ = service.create_token(session, asker.actor, str(form.get("name") or ""))
    commit(session)
    return render(
        request,
        "people/account.html",
        asker,
        status_code=201,
        tokens=service.list_tokens(session, asker.actor),
        new_token=token,
    )


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token_submit(
    request: Request,
    token_id: int,
    form: FormData = Depends(checked_form),
    session: Session = Depends(db),
    asker: Who = Depends(who),
) -> Response:
    _require_signed_in(asker, "your tokens")
    service.revoke_token(session, asker.actor, token_id)
    commit(session)
    return RedirectResponse("/account", status_code=303)
