"""The rules of signing in: the password policy and how failures slow, then lock, attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from placeplan.demo.loader import DEMO_PASSWORD
from placeplan.people.domain import (
    ACCOUNT,
    ADDRESS,
    after_failure,
    common_passwords,
    password_problem,
    retry_after,
)
from tests.factories import PASSWORD

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_the_policy_refuses_short_blank_common_and_username_passwords():
    assert "only spaces" in (password_problem(" " * 10) or "")
    assert "at least 10" in (password_problem("abc") or "")
    assert "most common" in (password_problem("Password123") or "")
    assert "most common" in (password_problem("leicester2025") or "")  # a word and a year
    assert "username" in (password_problem("bea-lead-is-me", "bea-lead") or "")
    assert "at most" in (password_problem("x" * 257) or "")


def test_the_demo_and_test_passwords_pass_and_the_list_is_real():
    assert password_problem(DEMO_PASSWORD, "bea-lead") is None
    assert password_problem(PASSWORD, "county-editor") is None
    assert len(common_passwords()) > 300 and "123456" in common_passwords()


def test_failures_wait_longer_then_lock():
    count = None
    waits = []
    for _ in range(ACCOUNT.lock_at):
        count = after_failure(count, ACCOUNT, NOW)
        waits.append(retry_after(count, ACCOUNT, NOW))
    # free failures wait nothing; then 1, 2, 4, 8 s; the tenth locks for 15 minutes
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 900]
    assert count is not None and count.locked_until == NOW + timedelta(minutes=15)
    assert retry_after(count, ACCOUNT, NOW + timedelta(minutes=15)) == 0


def test_an_old_failure_is_forgotten():
    count = after_failure(None, ADDRESS, NOW)
    later = NOW + ADDRESS.forget_after + timedelta(seconds=1)
    assert after_failure(count, ADDRESS, later).failures == 1
