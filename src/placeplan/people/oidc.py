"""Single sign-on with OpenID Connect: the authorization code flow with PKCE (authlib), the id
token checked (joserfc, authlib's own JOSE library) for signature, issuer, audience, expiry and
nonce, and the person matched by e-mail or provisioned into the organisation their e-mail domain
maps to. Roles are never taken from the identity provider: they are granted in placeplan."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped,unused-ignore]
from authlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped,unused-ignore]
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwk import KeySet
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from placeplan.config import Settings
from placeplan.core.actor import Actor, operator
from placeplan.core.errors import NotFound
from placeplan.organisations.service import get_organisation_by_key
from placeplan.people.models import PendingSignIn, User
from placeplan.store import audit
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded

# Long enough to type a password and answer a second factor at the provider; short enough that
# an abandoned sign-in's verifier and nonce do not linger.
PENDING_MINUTES = 10
# Asymmetric signatures only: accepting HS256 would let anyone holding the client secret (or a
# confused library treating a public key as one) mint tokens.
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]
# Providers' metadata changes rarely; fetching it on every sign-in would add a round trip.
DISCOVERY_SECONDS = 3600.0
# The account a provisioned person holds until an administrator grants more: the least role.
PROVISIONED_ROLE = "viewer"
NO_PASSWORD = "!single-sign-on"
TIMEOUT = httpx.Timeout(10.0)


class SignInRefused(Exception):
    """A single sign-on that must not sign anyone in; `message` says why, for the person."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Started:
    url: str
    state: str


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def _metadata(issuer: str) -> dict[str, Any]:
    cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    try:
        answer = httpx.get(
            issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=TIMEOUT
        )
        answer.raise_for_status()
        metadata: dict[str, Any] = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SignInRefused(
            "Your organisation's sign-in service could not be reached. Try again later.", 503
        ) from exc
    if metadata.get("issuer") != issuer:
        # The discovery document must name the issuer it was fetched for (OpenID Discovery 4.3).
        raise SignInRefused("Your organisation's sign-in service is not set up correctly.", 503)
    _discovered[issuer] = (time.monotonic(), metadata)
    return metadata


def _client(settings: Settings, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope="openid email profile",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=TIMEOUT,
    )


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def begin(session: Session, settings: Settings, redirect_uri: str, next_path: str) -> Started:
    """Where to send the browser: the provider's authorization endpoint, with a fresh state,
    nonce and PKCE challenge whose secrets stay in `pending_sign_ins`."""
    assert settings.oidc_issuer
    metadata = _metadata(settings.oidc_issuer)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    now = utcnow()
    session.execute(delete(PendingSignIn).where(PendingSignIn.expires_at < now))
    session.add(
        PendingSignIn(
            state_hash=_hash(state),
            nonce=nonce,
            code_verifier=verifier,
            next_path=next_path,
            expires_at=now + timedelta(minutes=PENDING_MINUTES),
        )
    )
    session.flush()
    return Started(url=url, state=state)


def take_pending(session: Session, state: str) -> PendingSignIn:
    """The sign-in this state started, removed so that the state cannot be used again. The caller
    commits the removal even when the sign-in is then refused."""
    pending = session.scalar(select(PendingSignIn).where(PendingSignIn.state_hash == _hash(state)))
    if pending is None:
        raise SignInRefused(
            "This sign-in has already been used or was never started here. Start again from the"
            " sign-in page."
        )
    session.delete(pending)
    session.flush()
    if pending.expires_at < utcnow():
        raise SignInRefused("This sign-in took too long. Start again from the sign-in page.")
    return pending


def finish(
    session: Session,
    settings: Settings,
    redirect_uri: str,
    params: dict[str, str],
    pending: PendingSignIn,
) -> tuple[User, str]:
    """The person the provider signed in (matched or provisioned) and where to send them."""
    assert settings.oidc_issuer
    if params.get("error"):
        raise SignInRefused(
            "Your organisation's sign-in service did not sign you in: "
            + (params.get("error_description") or params["error"])
        )
    # RFC 9207: a response naming another issuer is a mix-up attack or a misconfiguration.
    if params.get("iss") and params["iss"] != settings.oidc_issuer:
        raise SignInRefused("The sign-in came back from a service placeplan does not trust.")
    code = params.get("code")
    if not code:
        raise SignInRefused("The sign-in came back without an authorisation code.")
    metadata = _metadata(settings.oidc_issuer)
    with _client(settings, redirect_uri) as client:
        try:
            token = client.fetch_token(
                metadata["token_endpoint"], code=code, code_verifier=pending.code_verifier
            )
        except (OAuth2Error, httpx.HTTPError) as exc:
            raise SignInRefused(
                "Your organisation's sign-in service refused to complete the sign-in."
            ) from exc
        claims = _checked_id_token(settings, metadata, token.get("id_token"), pending.nonce)
        email = claims.get("email")
        if not email and metadata.get("userinfo_endpoint"):
            info = _userinfo(metadata["userinfo_endpoint"], token.get("access_token"))
            if info.get("sub") == claims["sub"]:
                claims = {**info, **claims}
                email = info.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SignInRefused("Your organisation's sign-in service did not give your e-mail address.")
    if claims.get("email_verified") is False:
        raise SignInRefused("Your e-mail address is not verified by your organisation.")
    name = claims.get("name")
    return _user_for(session, settings, email, name if isinstance(name, str) else ""), (
        pending.next_path
    )


def _userinfo(endpoint: str, access_token: object) -> dict[str, Any]:
    # Some providers (Microsoft Entra ID among them) leave the e-mail out of the id token.
    try:
        answer = httpx.get(
            endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
        )
        answer.raise_for_status()
        info: dict[str, Any] = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SignInRefused("Your organisation's sign-in service did not say who you are.") from exc
    return info


def _checked_id_token(
    settings: Settings, metadata: dict[str, Any], id_token: object, nonce: str
) -> dict[str, Any]:
    if not isinstance(id_token, str):
        raise SignInRefused("Your organisation's sign-in service did not send an id token.")
    try:
        keys = KeySet.import_key_set(httpx.get(metadata["jwks_uri"], timeout=TIMEOUT).json())
        decoded = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=settings.oidc_leeway_seconds,
            iss={"essential": True, "value": settings.oidc_issuer or ""},
            aud={"essential": True, "value": settings.oidc_client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(decoded.claims)
    except ExpiredTokenError as exc:
        raise SignInRefused(
            "The sign-in from your organisation had expired before it reached placeplan. Start"
            " again; if this keeps happening, the clocks of the two services may disagree."
        ) from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        what = {
            "aud": "was issued for another service, not placeplan",
            "iss": "came from a service placeplan does not trust",
            "nonce": "does not belong to this sign-in",
        }.get(exc.claim, f"is not valid ({exc.claim})")
        raise SignInRefused(f"The sign-in from your organisation {what}.") from exc
    except (JoseError, ValueError, httpx.HTTPError) as exc:
        raise SignInRefused("The sign-in from your organisation could not be checked.") from exc
    # With more than one audience, the token must name placeplan as the party it was issued to.
    aud = decoded.claims.get("aud")
    if (
        isinstance(aud, list)
        and len(aud) > 1
        and decoded.claims.get("azp") != (settings.oidc_client_id)
    ):
        raise SignInRefused("The sign-in from your organisation was issued for another service.")
    return dict(decoded.claims)


def record_sign_in(session: Session, user: User | None, address: str, outcome: str) -> None:
    """A sign-in through the organisation's account, in the audit beside password sign-ins."""
    who = Actor(name=user.username if user else "unknown account", via="web")
    state = {
        "username": user.username if user else None,
        "address": address,
        "outcome": outcome,
        "through": "organisation's account",
    }
    action = "sign_in" if user is not None else "sign_in_failed"
    audit.record(session, who, action, "sign_in", user.id if user else 0, None, state)


def _user_for(session: Session, settings: Settings, email: str, name: str) -> User:
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    organisation_key = settings.oidc_domains.get(domain)
    if organisation_key is None:
        raise SignInRefused(
            f"People with an e-mail address at {domain} cannot sign in to placeplan with their"
            " organisation's account. Ask your placeplan administrator.",
            403,
        )
    # Matched by the e-mail an administrator gave the user, else by a username that is the address
    user = session.scalar(select(User).where(User.email == email)) or session.scalar(
        select(User).where(User.username == email)
    )
    if user is not None:
        if not user.active:
            raise SignInRefused("Your placeplan account has been switched off.", 403)
        return user
    try:
        organisation = get_organisation_by_key(session, organisation_key)
    except NotFound as exc:
        raise SignInRefused(
            "Your organisation is not set up in placeplan yet. Ask your placeplan administrator.",
            403,
        ) from exc
    user = User(
        username=email,
        email=email,
        display_name=name.strip() or email,
        password_hash=NO_PASSWORD,
        organisation=organisation,
        role=PROVISIONED_ROLE,
        active=True,
    )
    return add_recorded(session, operator("single sign-on", via="web"), "user", user)
