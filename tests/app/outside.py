"""What in a page, a style sheet or a script would make a browser ask a server other than the
app's (issue #12, part 1), read from the answers themselves, so that every page of the demo is
checked without a browser. Pure: text in, findings out, tried on samples in
tests/app/test_record_language.py.

A page's requests come from its markup (an element's `src`, `srcset`, `poster`, `data`, a
`<link>`'s `href`, a form's `action` or `formaction`, a `url()` or `@import` in a style), from
its style sheets (`url()`, `@import`), and from its scripts. Markup and style sheets are read
whole. Scripts are two guards: the Content-Security-Policy every page carries lets a script reach
the app alone (checked on every page), and our own scripts name no outside address at all.
Links a person follows (`<a href>`) are not requests the page makes and may lead anywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

APP = "https://testserver"

# Attributes whose address the browser fetches (or posts to) by itself.
FETCHED = {"src", "srcset", "poster", "data", "action", "formaction", "background"}
URL_IN_STYLE = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)

# The policy's directives that say where a page's resources may come from; each may name the
# app ('self'), nothing ('none'), inline styles, or data: and blob: addresses (no server).
FETCH_DIRECTIVES = (
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "object-src",
    "media-src",
    "frame-src",
    "worker-src",
    "manifest-src",
    "form-action",
    "base-uri",
)
NO_SERVER = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


def _outside(base: str, address: str) -> str | None:
    """The absolute address if `address`, read on page `base`, leads off the app; else None."""
    address = address.strip()
    if not address or address.startswith(("data:", "blob:", "#", "about:")):
        return None
    absolute = urljoin(APP + base, address)
    parts = urlsplit(absolute)
    if parts.scheme in ("http", "https", "") and parts.netloc in ("testserver", ""):
        return None
    return absolute


def in_style(base: str, text: str) -> list[str]:
    """The outside addresses a style (a sheet, a `<style>`, a `style` attribute) would load."""
    found = []
    for match in URL_IN_STYLE.finditer(text):
        address = match.group(2) if match.group(2) is not None else match.group(4)
        if address and (outside := _outside(base, address)):
            found.append(outside)
    return found


class _Requests(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.outside: list[str] = []
        self.assets: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        fetched = [v for n, v in values.items() if n in FETCHED - {"srcset"}]
        # a srcset lists "address width" pairs
        fetched += [p.split()[0] for p in values.get("srcset", "").split(",") if p.strip()]
        if tag == "link" and "href" in values:
            fetched.append(values["href"])
            self.assets.append(values["href"])
        if tag == "script" and "src" in values:
            self.assets.append(values["src"])
        self.outside += [o for a in fetched if (o := _outside(self.base, a))]
        if "style" in values:
            self.outside += in_style(self.base, values["style"])
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.outside += in_style(self.base, data)


def in_page(base: str, page: str) -> tuple[list[str], list[str]]:
    """The outside addresses page `base`'s markup would load or post to, and the app's style
    sheets and scripts it loads (addresses on the app, to be read in turn)."""
    parser = _Requests(base)
    parser.feed(page)
    assets = [a for a in parser.assets if _outside(base, a) is None]
    return parser.outside, [urlsplit(urljoin(APP + base, a)).path for a in assets]


def policy_problems(policy: str | None) -> list[str]:
    """Why a Content-Security-Policy would let a page reach another server, or [] when it lets
    every kind of request reach the app alone."""
    if not policy:
        return ["no Content-Security-Policy"]
    directives = {parts[0]: parts[1:] for d in policy.split(";") if (parts := d.split())}
    if "default-src" not in directives:
        return ["no default-src: what the policy does not name may come from anywhere"]
    return [
        f"{name} allows {source}"
        for name in FETCH_DIRECTIVES
        for source in directives.get(name, [])
        if source not in NO_SERVER and not source.startswith("'nonce-")
    ]


ABSOLUTE = re.compile(r"https?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def hosts_in_script(text: str) -> set[str]:
    """The hosts a script names in an absolute address (in code, strings or comments)."""
    return {m.group(1).lower() for m in ABSOLUTE.finditer(text)}
