"""Breadcrumbs on every page: walking the demo signed in, from the home page along every link
(one or two pages of each kind of address), each page but the home page has a breadcrumb trail
that starts at Home, names no record by an id, and whose every link answers 200."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.store.db import make_engine
from tests.fixtures.web import Browser

HREF = re.compile(r'href="(/[^"#]*)')
TRAIL = re.compile(r'<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">(.*?)</nav>', re.S)
CRUMB = re.compile(r'<a class="nhsuk-breadcrumb__link" href="([^"]+)">([^<]+)</a>')
SKIP = re.compile(r"^/(static|api)/|\.(xlsx|docx|pdf|csv)$|^/sign-out")
PER_KIND = 2  # pages of each kind of address (ids and refs made alike)
LIMIT = 400


@pytest.fixture(scope="module")
def demo_app(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    path = tmp_path_factory.mktemp("crumbs") / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    yield create_app(Settings(database_url=str(engine.url)), engine=engine)
    engine.dispose()


def _kind(path: str) -> str:
    return re.sub(r"/(\d+|[A-Z]\d{8}|[0-9][0-9a-z.]*)(?=/|$)", "/{x}", path)


def _walk(browser: Browser) -> dict[str, str]:
    """Every HTML page reached (path -> its text), at most PER_KIND of each kind."""
    seen: dict[str, str] = {}
    kinds: dict[str, int] = {}
    queue = ["/"]
    while queue and len(seen) < LIMIT:
        path = queue.pop(0).split("?")[0]
        if path in seen or SKIP.search(path) or kinds.get(_kind(path), 0) >= PER_KIND:
            continue
        kinds[_kind(path)] = kinds.get(_kind(path), 0) + 1
        answer = browser.get(path)
        if answer.status_code != 200 or "text/html" not in answer.headers["content-type"]:
            seen[path] = ""
            continue
        seen[path] = answer.text
        queue += [h.replace("&amp;", "&") for h in HREF.findall(answer.text)]
    return seen


def test_every_demo_page_has_a_breadcrumb_trail_whose_links_answer(demo_app):
    browser = Browser(TestClient(demo_app, base_url="https://testserver"))
    browser.sign_in("bcf.lead@leics.demo", "llr-demo-2025")
    pages = {p: t for p, t in _walk(browser).items() if t}
    assert len(pages) > 60, sorted(pages)  # the walk reached the record
    answers: dict[str, int] = {}
    problems = []
    for path, text in pages.items():
        if path == "/":
            assert not TRAIL.search(text), "the home page is where trails start"
            continue
        trail = TRAIL.search(text)
        if trail is None:
            problems.append(f"{path}: no breadcrumbs")
            continue
        crumbs = CRUMB.findall(trail[1])
        if not crumbs or crumbs[0] != ("/", "Home"):
            problems.append(f"{path}: the trail does not start at Home: {crumbs}")
        for href, text_ in crumbs:
            if re.fullmatch(r"\s*\d+\s*", text_):
                problems.append(f"{path}: a crumb named by an id: {href} {text_}")
            if href not in answers:
                answers[href] = browser.get(href).status_code
            if answers[href] != 200:
                problems.append(f"{path}: crumb {href} answers {answers[href]}")
    assert not problems, "\n".join(problems)


def test_a_scheme_sits_under_its_plans_budget(demo_app):
    browser = Browser(TestClient(demo_app, base_url="https://testserver"))
    page = browser.get("/plans").text
    plan = re.search(r'href="/plans/(\d+)"', page)[1]
    budget = browser.get(f"/plans/{plan}/budget").text
    scheme = re.search(r'href="(/schemes/\d+)"', budget)[1]
    crumbs = CRUMB.findall(TRAIL.search(browser.get(scheme).text)[1])
    assert [text for _, text in crumbs][:2] == ["Home", "Plans"]
    assert crumbs[2][0] == f"/plans/{plan}" and crumbs[3] == (f"/plans/{plan}/budget", "Budget")


def test_pages_given_a_plan_as_a_mapping_or_under_a_model_still_name_it(demo_app):
    browser = Browser(TestClient(demo_app, base_url="https://testserver"))
    # the ICB has a part in Leicester (the delivery plan) and Leicestershire (the BCF plan)
    browser.sign_in("planner@icb.demo", "llr-demo-2025")
    plans = browser.get("/plans").text
    plan, title = re.search(
        r'href="/plans/(\d+)">([^<]*delivery plan 2023-2025)</a>', plans
    ).groups()
    # The plan on a page is given its plan as a mapping, not a record.
    crumbs = CRUMB.findall(TRAIL.search(browser.get(f"/plans/{plan}/delivery/on-a-page").text)[1])
    assert crumbs[2:] == [
        (f"/plans/{plan}", title),
        (f"/plans/{plan}/delivery", "Delivery tracker"),
    ]
    # A capacity run sits under its model, under its plan's capacity page.
    capacity = browser.get("/plans").text
    bcf = re.search(r'href="/plans/(\d+)">Leicestershire Better Care Fund plan 2025-26<', capacity)[
        1
    ]
    model = re.search(r'href="(/capacity/\d+)"', browser.get(f"/plans/{bcf}/capacity").text)[1]
    run = re.search(r'href="(/capacity/runs/\d+)\?', browser.get(model).text)[1]  # the demo's run
    trail = CRUMB.findall(TRAIL.search(browser.get(run).text)[1])
    assert trail[3] == (f"/plans/{bcf}/capacity", "Capacity") and trail[4][0] == model
