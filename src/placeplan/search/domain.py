"""Pure rules of search: the kinds of record found and their order, how a person's words become
a full-text query for each database, and how hits are grouped for the page."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The kinds, in the order their groups are shown, with the heading of each group.
KINDS: dict[str, str] = {
    "plan": "Plans",
    "scheme": "Schemes",
    "metric": "Metrics",
    "action": "Actions",
    "pledge": "Pledges",
    "organisation": "Organisations",
}
MAX_WORDS = 12
MAX_HITS = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def words(query: str) -> list[str]:
    """The words of what was typed, punctuation dropped (so nothing typed is query syntax)."""
    return [w.lower() for w in _WORD.findall(query or "")][:MAX_WORDS]


def fts5_match(query: str) -> str | None:
    """SQLite FTS5: every word, each as a quoted prefix (`"care"* "home"*`); None for nothing."""
    found = words(query)
    return " ".join(f'"{w}"*' for w in found) or None


def tsquery(query: str) -> str | None:
    """PostgreSQL to_tsquery text: every word as a prefix (`care:* & home:*`); None for nothing.
    Words are only letters, digits and underscores, so none of them is tsquery syntax."""
    found = words(query)
    return " & ".join(f"{w}:*" for w in found) or None


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    title: str
    detail: str | None
    url: str


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    hits: list[Hit]


def grouped(hits: list[Hit]) -> list[Group]:
    """The hits by kind, in the kinds' order, each kind's hits in the order found (best first);
    kinds with no hits are left out."""
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    return [Group(kind, KINDS[kind], by_kind[kind]) for kind in KINDS if kind in by_kind]
