"""Browser tests: the app served on loopback, driven in Debian's chromium through Playwright,
with axe-core (from the npm registry) run on every page visited."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.demo.loader import load_demo
from placeplan.store.db import make_engine, session_factory

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def demo_server(sqlite_template: Path, folder: Path) -> Iterator[str]:
    """The LLR demo on a SQLite file of its own in `folder`, served by uvicorn in a thread."""
    path = folder / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(session_factory(engine))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(database_url=str(engine.url)), engine=engine),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo, shared by the tests that only read it. Tests that change it override this
    with a module-scoped server of their own (`demo_server`)."""
    with demo_server(sqlite_template, tmp_path_factory.mktemp("live")) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's chromium is not installed at {CHROMIUM}: run `make test` (it installs it)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class AccessiblePage:
    """A Playwright page whose every visit is checked with axe-core against WCAG 2.2 AA."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.checked: list[str] = []

    def check_accessibility(self) -> None:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe-core found WCAG violations on {self.page.url}:\n" + "\n".join(
            violations
        )
        self.checked.append(self.page.url)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (
            f"{path} answered {response and response.status}"
        )
        self.check_accessibility()


@pytest.fixture
def page(chromium, live_server) -> Iterator[AccessiblePage]:
    context = chromium.new_context()
    context.set_default_timeout(10_000)
    yield AccessiblePage(context.new_page(), live_server)
    context.close()
