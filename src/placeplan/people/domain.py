"""Pure rules of signing in: what a password must be (NCSC guidance) and how failed attempts
slow and then lock further ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

# NCSC "Password administration for system owners": no composition rules and no expiry, but a
# minimum length, no upper limit worth a person meeting, and a deny-list of the passwords
# attackers try first. 10 characters: above NCSC's floor of 8 for accounts behind throttling.
MIN_PASSWORD = 10
MAX_PASSWORD = 256  # hashing cost grows with length; no real password is longer
MAX_EMAIL = 254  # RFC 5321's longest forward path, less its angle brackets


@cache
def common_passwords() -> frozenset[str]:
    """The deny-list shipped with placeplan (data/common_passwords.txt), lower-cased."""
    text = resources.files("placeplan.people").joinpath("data/common_passwords.txt").read_text()
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def email_problem(email: str) -> str | None:
    """Why a work e-mail address (lower-cased, stripped) is refused; None when it will do. Only
    its shape is checked: whether it reaches anyone is the identity provider's business."""
    local, at, domain = email.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or any(c.isspace() for c in email)
        or len(email) > MAX_EMAIL
    ):
        return f"'{email[:60]}' is not an e-mail address such as jo.bloggers@nhs.net"
    return None


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, in words a person can act on; None when it will do."""
    if not password.strip():
        return "a password cannot be only spaces"
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password can have at most {MAX_PASSWORD} characters"
    lowered = password.strip().lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!") in common_passwords():
        return "that password is one of the most common, which attackers try first: choose another"
    if username and username.strip().lower() in lowered:
        return "a password cannot contain the username"
    return None


@dataclass(frozen=True)
class Limit:
    """Failures allowed freely, then a delay doubling from one second before each further try,
    then a lock: per account (guessing one password) and per address (trying many accounts)."""

    free: int
    lock_at: int
    lock_for: timedelta
    forget_after: timedelta = timedelta(hours=1)

    def wait_after(self, failures: int) -> timedelta:
        if failures >= self.lock_at:
            return self.lock_for
        if failures < self.free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** (failures - self.free)), self.lock_for)


ACCOUNT = Limit(free=5, lock_at=10, lock_for=timedelta(minutes=15))
ADDRESS = Limit(free=20, lock_at=100, lock_for=timedelta(minutes=15))


@dataclass(frozen=True)
class Count:
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


def retry_after(count: Count | None, limit: Limit, now: datetime) -> int:
    """Seconds before another attempt may be checked (0: now). Whole seconds, rounded up."""
    if count is None or now - count.last_failure_at > limit.forget_after:
        return 0
    until = count.locked_until or count.last_failure_at + limit.wait_after(count.failures)
    left = (until - now).total_seconds()
    return 0 if left <= 0 else int(left) + (0 if left == int(left) else 1)


def after_failure(count: Count | None, limit: Limit, now: datetime) -> Count:
    """The count once one more attempt failed; locked_until set when it reaches the lock."""
    failures = 1
    if count is not None and now - count.last_failure_at <= limit.forget_after:
        failures = count.failures + 1
    locked = now + limit.lock_for if failures >= limit.lock_at else None
    return Count(failures, now, locked)


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
