"""Single sign-on walked in the browser against a real OpenID provider (the `oidc-provider` npm
package, tests/fixtures/oidc_provider.mjs): signing in provisions the person into the
organisation their e-mail domain maps to; a replayed state, an id token for another client and an
expired id token are refused with a clear page; password sign-in can be switched off."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.demo.loader import DEMO_PASSWORD, demo_users
from placeplan.people import service as people
from placeplan.people.models import User
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.fixtures.browser import CHROMIUM, ROOT, AccessiblePage, _free_port, checked_context

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not Path(CHROMIUM).exists(), reason="needs node and chromium"
)
PROVIDER = ROOT / "tests" / "fixtures" / "oidc_provider.mjs"
RETURN = "/sign-in/organisation/return"
DEMO_USER = demo_users()[0]["username"]


@contextmanager
def provider(redirect_uri: str, **env: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        ["node", str(PROVIDER)],
        env={**os.environ, "PORT": str(port), "REDIRECT_URI": redirect_uri, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(issuer + "/.well-known/openid-configuration", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the OpenID provider did not start") from None
                time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def app_server(
    template: Path, folder: Path, port: int, prepare=None, **settings: object
) -> Iterator[str]:
    path = folder / f"sso-{port}.sqlite3"
    shutil.copy(template, path)  # the run's loaded demo (`demo_sqlite`)
    engine = make_engine(f"sqlite:///{path}")
    if prepare is not None:
        with unit_of_work(session_factory(engine)) as s:
            prepare(s)
    app = create_app(Settings(database_url=str(engine.url), **settings), engine=engine)  # type: ignore[arg-type]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@contextmanager
def world(
    demo_sqlite, tmp_path, provider_env=None, prepare=None, **settings
) -> Iterator[tuple[str, object]]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with provider(base + RETURN, **(provider_env or {})) as issuer:
        config = {
            "oidc_issuer": issuer,
            "oidc_client_id": "placeplan",
            "oidc_client_secret": "placeplan-test-secret",
            "oidc_domains": {"nhs.net": "llr-icb"},
            "oidc_leeway_seconds": 5,
            **settings,
        }
        with app_server(demo_sqlite, tmp_path, port, prepare, **config) as url:
            yield url, issuer


@pytest.fixture
def context(chromium):
    context = checked_context(chromium, 15_000)
    yield context
    context.close()


def _through_provider(page: AccessiblePage, login: str = "jo.bloggers") -> None:
    """From the sign-in page, through the provider's development login and consent."""
    page.goto("/sign-in")
    page.page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.page.wait_for_selector("input[name=login]")
    page.page.fill("input[name=login]", login)
    page.page.fill("input[name=password]", "anything")
    page.page.click("button[type=submit]")
    page.page.wait_for_selector("button[type=submit]")
    if "consent" in page.page.content().lower() or "authorize" in page.page.content().lower():
        page.page.click("button[type=submit]")


def test_signing_in_provisions_a_viewer_in_the_domains_organisation(demo_sqlite, tmp_path, context):
    with world(demo_sqlite, tmp_path) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        returns: list[str] = []
        page.page.on("request", lambda r: returns.append(r.url) if RETURN in r.url else None)
        _through_provider(page)
        page.page.wait_for_url(re.compile(re.escape(url) + r"/$"))
        page.check_accessibility()
        assert "Jo Bloggers" in page.page.content()
        engine = make_engine(f"sqlite:///{tmp_path}/sso-{url.rsplit(':', 1)[1]}.sqlite3")
        with session_factory(engine)() as s:
            user = s.scalar(select(User).where(User.username == "jo.bloggers@nhs.net"))
            assert user is not None and user.role == "viewer"
            assert user.organisation.key == "llr-icb"
            signed_in = s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity_kind == "sign_in", AuditEvent.entity_id == user.id
                )
            ).all()
            assert signed_in == ["sign_in"]
        engine.dispose()

        # The provider's return link, used a second time, finds no sign-in waiting for it.
        answer = page.page.goto(returns[0])
        assert answer is not None and answer.status == 400
        assert "already been used" in page.page.content()
        page.check_accessibility()


def test_a_token_for_another_client_is_refused(demo_sqlite, tmp_path, context):
    with world(demo_sqlite, tmp_path, provider_env={"WRONG_AUDIENCE": "1"}) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        _through_provider(page)
        page.page.wait_for_selector("h1:has-text('You could not be signed in')")
        assert "issued for another service" in page.page.content(), page.page.inner_text("main")
        page.check_accessibility()


def test_an_expired_token_is_refused(demo_sqlite, tmp_path, context):
    # The provider's clock runs 10 minutes slow: its id tokens (60 s life) have expired on arrival.
    with world(demo_sqlite, tmp_path, provider_env={"CLOCK_OFFSET_S": "-600"}) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        _through_provider(page)
        page.page.wait_for_selector("h1:has-text('You could not be signed in')")
        assert "had expired" in page.page.content()
        page.check_accessibility()


def test_password_sign_in_can_be_switched_off(demo_sqlite, tmp_path, context):
    with world(demo_sqlite, tmp_path, password_sign_in=False) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        page.goto("/sign-in")
        assert page.page.get_by_label("Password").count() == 0
        # A password posted anyway, with the page's own CSRF token, is refused.
        csrf = page.page.locator("input[name=csrf_token]").first.get_attribute("value")
        answer = page.page.request.post(
            url + "/sign-in",
            form={"csrf_token": csrf or "", "username": DEMO_USER, "password": DEMO_PASSWORD},
        )
        assert answer.status == 403
        assert "Sign in with your organisation" in answer.text(), answer.text()[-1500:]


def test_someone_from_a_domain_not_allowed_is_refused(demo_sqlite, tmp_path, context):
    # sam@example.com (tests/fixtures/oidc_provider.mjs) is at no domain in the settings' map.
    with world(demo_sqlite, tmp_path) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        _through_provider(page, login="sam.outsider")
        page.page.wait_for_selector("h1:has-text('You could not be signed in')")
        assert "example.com cannot sign in" in page.page.inner_text("main")
        page.check_accessibility()


def test_someone_given_their_work_email_is_matched_and_keeps_their_roles(
    demo_sqlite, tmp_path, context
):
    # Bea Lead, Leicestershire's BCF lead (an editor at leics-cc, demo users.yaml), has signed in
    # with a password until now; her administrator gives her the work address the provider
    # vouches for (tests/fixtures/oidc_provider.mjs: Jo.Bloggers@nhs.net, in another case).
    lead = "bcf.lead@leics.demo"

    def give_address(s) -> None:
        people.set_email(s, operator("test"), lead, "jo.bloggers@NHS.net")

    with world(demo_sqlite, tmp_path, prepare=give_address) as (url, _):
        page = AccessiblePage(context.new_page(), url)
        _through_provider(page)
        page.page.wait_for_url(re.compile(re.escape(url) + r"/$"))
        page.check_accessibility()
        assert "Bea Lead" in page.page.content()
        engine = make_engine(f"sqlite:///{tmp_path}/sso-{url.rsplit(':', 1)[1]}.sqlite3")
        with session_factory(engine)() as s:
            # matched, not provisioned: no account under the address, hers unchanged, though
            # nhs.net maps to the ICB (the domain decides who may sign in, not where a known
            # person belongs)
            assert s.scalar(select(User).where(User.username == "jo.bloggers@nhs.net")) is None
            user = s.scalar(select(User).where(User.username == lead))
            assert user is not None and user.email == "jo.bloggers@nhs.net"
            assert (user.role, user.organisation.key) == ("editor", "leics-cc")
            signed_in = s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity_kind == "sign_in", AuditEvent.entity_id == user.id
                )
            ).all()
            assert signed_in == ["sign_in"]
        engine.dispose()
