"""What a signed-out visitor must never be shown, and a crawler that looks for it.

The detector is pure (text and JSON in, findings out) so that it can be tested on small samples:
a detector that finds nothing proves nothing. The crawler walks a site through any client with a
`get(url)` answering like httpx (a FastAPI TestClient), from its start pages, following every
same-site link in the HTML and every path in the JSON.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Protocol
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# JSON field names that are internal whatever they hold: who did something (usernames), people's
# ids, and notes written for colleagues rather than for the public. A field called `note` is not
# here: many records' notes are public caveats ("invented for the demo"). The notes that are
# internal (a sign-off step's provenance note, a delivery update's internal commentary, a metric
# commentary not marked public) are found by their text instead: `Detector.internal_texts`.
INTERNAL_FIELDS: dict[str, str] = {
    "recorded_by": "who recorded a decision or review (a username)",
    "taken_by": "who took a snapshot (a username)",
    "updated_by": "who last updated a record (a username)",
    "created_by": "who created a record (a username)",
    "held_by": "who holds an upload (a username)",
    "actor": "who did something, in the audit log",
    "actor_name": "who did something, in the audit log",
    "author": "who wrote a commentary (a username)",
    "username": "a person's username",
    "user_id": "a person's id",
    "lead_user_id": "the id of the person leading an action",
    "lead_contacts": "people to contact about an action",
    "internal_commentary": "commentary for colleagues",
    "governance_note": "a delivery action's internal governance note",
}
# Not internal: a decision's own note (decision_note) is published with the decision, as a
# board's minute is; the step's description (note) and who recorded it are internal.

# Answers that describe the API rather than the record: their field names are schema, not data.
SCHEMA_PATHS = frozenset({"/api/v1/openapi.json"})


@dataclass(frozen=True)
class Finding:
    url: str
    kind: str  # e-mail, username, field, internal text, refused, server error, broken link
    detail: str

    def __str__(self) -> str:
        return f"{self.url}: {self.kind}: {self.detail}"


def _normal(text: str) -> str:
    return " ".join(html_lib.unescape(text).split())


@dataclass
class Detector:
    """Finds what must not be public in a page's text or a JSON answer.

    `names` are people's usernames and display names (matched as whole words, any case);
    `internal_texts` are stored texts meant for colleagues only, each with a label saying where it
    is kept (matched on their first 80 characters, whitespace and HTML escapes set aside).
    """

    names: Iterable[str] = ()
    internal_texts: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=lambda: dict(INTERNAL_FIELDS))

    def __post_init__(self) -> None:
        names = sorted({n.strip() for n in self.names if n.strip()}, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<![\w@.])(" + "|".join(map(re.escape, names)) + r")(?![\w@])", re.I)
            if names
            else None
        )
        self._texts = {
            _normal(text)[:80]: label
            for text, label in self.internal_texts.items()
            if len(_normal(text)) >= 20  # a short text ("Yes") is no evidence of a leak
        }

    def text(self, url: str, text: str) -> list[Finding]:
        """Any text: a page, a CSV, the strings of a workbook or of a JSON answer."""
        found = [Finding(url, "e-mail", m) for m in sorted(set(EMAIL.findall(text)))]
        plain = _normal(text)
        if self._names is not None:
            seen = {m.group(1).lower() for m in self._names.finditer(plain)}
            found += [Finding(url, "username", name) for name in sorted(seen)]
        found += [
            Finding(url, "internal text", f"{label}: {start!r}")
            for start, label in self._texts.items()
            if start in plain
        ]
        return found

    def json(self, url: str, data: Any) -> list[Finding]:
        """A JSON answer: its internal fields that hold something (null or empty shows nothing),
        then the text of its values."""
        found: list[Finding] = []
        if urlsplit(url).path not in SCHEMA_PATHS:
            for path, key, value in _keys(data, "$"):
                if key in self.fields and value not in (None, "", [], {}):
                    found.append(Finding(url, "field", f"{path}.{key} ({self.fields[key]})"))
        strings = "\n".join(_strings(data))
        return found + self.text(url, strings)


def _keys(data: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """(where, field name, value) of every field, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path, str(key), value
            yield from _keys(value, f"{path}.{key}")
    elif isinstance(data, list):
        for value in data:
            yield from _keys(value, f"{path}[]")


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name == "href" and value and tag in ("a", "area"):
                self.hrefs.append(value)
            elif value and name in ("title", "alt", "aria-label", "value", "content"):
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def read_html(page: str) -> tuple[list[str], str]:
    """The hrefs of a page's links, and its text (with the attributes people read or hear)."""
    parser = _Links()
    parser.feed(page)
    return parser.hrefs, "\n".join(parser.text)


PATH = re.compile(r"^/[A-Za-z0-9_\-./%]*(\?[A-Za-z0-9_\-./%=&+:,]*)?$")


def paths_in_json(data: Any) -> list[str]:
    """Same-site paths a JSON answer gives (its records' URLs), not paths with {templates}."""
    return [s for s in _strings(data) if PATH.match(s) and not s.startswith("//")]


def workbook_text(content: bytes) -> str:
    """The text of every part of an xlsx or docx (shared strings, sheets, document)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [n for n in archive.namelist() if n.endswith(".xml")]
        xml = "\n".join(archive.read(n).decode("utf-8", "replace") for n in parts)
    return re.sub(r"<[^>]+>", " ", xml)


class Client(Protocol):
    def get(self, url: str, *, follow_redirects: bool = ...) -> Any: ...


@dataclass
class Crawl:
    """A bounded walk of one site, signed out: at most `per_path` distinct query strings of one
    path and download format (`?format=csv`), at most `limit` answers in all (reaching it is
    itself a finding)."""

    client: Client
    detector: Detector
    per_path: int = 3
    limit: int = 3000
    skip: Callable[[str], bool] = lambda path: path.startswith("/static/")
    findings: list[Finding] = field(default_factory=list)
    visited: dict[str, int] = field(default_factory=dict)
    linked_from: dict[str, str] = field(default_factory=dict)
    _to_sign_in: set[str] = field(default_factory=set)
    _queries: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def run(self, linked: Iterable[str], seeds: Iterable[str] = ()) -> list[Finding]:
        """Walk from `linked` (pages a visitor is shown: any refusal is a finding) and `seeds`
        (addresses read from the route table, which may rightly refuse a signed-out visitor)."""
        queue: list[tuple[str, str | None]] = [(u, "(start)") for u in linked]
        queue += [(u, None) for u in seeds]
        while queue:
            url, source = queue.pop(0)
            if url in self.visited:
                if source and url not in self.linked_from:  # read as a seed, now met as a link
                    self.linked_from[url] = source
                    self._judge_link(url, self.visited[url], source)
                continue
            if not self._admit(url):
                continue
            if len(self.visited) >= self.limit:
                self.findings.append(Finding(url, "limit", f"more than {self.limit} answers"))
                break
            if source:
                self.linked_from[url] = source
            queue += [(u, url) for u in self._visit(url, source)]
        return self.findings

    def _judge_link(self, url: str, status: int, source: str) -> None:
        """What a link may not lead to: a refusal, the sign-in page, nothing."""
        if url in self._to_sign_in:
            self.findings.append(
                Finding(url, "refused", f"redirects to sign-in (linked from {source})")
            )
        elif status in (401, 403):
            self.findings.append(Finding(url, "refused", f"{status} (linked from {source})"))
        elif status == 404:
            self.findings.append(Finding(url, "broken link", f"404 (linked from {source})"))

    def _admit(self, url: str) -> bool:
        parts = urlsplit(url)
        if self.skip(parts.path):
            return False
        if not parts.query:
            return True
        # Each download format of a path has its own allowance, so that every CSV is read.
        formats = parse_qs(parts.query).get("format", [""])
        queries = self._queries[f"{parts.path}?format={formats[0]}"]
        if parts.query not in queries and len(queries) >= self.per_path:
            return False
        queries.add(parts.query)
        return True

    def _visit(self, url: str, source: str | None) -> list[str]:
        response = self.client.get(url, follow_redirects=False)
        status = response.status_code
        self.visited[url] = status
        if status >= 500:
            origin = f" (linked from {source})" if source else ""
            self.findings.append(Finding(url, "server error", f"{status}{origin}"))
            return []
        target = None
        if status in (301, 302, 303, 307, 308):
            target = self._same_site(url, response.headers.get("location", ""))
            if target and urlsplit(target).path == "/sign-in":
                self._to_sign_in.add(url)
        if source:
            self._judge_link(url, status, source)
        if url in self._to_sign_in:
            return []
        if target is not None or status in (301, 302, 303, 307, 308):
            return [target] if target else []
        # Refusals and errors are scanned too: an error page must not leak either.
        return self._read(url, response)

    def _read(self, url: str, response: Any) -> list[str]:
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/json":
            data = response.json()
            self.findings += self.detector.json(url, data)
            found = paths_in_json(data) if urlsplit(url).path not in SCHEMA_PATHS else []
            return [t for p in found if (t := self._same_site(url, p))]
        if kind == "text/html":
            hrefs, text = read_html(response.text)
            self.findings += self.detector.text(url, text)
            self.findings += [
                Finding(url, "e-mail", f"in the markup: {e}")
                for e in sorted(set(EMAIL.findall(response.text)) - set(EMAIL.findall(text)))
            ]
            return [t for h in hrefs if (t := self._same_site(url, h))]
        if kind.startswith("text/"):
            self.findings += self.detector.text(url, response.text)
        elif response.content[:2] == b"PK":
            self.findings += self.detector.text(url, workbook_text(response.content))
        return []

    @staticmethod
    def _same_site(base: str, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
            return None
        absolute = urljoin("https://testserver" + base, href)
        parts = urlsplit(urldefrag(absolute)[0])
        if parts.netloc != "testserver":
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(route: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", route)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


def addresses(
    fill: Iterable[str], routes: Iterable[str], known: Iterable[str], per_route: int = 200
) -> list[str]:
    """The addresses of the route templates `fill` (`/api/v1/plans/{plan_id}/budget`), each
    parameter given every value it takes in an address of `known` matched against `routes` (at
    most `per_route` addresses of each template)."""
    patterns = [_pattern(r) for r in sorted(set(routes))]
    values: dict[str, set[str]] = defaultdict(set)
    for path in {urlsplit(u).path for u in known}:
        for pattern in patterns:
            if match := pattern.match(path):
                for name, value in match.groupdict().items():
                    values[name].add(value)
    found: list[str] = []
    for route in sorted(set(fill)):
        filled = [route]
        for name in re.findall(r"\{(\w+)\}", route):
            filled = [f.replace("{" + name + "}", v) for f in filled for v in sorted(values[name])]
        found += filled[:per_route]
    return found


def report(findings: Iterable[Finding], allowed: Callable[[Finding], bool]) -> list[str]:
    """Each finding once, as a line, those allowed for now set aside."""
    return sorted({str(f) for f in findings if not allowed(f)})


def dumps(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True)
