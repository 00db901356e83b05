"""No page asks a server outside the app (issue #12, part 1): council and NHS networks are often
closed, and a page that waits on an outside font or script host stalls or shows nothing there.

The browser here may reach only the app on loopback: every other request is aborted and
recorded. A signed-out visitor and a signed-in BCF lead each walk the demo from the menu, one
page of each kind (a plan, its budget, a scheme, its metrics, an SPC chart, the tracker, the
pledges, a capacity model, the audit, a version, the differences, ...), and the API's
documentation; the test fails naming any outside address a page asked for."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.fixtures.browser import AccessiblePage, sign_in

pytestmark = pytest.mark.browser

LEAD = "bcf.lead@leics.demo"
MENU = ["/", "/areas", "/organisations", "/bodies", "/plans", "/board", "/sign-in"]
LIMIT = 90  # pages a walk visits at most: one of each kind is enough
TABS = 4  # pages the walk has open at once, each waiting for its network to be quiet
NOT_PAGES = re.compile(r"\.(csv|xlsx|docx|pdf|json|svg|css|js)$|^/static/|^/api/(?!docs)")

# One page of each kind must be among those visited (signed in).
KINDS = {
    "a plan": r"/plans/\d+",
    "a budget": r"/plans/\d+/budget",
    "a scheme": r"/schemes/\d+",
    "a plan's metrics": r"/plans/\d+/metrics",
    "an SPC chart": r"/areas/[^/]+/metrics/[^/]+",
    "the tracker": r"/plans/\d+/delivery",
    "the pledges": r"/plans/\d+/pledges",
    "a capacity model": r"/capacity/\d+",
    "the audit": r"/audit",
    "a version": r"/plans/\d+/versions/\d+",
    "the differences": r"/plans/\d+/differences",
    "the API documentation": r"/api/docs",
}


class Offline:
    """A browser context whose every request to anywhere but the app is aborted, and written
    down with the page that asked."""

    def __init__(self, page: AccessiblePage) -> None:
        self.page = page
        self.outside: dict[str, set[str]] = {}
        self.visited: list[str] = []
        self.tabs = [page.page]  # the walk's other tabs, opened when it first needs them
        page.page.context.route("**/*", self._route)
        self._listen(page.page)

    def _listen(self, tab) -> None:  # type: ignore[no-untyped-def]
        tab.on("console", lambda message: self._refused(tab, message))

    def _refused(self, tab, message) -> None:  # type: ignore[no-untyped-def]
        # The Content Security Policy stops a request to another server before it is made (and
        # before the route below sees it): the browser says so, naming the address.
        found = re.search(r"'(https?://[^']+)' violates", message.text)
        if found and urlsplit(found.group(1)).hostname not in ("127.0.0.1", "localhost"):
            asker = urlsplit(tab.url).path or "(before a page)"
            self.outside.setdefault(found.group(1), set()).add(asker)

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
            return
        try:
            url = route.request.frame.page.url
        except Exception:  # a request no page's frame made (a service worker's)
            url = self.page.page.url
        asker = urlsplit(url).path or "(before a page)"
        self.outside.setdefault(route.request.url, set()).add(asker)
        route.abort()

    def visit(self, path: str) -> list[str]:
        """Open `path`, wait until the network is quiet, and give the app's links on it."""
        return self.visit_all([path])[0]

    def visit_all(self, paths: list[str]) -> list[list[str]]:
        """Open each of `paths` in a tab of its own, all at once, wait until each tab's network
        is quiet, and give the app's links on each. Every page waits for its quiet as it would
        alone: the tabs only wait side by side rather than one after the other."""
        while len(self.tabs) < len(paths):
            tab = self.page.page.context.new_page()
            self._listen(tab)
            self.tabs.append(tab)
        tabs = self.tabs[: len(paths)]
        responses = [
            tab.goto(self.page.base + path, wait_until="commit")
            for tab, path in zip(tabs, paths, strict=True)
        ]
        found = []
        for tab, path, response in zip(tabs, paths, responses, strict=True):
            tab.wait_for_load_state("networkidle")
            assert response is not None and response.status < 500, f"{path}: {response.status}"
            self.visited.append(path)
            hrefs = tab.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
            )
            found.append(
                [h for h in hrefs if h.startswith("/") and not NOT_PAGES.search(h.split("?")[0])]
            )
        return found

    def walk(self) -> None:
        """Breadth first from the menu, one page of each shape of address (numbers, codes and
        keys set aside), at most LIMIT pages. The next TABS pages of the queue are opened side
        by side: they are in the queue before any of their links, so the order of the visits
        (and so the pages reached within LIMIT) is that of one page at a time."""
        queue, shapes = deque(MENU + ["/api/docs"]), set()
        while queue and len(self.visited) < LIMIT:
            batch: list[str] = []
            while queue and len(batch) < min(TABS, LIMIT - len(self.visited)):
                path = queue.popleft().split("#")[0]
                shape = _shape(path)
                if shape in shapes:
                    continue
                shapes.add(shape)
                batch.append(path)
            for links in self.visit_all(batch):
                queue.extend(links)


def _shape(path: str) -> str:
    """/plans/4/versions/1 and /plans/2/versions/3 are one shape; so are two SPC charts. Each
    plan is its own: plans of different kinds have different parts (a budget, a tracker)."""
    parts = urlsplit(path).path.strip("/").split("/")
    if re.fullmatch(r"plans/\d+", "/".join(parts)):
        return path
    return "/" + "/".join("*" if re.search(r"[\d_]", p) else p for p in parts)


def _report(offline: Offline) -> str:
    return "\n".join(
        f"{url} (asked by {', '.join(sorted(pages))})" for url, pages in offline.outside.items()
    )


def test_the_walk_finds_a_request_to_an_outside_server(page):
    offline = Offline(page)
    offline.visit("/")
    page.page.evaluate("fetch('https://example.org/x').catch(() => null)")
    page.page.wait_for_load_state("networkidle")
    assert "https://example.org/x" in offline.outside  # the guard works: the real walks rely on it


def test_a_signed_out_visitor_never_leaves_the_app(page):
    offline = Offline(page)
    offline.walk()
    assert {"/", "/plans", "/board", "/api/docs"} <= set(offline.visited)
    assert not offline.outside, "pages asked servers outside the app:\n" + _report(offline)


def test_a_signed_in_lead_never_leaves_the_app(page):
    sign_in(page, LEAD)
    offline = Offline(page)
    offline.walk()
    missing = [
        kind
        for kind, pattern in KINDS.items()
        if not any(re.fullmatch(pattern, v.split("?")[0]) for v in offline.visited)
    ]
    assert not missing, f"the walk never reached {missing}; it visited {offline.visited}"
    assert not offline.outside, "pages asked servers outside the app:\n" + _report(offline)


def test_the_api_documentation_draws_from_the_app_alone_and_is_accessible(page):
    """Swagger UI from the app's own files, drawn with the app's colours
    (/static/swagger-overrides.css), its deep links off and its code examples in the tab order
    (/static/swagger-init.js): axe finds nothing, with one operation open (its example answer
    drawn) among the closed ones."""
    offline = Offline(page)
    offline.visit("/api/docs")
    page.page.wait_for_selector(".swagger-ui .information-container h1", timeout=30_000)
    assert "placeplan" in page.page.locator(".swagger-ui .information-container h1").inner_text()
    assert page.page.locator(".opblock").count() > 50  # every operation drawn from the spec
    assert page.page.locator("html").get_attribute("lang") == "en"
    page.page.locator(".opblock-summary-control").first.click()
    page.page.wait_for_selector(".swagger-ui .opblock-body pre")
    page.check_accessibility()
    assert not offline.outside, _report(offline)


def test_error_pages_are_accessible_and_offline(page):
    """The pages a browser gets for a bad address: a word for a plan's number (404), a bad year
    (400), an address the app does not have (404)."""
    offline = Offline(page)
    for path, status, said in (
        ("/plans/abc", 404, "'abc' is not a plan number"),
        ("/systems/LLR/budget?year=2025-26", 400, "'2025-26', is not a year"),
        ("/no/such/page", 404, "There is no page at /no/such/page."),
    ):
        response = page.page.goto(page.base + path, wait_until="networkidle")
        assert response is not None and response.status == status, path
        assert said in page.page.locator("main").inner_text()
        page.check_accessibility()
    assert not offline.outside, _report(offline)
