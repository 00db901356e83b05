"""Users, sign-in sessions and personal API tokens."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload

from placeplan.areas.models import Area, System
from placeplan.core.actor import Actor
from placeplan.core.errors import Forbidden, InputError, NotFound, TooManyAttempts
from placeplan.core.permissions import SYSTEM_ROLE, can_manage_users, is_system_wide, require
from placeplan.core.principal import ROLES, Principal
from placeplan.governance.models import body_members
from placeplan.organisations.models import Organisation
from placeplan.organisations.service import get_organisation_by_key
from placeplan.people import domain
from placeplan.people.models import ApiToken, SignInThrottle, User, WebSession
from placeplan.store import audit
from placeplan.store.base import utcnow
from placeplan.store.changes import add_recorded, update_recorded
from placeplan.store.revisions import ReuseCache


def _make_hasher() -> PasswordHasher:
    # argon2's defaults (RFC 9106 low-memory profile) unless the deployment tunes them for its
    # hardware; the test suite turns them down so that building a user takes milliseconds.
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
MIN_PASSWORD = domain.MIN_PASSWORD
# Each hash takes argon2's memory (64 MiB by default): at most this many at once, so a burst of
# sign-ins cannot take the server's memory. A request that cannot start within HASH_WAIT
# seconds is told to try again rather than queued.
HASH_CONCURRENCY = int(os.environ.get("PLACEPLAN_HASH_CONCURRENCY", "4"))
HASH_WAIT = 2.0
_hashing = threading.BoundedSemaphore(HASH_CONCURRENCY)


def _hash_slot() -> None:
    if not _hashing.acquire(timeout=HASH_WAIT):
        raise TooManyAttempts("Too many people are signing in at once. Try again in a moment.", 1)


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
    email: str | None = None,
) -> User:
    """A user of an organisation with a role; `email` is the work address single sign-on matches
    (none: they sign in with their password only)."""
    # Only an admin may learn anything here, so the permission comes before every other check.
    require(
        is_system_wide(actor) or (actor.principal is not None and actor.principal.role == "admin"),
        "add users",
    )
    try:
        organisation = get_organisation_by_key(session, organisation_key)
    except NotFound as exc:
        raise InputError(str(exc), field="organisation") from exc
    # An organisation's admin adds its own users; the system-wide role anyone's.
    require(can_manage_users(actor, organisation.id), f"add users to {organisation.name}")
    username = username.strip().lower()
    if not username:
        raise InputError("a user needs a username", field="username")
    if role not in ROLES:
        raise InputError(
            f"'{role}' is not a role: expected one of {', '.join(ROLES)}", field="role"
        )
    if role == SYSTEM_ROLE and not is_system_wide(actor):
        raise Forbidden("only a system administrator gives the system-wide role")
    if (problem := domain.password_problem(password, username)) is not None:
        raise InputError(problem, field="password")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InputError(f"user {username} already exists", field="username")
    user = User(
        username=username,
        email=checked_email(session, email),
        display_name=display_name.strip() or username,
        password_hash=_hashed(password),
        organisation=organisation,
        role=role,
        active=True,
    )
    return add_recorded(session, actor, "user", user)


def checked_email(session: Session, email: str | None, user_id: int | None = None) -> str | None:
    """A work e-mail as stored: lower-cased, well formed, no other user's (None: none given)."""
    address = (email or "").strip().lower()
    if not address:
        return None
    if (problem := domain.email_problem(address)) is not None:
        raise InputError(problem, field="email")
    other = session.scalar(select(User.id).where(User.email == address))
    if other is not None and other != user_id:
        raise InputError(f"{address} is already another user's e-mail", field="email")
    return address


def set_email(session: Session, actor: Actor, username: str, email: str | None) -> User:
    """Give a user the work e-mail single sign-on matches them by (None or blank: take it away),
    so someone who signed in with a password until now keeps their account and roles when their
    organisation moves to single sign-on. An admin of their organisation, or the system-wide
    role."""
    user = get_user(session, username)
    require(can_manage_users(actor, user.organisation_id), f"change {user.username}'s e-mail")
    address = checked_email(session, email, user.id)
    updated: User = update_recorded(session, actor, "user", user, {"email": address})
    return updated


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
    region_ids = frozenset(
        a.system.region_id for a in organisation.areas if a.system and a.system.region_id
    )
    assured_systems: frozenset[int] = frozenset()
    assured_areas: frozenset[int] = frozenset()
    if user.role == "regional_assurer" and region_ids:
        assured_systems = frozenset(
            session.scalars(select(System.id).where(System.region_id.in_(region_ids)))
        )
        assured_areas = frozenset(
            session.scalars(select(Area.id).where(Area.system_id.in_(assured_systems)))
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
        region_ids=region_ids,
        assured_system_ids=assured_systems,
        assured_area_ids=assured_areas,
    )


def _hashed(password: str) -> str:
    _hash_slot()
    try:
        return _hasher.hash(password)
    finally:
        _hashing.release()


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if len(password) > domain.MAX_PASSWORD:
        return None  # no stored password is this long; not worth hashing
    if user is None or not user.active:
        # Spend the same effort as a real check so timing does not reveal which usernames exist.
        _hashed(password)
        return None
    _hash_slot()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    finally:
        _hashing.release()
    return user


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt: what was typed and where from (the client's address)."""

    username: str
    password: str
    address: str


def _keys(attempt: Attempt) -> list[tuple[str, str, domain.Limit]]:
    return [
        ("account", _sha256(attempt.username.strip().lower()), domain.ACCOUNT),
        ("address", _sha256(attempt.address), domain.ADDRESS),
    ]


def _count(row: SignInThrottle | None) -> domain.Count | None:
    if row is None:
        return None
    return domain.Count(row.failures, row.last_failure_at, row.locked_until)


def sign_in(session: Session, attempt: Attempt, now: datetime | None = None) -> User | None:
    """The user the attempt signs in as, or None; TooManyAttempts, checked before any hashing,
    while its account or address must wait. Failures, locks and successes are audited; the
    caller commits either way. The same answers whether or not the account exists."""
    now = now or utcnow()
    keys = _keys(attempt)
    wait = 0
    for kind, key, limit in keys:
        row = session.get(SignInThrottle, (kind, key))
        wait = max(wait, domain.retry_after(_count(row), limit, now))
    if wait:
        raise TooManyAttempts(
            "Too many attempts to sign in. Wait "
            f"{domain.wait_words(wait)} and try again, or ask your administrator.",
            wait,
        )
    user = authenticate(session, attempt.username, attempt.password)
    known = session.scalar(select(User).where(User.username == attempt.username.strip().lower()))
    who = Actor(name=known.username if known else "unknown account", via="web")
    state = {"username": known.username if known else None, "address": attempt.address}
    if user is not None:
        row = session.get(SignInThrottle, keys[0][:2])
        if row is not None:
            session.delete(row)  # the account's own count starts again; the address's stands
        audit.record(
            session, who, "sign_in", "sign_in", user.id, None, state | {"outcome": "signed in"}
        )
        return user
    locked = False
    for kind, key, limit in keys:
        locked = _fail(session, kind, key, limit, now) or locked
    entity = known.id if known else 0
    audit.record(
        session, who, "sign_in_failed", "sign_in", entity, None, state | {"outcome": "failed"}
    )
    if locked:
        audit.record(
            session, who, "sign_in_locked", "sign_in", entity, None, state | {"outcome": "locked"}
        )
    return None


def _fail(session: Session, kind: str, key: str, limit: domain.Limit, now: datetime) -> bool:
    """Count one failure under the row's lock; True when this failure locks it."""
    start = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Another worker may count the first failure at the same moment: one row, then its lock.
    session.execute(
        start(SignInThrottle)
        .values(kind=kind, key=key, failures=0, last_failure_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )
    row = session.execute(
        select(SignInThrottle)
        .where(SignInThrottle.kind == kind, SignInThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    count = domain.after_failure(_count(row) if row.failures else None, limit, now)
    row.failures, row.last_failure_at, row.locked_until = (
        count.failures,
        count.last_failure_at,
        count.locked_until,
    )
    session.flush()
    return count.failures == limit.lock_at


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
