"""How the audit log reads for people, pure: each kind of record's noun, its name, its fields'
labels and which fields are money, references to other records or codes; values as text (pounds,
names, labels, dates); one user action's events as one sentence.

Earlier concepts' kinds are described in `audit.service.kinds`; later concepts describe their own
with `describe_kind` in their present layer, and the service asks for them through a hook. A kind
nobody described still reads, in words made from its column names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from placeplan.core.differences import FieldChange, Record, Value, compare, plural
from placeplan.core.money import format_pence

State = Mapping[str, Any]
UK = ZoneInfo("Europe/London")

# Columns that say nothing to a reader: keys, bookkeeping and flags the pages show in other ways.
INTERNAL = frozenset(
    {"id", "version", "plan_id", "illustrative", "position", "period_sort", "updated_at"}
)

# What each recorded action reads as, past tense ("2 lines changed", "1 plan submitted").
WORDS: dict[str, str] = {
    "create": "added",
    "update": "changed",
    "delete": "removed",
    "sign_off": "decided",
    "submitted": "submitted",
    "approve": "approved",
    "approved": "approved",
    "published": "published",
    "draft": "returned to draft",
    "return_to_draft": "returned to draft",
    "reopen": "reopened",
    "revoke": "revoked",
    "sign_in": "signed in",
    "sign_in_failed": "failed sign-in",
    "sign_in_locked": "sign-in locked",
}
PLAIN_ACTIONS = frozenset({"create", "update", "delete"})


class Names(Protocol):
    """The name of another record, as the log last recorded it (None when it never did)."""

    def name(self, kind: str, ident: int) -> str | None: ...


Namer = Callable[[State, Names], str]


def word(action: str) -> str:
    return WORDS.get(action) or action.replace("_", " ")


def humanise(column: str) -> str:
    """`sub_type` -> "Sub type": for a column nobody labelled."""
    text = column.removesuffix("_pence").removesuffix("_id").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def when(moment: datetime) -> str:
    """UK time, as people in the system read it: "27 February 2025 at 14:03"."""
    local = moment.astimezone(UK)
    return f"{long_date(local.date())} at {local:%H:%M}"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if _DATE.match(value):
            return long_date(date.fromisoformat(value))
        if _MOMENT.match(value):
            try:
                return when(datetime.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        return "; ".join(f"{humanise(str(k))}: {_plain_text(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Kind:
    """One kind of record as the audit history shows it."""

    kind: str
    noun: str
    namer: Namer
    labels: Mapping[str, str] = field(default_factory=dict)
    money: frozenset[str] = frozenset()
    refs: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    part: str | None = None
    belongs_to: tuple[str, str] | None = None
    verbs: Mapping[str, str] = field(default_factory=dict)

    def name(self, state: State | None, names: Names) -> str:
        if not state:
            return self.noun
        return self.namer(state, names) or self.noun

    def phrase(self, name: str) -> str:
        """How a sentence names the record: "Line S1 of Home first", "the scheme Home first",
        "Leicestershire BCF plan 2025-26" (a name that says what it is needs no noun)."""
        return name if self.noun.lower() in name.lower() else f"the {self.noun} {name}"

    def shown(self, column: str) -> bool:
        return column in self.labels or (column not in INTERNAL and column not in self.hidden)

    def label(self, column: str) -> str:
        return self.labels.get(column) or humanise(column)

    def references(self, state: State | None) -> set[tuple[str, int]]:
        """The other records a state points at, (kind, id): their names are looked up."""
        if not state:
            return set()
        return {
            (kind, value)
            for column, kind in self.refs.items()
            if isinstance(value := state.get(column), int) and not isinstance(value, bool)
        }

    def text(self, column: str, value: Any, names: Names) -> str:
        """A value as a person reads it: pounds, names, labels, dates, Yes or No."""
        if value is None or value == "" or value == []:
            return ""
        if column in self.formats:
            return self.formats[column](value)
        if isinstance(value, list):
            return ", ".join(self.text(column, item, names) for item in value)
        if column in self.money and isinstance(value, int):
            return format_pence(value)
        if column in self.refs and isinstance(value, int):
            ref_kind = self.refs[column]
            return names.name(ref_kind, value) or f"unknown {humanise(ref_kind).lower()}"
        if column in self.choices:
            return self.choices[column].get(str(value), _plain_text(value))
        return _plain_text(value)

    def record(self, state: State, names: Names) -> Record:
        """The state as core.differences compares it: its name and each shown field by label."""
        ordered = [c for c in self.labels if c in state]
        ordered += sorted(c for c in state if c not in self.labels)
        return Record(
            self.name(state, names),
            {
                self.label(c): Value(state[c], self.text(c, state[c], names))
                for c in ordered
                if self.shown(c)
            },
        )

    def fields(
        self, before: State | None, after: State | None, names: Names
    ) -> tuple[FieldChange, ...]:
        """What moved: for a change the fields that did; for an addition or removal the fields
        with something in them (core.differences.compare)."""
        old = {"r": self.record(before, names)} if before is not None else {}
        new = {"r": self.record(after, names)} if after is not None else {}
        section = compare(self.noun, self.noun, old, new)
        return section.changes[0].fields if section.changes else ()


def _namer(name: str | Namer, within: str | None, refs: Mapping[str, str]) -> Namer:
    """A namer from a column ("title"), a template or text ("Line {ref}", "Run") or a function;
    `within` names
    the reference whose record follows "of": "Line S1-1 of Home first"."""

    def own(state: State, names: Names) -> str:
        if callable(name):
            return name(state, names)
        if name.isidentifier() and name.islower():
            return str(state.get(name) or "")
        return name.format_map({k: "" if v is None else v for k, v in state.items()}).strip()

    if within is None:
        return own

    def nested(state: State, names: Names) -> str:
        parent = state.get(within)
        parent_name = names.name(refs[within], parent) if isinstance(parent, int) else None
        mine = own(state, names)
        return f"{mine} of {parent_name}".strip() if parent_name else mine

    return nested


def describe_kind(
    kind: str,
    *,
    noun: str,
    name: str | Namer = "name",
    within: str | None = None,
    labels: Mapping[str, str] | None = None,
    money: Iterable[str] = (),
    refs: Mapping[str, str] | None = None,
    choices: Mapping[str, Mapping[str, str]] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    hidden: Iterable[str] = (),
    part: str | None = None,
    belongs_to: tuple[str, str] | None = None,
    verbs: Mapping[str, str] | None = None,
) -> Kind:
    """How the audit history reads records of `kind` (the `entity_kind` its writes record).

    `noun` is singular ("line"); `name` a column, a template over the state ("Line {ref}") or a
    function (state, names); `within` a reference column whose record's name follows "of";
    `labels` each shown column's label, in order; `money` columns in pence; `refs` columns holding
    another record's id, by that record's kind; `choices` code -> label per column; `hidden`
    columns never shown (besides ids, versions and flags); `part` what the kind belongs to in a
    plan ("the budget"); `belongs_to` (column, kind) when its state holds no plan_id but its
    parent's does; `verbs` how an action other than add, change or remove leads a sentence
    ("submitted": "submitted").
    """
    refs = dict(refs or {})
    return Kind(
        kind=kind,
        noun=noun,
        namer=_namer(name, within, refs),
        labels=dict(labels or {}),
        money=frozenset(money),
        refs=refs,
        choices=dict(choices or {}),
        formats=dict(formats or {}),
        hidden=frozenset(hidden),
        part=part,
        belongs_to=belongs_to,
        verbs=dict(verbs or {}),
    )


def _guessed_name(state: State, names: Names) -> str:
    for column in ("name", "title", "display_name", "ref", "key"):
        if state.get(column):
            return str(state[column])
    return ""


class Registry:
    """Every described kind; a kind nobody described reads from its column names."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        self._kinds = {k.kind: k for k in kinds}

    def __contains__(self, kind: str) -> bool:
        return kind in self._kinds

    def kind(self, kind: str) -> Kind:
        found = self._kinds.get(kind)
        if found is None:
            noun = kind.removeprefix("bcf_").replace("_", " ")
            found = Kind(kind=kind, noun=noun, namer=_guessed_name)
            self._kinds[kind] = found
        return found

    def children(self) -> list[Kind]:
        """Kinds whose plan is their parent's (a KLOE review's scheme's plan)."""
        return [k for k in self._kinds.values() if k.belongs_to is not None]


class Book:
    """Names of records from their latest recorded states: the current name of one that exists,
    the last of one removed (Names)."""

    def __init__(self, registry: Registry, states: Mapping[tuple[str, int], State]) -> None:
        self.registry = registry
        self.states = states
        self._depth = 0

    def name(self, kind: str, ident: int) -> str | None:
        state = self.states.get((kind, ident))
        if state is None or self._depth > 4:
            return None
        self._depth += 1
        try:
            return self.registry.kind(kind).name(state, self) or None
        finally:
            self._depth -= 1


@dataclass(frozen=True)
class Count:
    """How many records of one kind one action touched, and how."""

    kind: str
    action: str
    n: int


def summary(counts: Iterable[Count], registry: Registry, most: int = 6) -> str:
    """ "2 lines changed, 1 scheme added", as core.differences words it; long lists end "and N
    more kinds of change"."""
    merged: dict[tuple[str, str], int] = {}
    for c in counts:
        if c.n > 0:
            key = (registry.kind(c.kind).noun, word(c.action))
            merged[key] = merged.get(key, 0) + c.n
    parts = [f"{n:,} {plural(noun, n)} {verb}" for (noun, verb), n in merged.items()]
    if len(parts) > most:
        rest = len(parts) - most
        parts = parts[:most] + [f"and {rest} more {plural('kind', rest)} of change"]
    return ", ".join(parts)


@dataclass(frozen=True)
class Lead:
    """The event an action is named after (a submission, a decision), already described."""

    kind: str
    action: str
    phrase: str


def sentence(
    person: str,
    counts: list[Count],
    registry: Registry,
    lead: Lead | None,
    scope: str | None,
) -> str:
    """One action in words: "Bea Lead changed the budget of County BCF 2025-26: 2 lines changed",
    "Sam Finch submitted the plan County BCF 2025-26: 1 snapshot added"."""
    if lead is not None:
        verb = registry.kind(lead.kind).verbs.get(lead.action) or word(lead.action)
        rest = [
            Count(c.kind, c.action, c.n - 1)
            if (c.kind, c.action) == (lead.kind, lead.action)
            else c
            for c in counts
        ]
        tail = summary(rest, registry)
        return f"{person} {verb} {lead.phrase}" + (f": {tail}" if tail else "")
    total = sum(c.n for c in counts)
    parts = {registry.kind(c.kind).part for c in counts}
    part = parts.pop() if len(parts) == 1 else None
    target = f"{part} of {scope}" if part and scope else (part or scope)
    if target:
        return f"{person} changed {target}: {summary(counts, registry)}"
    return f"{person} made {total:,} {plural('change', total)}: {summary(counts, registry)}"
