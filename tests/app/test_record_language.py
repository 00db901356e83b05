"""The record's language (issue #12, part 4): every page of the demo, signed out and signed in as
the Leicestershire BCF lead, speaks in names, labels and document titles. Its visible text (the
HTML's text, not attributes or addresses), every CSV it offers and the planning workbooks it
exports hold no snake_case identifier, no key of an organisation, body, metric, plan or source,
no mention of the demo's seed documents or of a file of the repository, and no raw decimal of
four places or more. The same walk reads each page for what would make a browser ask a server
other than the app (issue #12, part 1: tests/app/outside.py), and then each style sheet and
script the pages load. The scanners are tried first on small samples, so that a finding they miss
makes this file fail."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placeplan.app.factory import create_app
from placeplan.budget import service as budget
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.demo.loader import DEMO_PASSWORD
from placeplan.governance.models import Body
from placeplan.measures.models import Metric
from placeplan.organisations.models import Organisation
from placeplan.plans.models import Plan
from placeplan.sources.models import Source
from placeplan.store.db import make_engine, session_factory
from tests.app import outside
from tests.app.public_leaks import Crawl, Finding
from tests.fixtures.web import Browser

LEAD = "bcf.lead@leics.demo"

# Genuine content that looks like an internal word, each with why it may show. Each entry is
# (address pattern, kind, pattern of what was found); an entry that matches nothing fails the test.
ALLOWED: dict[tuple[str, str, str], str] = {
    (r"/metrics/[^/]+/import", "snake_case", r"area_code|breakdown_value"): (
        "the import page names the columns a file must have, as the file spells them"
    ),
    (r"/plans/\d+/delivery/tracker\.xlsx", "file name", r"FILE\.xlsx"): (
        "the tracker workbook gives the command that imports it; FILE.xlsx stands for its name"
    ),
    (r"/audit", "key", r".*"): (
        "the audit history shows every field a change set, an organisation's or body's key among"
        " them (the key the workbook and the command line name it by)"
    ),
}

# Swagger UI's bundle names these hosts, none of which it asks: the XML, JSON Schema and OpenAPI
# namespaces and specifications it cites, React's and Redux's error help, social sites its
# URL-sniffing library knows by name, and its validator badge, which /static/swagger-init.js
# turns off (validatorUrl: null). The page's policy would stop a request to any of them: the
# browser test (tests/app/test_offline_browser.py) sees it asked for none. A host not here fails.
VENDOR_HOSTS: dict[str, set[str]] = {
    "/static/swagger-ui/swagger-ui-bundle.js": {
        "www.w3.org",
        "datatracker.ietf.org",
        "www.rfc-editor.org",
        "spec.openapis.org",
        "json-schema.org",
        "github.com",
        "validator.swagger.io",
        "www.tiktok.com",
        "twitter.com",
        "instagram.com",
        "example.com",
        "www.facebook.com",
        "vladimirgorej.com",
        "swagger.io",
        "spdx.org",
        "soundcloud.com",
        "redux.js.org",
        "reactjs.org",
        "fb.me",
    },
}

SNAKE = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/-])")
SEED = re.compile(
    r"(?<!random )\bseed(?:s|[- ]?0\d\d)?\b", re.I
)  # a simulation's random seed is not
FILE = re.compile(
    r"(?<![\w/])[\w-]+\.(?:ya?ml|py|md|txt|xlsx|xlsm|docx|csv|json|sqlite3?|toml|html)\b"
)
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d{4,}(?!\w)")


@dataclass
class Language:
    """Finds internal words in a text: the detector the crawler calls (`text`, `json`). A page is
    read for every kind; a file (`files=True`: a CSV, a workbook) only for the keys of records
    it names by name (organisations, bodies, sources), seeds and file names, since its columns
    also carry the codes and full-precision figures other programs read it by."""

    keys: Iterable[str] = ()
    files: bool = False

    def __post_init__(self) -> None:
        # Keys as whole words, in their own case: "leics-cc", "ae_within_4_hours", "LLR-ICB".
        keys = sorted({k for k in self.keys if k}, key=len, reverse=True)
        self._keys = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, keys)) + r")(?![\w/-])")

    def text(self, url: str, text: str) -> list[Finding]:
        plain = " ".join(text.split())
        found = [Finding(url, "key", m) for m in self._keys.findall(plain)]
        found += [Finding(url, "seed", m) for m in SEED.findall(plain)]
        found += [Finding(url, "file name", m) for m in FILE.findall(plain)]
        if not self.files:
            found += [Finding(url, "snake_case", m) for m in SNAKE.findall(plain)]
            found += [Finding(url, "raw decimal", m) for m in DECIMAL.findall(plain)]
        return found

    def json(self, url: str, data: Any) -> list[Finding]:
        """The API answers in keys and ids by design: not scanned."""
        return []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A textarea holds what a form would save, as an input's value does: data being edited
        # (a capacity model's scenario is edited as YAML), not words the page says.
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        for name, value in attrs:
            if name == "href" and value and tag in ("a", "area"):
                self.hrefs.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def page_text(page: str) -> tuple[list[str], str]:
    """A page's links and its visible text (no attributes, no addresses, no scripts)."""
    parser = _Text()
    parser.feed(page)
    return parser.hrefs, "\n".join(parser.text)


def csv_text(content: str) -> str:
    """A CSV's cells below its header (the header names columns for machines as well)."""
    rows = list(csv.reader(io.StringIO(content)))
    return "\n".join(" | ".join(row) for row in rows[1:])


def workbook_strings(content: bytes) -> str:
    """The text cells of an xlsx: its shared strings and inline strings."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/") and n.endswith(".xml")]
        xml = "\n".join(archive.read(n).decode("utf-8", "replace") for n in parts)
    return "\n".join(html.unescape(t) for t in re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", xml))


@dataclass
class LanguageCrawl(Crawl):
    """The public crawl's walk, reading each page with `detector` and each file with `files`."""

    files: Language = field(default_factory=lambda: Language(files=True))
    assets: set[str] = field(default_factory=set)  # the app's style sheets and scripts pages load

    def _read(self, url: str, response: Any) -> list[str]:
        kind = response.headers.get("content-type", "").split(";")[0].strip()
        if kind in ("text/html", "image/svg+xml"):
            self._outside(url, response)
        if kind == "text/html":
            hrefs, text = page_text(response.text)
            self.findings += self.detector.text(url, text)
            return [t for h in hrefs if (t := self._same_site(url, h))]
        if kind == "text/csv":
            self.findings += self.files.text(url, csv_text(response.text))
        elif response.content[:2] == b"PK" and urlsplit(url).path.endswith(".xlsx"):
            self.findings += self.files.text(url, workbook_strings(response.content))
        return []

    def _outside(self, url: str, response: Any) -> None:
        """What in this answer would make a browser ask another server: its markup, and a
        policy that would let its scripts."""
        path = urlsplit(url).path
        found, assets = outside.in_page(path, response.text)
        problems = outside.policy_problems(response.headers.get("content-security-policy"))
        self.findings += [Finding(url, "outside", f"asks {address}") for address in found]
        self.findings += [Finding(url, "outside", f"its policy: {p}") for p in problems]
        self.assets.update(assets)

    def read_assets(self) -> None:
        """Each style sheet, script and icon the pages loaded: a sheet or an icon asks the app
        alone; a script names no outside address but those VENDOR_HOSTS lists for it."""
        for path in sorted(self.assets):
            response = self.client.get(path)
            if response.status_code != 200:
                self.findings.append(Finding(path, "outside", f"{response.status_code}"))
            elif path.endswith(".css"):
                self.findings += [
                    Finding(path, "outside", f"asks {address}")
                    for address in outside.in_style(path, response.text)
                ]
            elif path.endswith(".svg"):  # an icon: its markup, as a page's
                found, _ = outside.in_page(path, response.text)
                self.findings += [Finding(path, "outside", f"asks {a}") for a in found]
            else:
                named = outside.hosts_in_script(response.text)
                self.findings += [
                    Finding(path, "outside", f"names {host}")
                    for host in sorted(named - VENDOR_HOSTS.get(path, set()))
                ]


# ---- the scanner, on a sample: each internal word put in front of it is found


def test_the_scanner_finds_keys_codes_seeds_files_and_raw_decimals():
    scan = Language(keys=["leics-cc", "ae_within_4_hours", "seed-000"])
    _, text = page_text(
        "<main><h1 title='ignored_attribute'>Income</h1><p>leics-cc gives £1m.</p>"
        "<p>Category: intermediate_care_and_discharge</p><p>Source: Seed 003, Table 13"
        " (REFERENCE.md)</p><p>(seed 002) The seed gives no year.</p><script>var a_b=1</script>"
        "<p>Metric: ae_within_4_hours. Ambition 150.000000; read llr.yaml</p>"
        "<a href='/plans/leics-cc_x'>Leicestershire County Council</a></main>"
    )
    found = sorted((f.kind, f.detail) for f in scan.text("/p", text))
    assert found == [
        ("file name", "REFERENCE.md"),
        ("file name", "llr.yaml"),
        ("key", "ae_within_4_hours"),
        ("key", "leics-cc"),
        ("raw decimal", "150.000000"),
        ("seed", "Seed 003"),
        ("seed", "seed"),
        ("seed", "seed 002"),
        ("snake_case", "ae_within_4_hours"),
        ("snake_case", "intermediate_care_and_discharge"),
    ]
    clean = "<p>Leicestershire County Council gives £1,600,000 (42.5%) in 2025-26, e.g. B1.</p>"
    assert scan.text("/p", page_text(clean)[1]) == []
    assert csv_text("org_key,amount\nleics-cc,1.5\n") == "leics-cc | 1.5"


def test_the_outside_scanner_finds_what_would_leave_the_app():
    page = (
        "<html><head><link rel='stylesheet' href='https://fonts.example.net/f.css'>"
        "<link rel='stylesheet' href='/static/placeplan.css'><script src='/static/init.js'>"
        "</script><style>@import 'https://cdn.example.net/x.css'; .a{background:url(/ok.png)}"
        "</style></head><body><img src='//img.example.net/a.png' alt=''>"
        "<img srcset='/a.png 1x, https://img.example.org/b.png 2x' alt=''>"
        "<div style=\"background: url('https://bg.example.net/b.png')\"></div>"
        "<form action='https://post.example.net/'></form><img src='data:image/png,x' alt=''>"
        "<a href='https://www.england.nhs.uk/'>a document a person may open</a></body></html>"
    )
    found, assets = outside.in_page("/plans/1", page)
    assert sorted(found) == [
        "https://bg.example.net/b.png",
        "https://cdn.example.net/x.css",
        "https://fonts.example.net/f.css",
        "https://img.example.net/a.png",
        "https://img.example.org/b.png",
        "https://post.example.net/",
    ]
    assert assets == ["/static/placeplan.css", "/static/init.js"]
    assert outside.in_style("/static/a.css", 'a{b:url("https://f.example.net/x.woff2")}') == [
        "https://f.example.net/x.woff2"
    ]
    assert outside.in_style("/static/a.css", "a{b:url(data:image/svg+xml,<svg/>)}") == []
    assert outside.policy_problems("default-src 'self'; connect-src 'self' https://x.net") == [
        "connect-src allows https://x.net"
    ]
    assert outside.policy_problems("script-src 'self'") != []  # no default-src
    assert outside.policy_problems(None) == ["no Content-Security-Policy"]
    assert outside.hosts_in_script("fetch('https://api.example.net/v1')") == {"api.example.net"}


# ---- the demo, crawled signed out and signed in


def demo_keys(session: Session) -> tuple[list[str], list[str]]:
    """Every key the demo's records are known by in the code and the files: those of records
    named by name in files too (organisations, bodies, sources), then the rest (metrics, plans)."""
    named = [
        k for c in (Organisation.key, Body.key, Source.key) for k in session.scalars(select(c))
    ]
    rest = [k for c in (Metric.key, Plan.key) for k in session.scalars(select(c)) if k]
    return named, rest


@pytest.fixture(scope="module")
def demo(
    demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, tuple[list[str], list[str]], sessionmaker[Session]]]:
    path = tmp_path_factory.mktemp("language") / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    with sessions() as session:
        keys = demo_keys(session)
    yield create_app(Settings(database_url=str(engine.url)), engine=engine), keys, sessions
    engine.dispose()


def _allowance(finding: Finding) -> tuple[str, str, str] | None:
    for entry in ALLOWED:
        pattern, kind, detail = entry
        if (
            re.fullmatch(pattern, finding.url.split("?")[0])
            and finding.kind == kind
            and re.fullmatch(detail, finding.detail)
        ):
            return entry
    return None


def _walk(client: TestClient, keys: tuple[list[str], list[str]]) -> LanguageCrawl:
    named, rest = keys
    crawl = LanguageCrawl(
        client,
        Language(keys=named + rest),
        per_path=3,
        limit=4000,
        files=Language(keys=named, files=True),
    )
    crawl.run(["/", "/api/docs"])
    crawl.read_assets()
    return crawl


def _problems(crawl: LanguageCrawl) -> tuple[list[str], set[tuple[str, str, str]]]:
    wanted = ("key", "snake_case", "seed", "file name", "raw decimal", "limit", "outside")
    found = [f for f in crawl.findings if f.kind in wanted]
    problems = sorted({str(f) for f in found if _allowance(f) is None})
    return problems, {a for f in found if (a := _allowance(f))}


def test_every_page_speaks_the_record_language(demo):
    app, keys, _ = demo
    used: set[tuple[str, str, str]] = set()
    lines: list[str] = []
    visited = 0
    assets: set[str] = set()
    for who in (None, LEAD):
        browser = Browser(TestClient(app, base_url="https://testserver"))
        if who:
            browser.sign_in(who, DEMO_PASSWORD)
        crawl = _walk(browser.client, keys)
        visited += len(crawl.visited)
        assets |= crawl.assets
        problems, allowed = _problems(crawl)
        used |= allowed
        lines += [f"[{who or 'signed out'}] {p}" for p in problems]
    stale = sorted(str(e) for e in set(ALLOWED) - used)
    assert visited > 600, visited  # the walks reached the record
    # and read the style sheets and scripts: NHS.UK frontend's, Swagger UI's and the app's own
    assert {"/static/swagger-ui/swagger-ui-bundle.js", "/static/placeplan.css"} <= assets, assets
    assert not lines and not stale, (
        f"{len(lines)} internal word(s) over {visited} answers:\n"
        + "\n".join(lines)
        + ("\nno longer found, so remove from ALLOWED:\n" + "\n".join(stale) if stale else "")
    )


def test_the_planning_workbook_names_organisations_and_reads_its_names_back(demo):
    """The export writes each contributor, district council and body by name; the import reads
    a name back to its key, so the workbook imported as a new plan holds the same budget."""
    _, (named, _), sessions = demo
    with sessions() as session:
        plan = session.scalars(select(Plan).where(Plan.key == "leics-bcf-2025-26")).one()
        content = budget.export_workbook(session, operator(), plan.id).content
        text = workbook_strings(content)
        # llr.yaml: the County Council gives the iBCF; Blaby receives part of the DFG
        for name in ("Leicestershire County Council", "Blaby District Council"):
            assert name in text
        assert Language(keys=named, files=True).text("the workbook", text) == []
        copy, _ = budget.import_workbook(session, operator(), io.BytesIO(content))
        before = budget.view(session, operator(), plan.id).document
        after = budget.view(session, operator(), copy.id).document
        assert after.income == before.income and after.top_slices == before.top_slices
        assert [x.district for x in after.lines] == [x.district for x in before.lines]
        assert any(x.district == "blaby-dc" for x in after.lines)
        session.rollback()
