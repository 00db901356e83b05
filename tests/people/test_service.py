"""Sign-in as a service: the cap on concurrent hashing, the lock after repeated failures (in
the database, so another worker sees it), and the password policy on new users."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from placeplan.core.actor import operator
from placeplan.core.errors import Forbidden, InputError, TooManyAttempts
from placeplan.people import service as people
from placeplan.people.domain import ACCOUNT
from placeplan.store.uow import unit_of_work
from tests.factories import PASSWORD, actor_for, build_world

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_hashing_waits_for_a_slot_then_says_try_again(sessions):
    build_world(sessions)
    taken = 0
    while people._hashing.acquire(blocking=False):  # every slot busy, as under a burst
        taken += 1
    try:
        assert taken == people.HASH_CONCURRENCY
        started = time.monotonic()
        with sessions() as s, pytest.raises(TooManyAttempts) as refused:
            people.authenticate(s, "county-editor", PASSWORD)
        assert refused.value.retry_after == 1
        assert time.monotonic() - started < people.HASH_WAIT + 1
    finally:
        for _ in range(taken):
            people._hashing.release()


def test_the_lock_holds_for_every_worker_then_lifts(sessions):
    build_world(sessions)
    wrong = people.Attempt("county-editor", "not the password", "192.0.2.1")
    moment = NOW
    for n in range(ACCOUNT.lock_at):
        with unit_of_work(sessions) as s:
            assert people.sign_in(s, wrong, moment) is None
        moment += ACCOUNT.wait_after(n + 1)  # wait out each delay, as a patient guesser would
    right = people.Attempt("county-editor", PASSWORD, "192.0.2.1")
    with sessions() as s, pytest.raises(TooManyAttempts) as locked:  # a fresh session: the database
        people.sign_in(s, right, moment - ACCOUNT.lock_for + timedelta(seconds=1))
    assert locked.value.retry_after > 0
    with unit_of_work(sessions) as s:
        assert people.sign_in(s, right, moment + timedelta(seconds=1)) is not None


def test_new_users_follow_the_password_policy(sessions):
    build_world(sessions)
    with unit_of_work(sessions) as s, pytest.raises(InputError, match="most common"):
        people.add_user(s, operator(), "newcomer", "New", "Password123", "county", "viewer")
    with unit_of_work(sessions) as s, pytest.raises(InputError, match="only spaces"):
        people.add_user(s, operator(), "newcomer", "New", " " * 12, "county", "viewer")


def test_a_users_work_email_is_kept_lower_cased_and_one_users_only(sessions):
    """The address single sign-on matches (people/oidc.py): set by an admin of the user's own
    organisation, checked for shape, never two users'."""
    build_world(sessions)
    with unit_of_work(sessions) as s:
        added = people.add_user(
            s,
            operator(),
            "newcomer",
            "New",
            PASSWORD,
            "county",
            "viewer",
            " New.Comer@Leics.GOV.uk ",
        )
        assert added.email == "new.comer@leics.gov.uk"
        changed = people.set_email(
            s, actor_for(s, "county-admin"), "county-editor", "Ed@leics.gov.uk"
        )
        assert changed.email == "ed@leics.gov.uk"
    for given in ("ed@leics.gov.uk", "ED@LEICS.GOV.UK"):
        with unit_of_work(sessions) as s, pytest.raises(InputError, match="another user's") as e:
            people.set_email(s, operator(), "county-viewer", given)
        assert e.value.field == "email"
    for given in ("ed", "ed@leics", "@leics.gov.uk", "ed smith@leics.gov.uk"):
        with unit_of_work(sessions) as s, pytest.raises(InputError, match="not an e-mail"):
            people.set_email(s, operator(), "county-viewer", given)
    # another organisation's admin may not, nor an editor of the user's own
    for who in ("city-admin", "county-editor"):
        with unit_of_work(sessions) as s, pytest.raises(Forbidden):
            people.set_email(s, actor_for(s, who), "county-viewer", "vi@leics.gov.uk")
    with unit_of_work(sessions) as s:  # blank takes it away
        assert people.set_email(s, operator(), "county-editor", " ").email is None
