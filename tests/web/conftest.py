from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from tests.factories import PASSWORD, World, build_world

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A TestClient that signs in like a person and posts forms with their CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kw):
        response = self.client.get(url, follow_redirects=False, **kw)
        if match := CSRF.search(response.text):
            self.token = match[1]
        return response

    def post(self, url: str, data: dict | None = None, csrf: bool = True):
        if not self.token:
            self.get("/sign-in")
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.token
        return self.client.post(url, data=form, follow_redirects=False)

    def sign_in(self, username: str, password: str = PASSWORD):
        self.get("/sign-in")
        response = self.post("/sign-in", {"username": username, "password": password})
        assert response.status_code == 303, response.text
        self.get("/")
        return self


@pytest.fixture
def world(sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def app(engine, world):
    return create_app(Settings(database_url=str(engine.url)), engine=engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture
def browser(app):
    def make(username: str | None = None) -> Browser:
        b = Browser(TestClient(app, base_url="https://testserver"))
        return b.sign_in(username) if username else b

    return make
