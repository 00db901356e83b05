"""Users, sign-in sessions and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.areas.models import Area
from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden, InputError, NotFound
from placeplan.core.permissions import can_manage_reference_data, require
from placeplan.core.principal import ROLES, Principal
from placeplan.governance.models import body_members
from placeplan.organisations.models import Organisation
from placeplan.organisations.service import get_organisation_by_key
from placeplan.people.models import ApiToken, User, WebSession
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.revisions import ReuseCache


def _make_hasher() -> PasswordHasher:
    # argon2's defaults (RFC 9106 low-memory profile) unless the deployment tunes them for its
    # hardware; the test suite turns them down so that building a user takes milliseconds.
    import os

    time_cost = int(os.environ.get("PLACEPLAN_ARGON2_TIME_COST", "0")) or None
    memory_cost = int(os.environ.get("PLACEPLAN_ARGON2_MEMORY_KIB", "0")) or None
    if time_cost is None and memory_cost is None:
        return PasswordHasher()
    defaults = PasswordHasher()
    return PasswordHasher(
        time_cost=time_cost or defaults.time_cost,
        memory_cost=memory_cost or defaults.memory_cost,
        parallelism=1,
    )


_hasher = _make_hasher()
TOKEN_PREFIX = "pp_"
MIN_PASSWORD = 10


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    organisation_key: str,
    role: str,
) -> User:
    require(can_manage_reference_data(actor), "add users")
    username = username.strip().lower()
    if not username:
        raise InputError("a user needs a username", field="username")
    if role not in ROLES:
        raise InputError(
            f"'{role}' is not a role: expected one of {', '.join(ROLES)}", field="role"
        )
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InputError(f"user {username} already exists", field="username")
    try:
        organisation = get_organisation_by_key(session, organisation_key)
    except NotFound as exc:
        raise InputError(str(exc), field="organisation") from exc
    if actor.principal and organisation.id != actor.principal.organisation_id:
        raise Forbidden("an administrator adds users to their own organisation only")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=_hasher.hash(password),
        organisation=organisation,
        role=role,
        active=True,
    )
    return add_recorded(session, actor, "user", user)


# Who a user is, in permission terms, changes rarely; every request needs it. Kept briefly per
# process for a signed-in credential (the hash of a session or API token, which no other user or
# database shares), with the user's row version so a change to the user shows at once; a change
# to their organisation's areas or memberships shows within PRINCIPAL_TTL seconds.
PRINCIPAL_TTL = 30.0
_principals: ReuseCache[Principal] = ReuseCache(size=10_000, ttl=PRINCIPAL_TTL)


def principal_for(session: Session, user: User, credential: str | None = None) -> Principal:
    if credential is None:
        return _load_principal(session, user)
    # The user's row version stands as the token; never keep a raw credential in memory.
    return _principals.get_or_make(
        (_sha256(credential), user.id),
        str(user.version),
        lambda: _load_principal(session, user),
    )


def _load_principal(session: Session, user: User) -> Principal:
    organisation = session.scalar(
        select(Organisation)
        .where(Organisation.id == user.organisation_id)
        .options(selectinload(Organisation.areas).selectinload(Area.system))
    )
    assert organisation is not None
    body_ids: list[int] = list(
        session.scalars(
            select(body_members.c.body_id).where(body_members.c.organisation_id == organisation.id)
        )
    )
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        area_ids=frozenset(a.id for a in organisation.areas),
        system_ids=frozenset({organisation.system_id} if organisation.system_id else set()),
        body_ids=frozenset(body_ids),
        region_ids=frozenset(
            a.system.region_id for a in organisation.areas if a.system and a.system.region_id
        ),
    )


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        # Spend the same effort as a real check so timing does not reveal which usernames exist.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def start_session(session: Session, user: User, hours: int) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Expired sessions are useless to everyone; sweep them whenever someone signs in.
    for stale in session.scalars(select(WebSession).where(WebSession.expires_at < now)):
        session.delete(stale)
    web_session = WebSession(
        token_hash=_sha256(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(web_session)
    session.flush()
    return token, web_session


def resolve_session(session: Session, token: str) -> WebSession | None:
    web_session = session.scalar(
        select(WebSession)
        .where(WebSession.token_hash == _sha256(token))
        .options(joinedload(WebSession.user))
    )
    if web_session is None or web_session.expires_at < utcnow() or not web_session.user.active:
        return None
    return web_session


def end_session(session: Session, token: str) -> None:
    web_session = session.scalar(select(WebSession).where(WebSession.token_hash == _sha256(token)))
    if web_session is not None:
        session.delete(web_session)


def create_token(session: Session, actor: Actor, name: str) -> tuple[str, ApiToken]:
    """Returns the token itself (shown once) and its stored record."""
    if actor.principal is None:
        raise Forbidden("sign in to create an API token")
    if not name.strip():
        raise InputError("name the token so you can tell it apart later", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=actor.principal.user_id,
        name=name.strip(),
        prefix=token[:10],
        token_hash=_sha256(token),
        created_at=utcnow(),
    )
    return token, add_recorded(session, actor, "api_token", record)


def list_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    if actor.principal is None:
        return []
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == actor.principal.user_id)
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    record = session.get(ApiToken, token_id)
    if record is None or actor.principal is None or record.user_id != actor.principal.user_id:
        raise NotFound(f"no token {token_id} of yours")
    if record.revoked_at is None:
        update_recorded(
            session, actor, "api_token", record, {"revoked_at": utcnow()}, action="revoke"
        )
    return record


def resolve_token(session: Session, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _sha256(token))
        .options(selectinload(ApiToken.user))
    )
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    return record.user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def actor_for_token(session: Session, token: str) -> Actor | None:
    """Who an API token speaks for; None for an unknown or revoked token."""
    user = resolve_token(session, token)
    if user is None:
        return None
    return Actor(
        name=user.username, principal=principal_for(session, user, credential=token), via="api"
    )


def actor_for_session(session: Session, cookie: str, via: str) -> tuple[Actor, str] | None:
    """Who a browser session cookie belongs to, and the session's CSRF token; None once ended."""
    web_session = resolve_session(session, cookie)
    if web_session is None:
        return None
    principal = principal_for(session, web_session.user, credential=web_session.token_hash)
    return Actor(
        name=web_session.user.username, principal=principal, via=via
    ), web_session.csrf_token
