"""What changed between two states of a record set, in the record's language: names, labels and
pounds. Pure: each concept turns its own records into `Record`s and calls `compare`; pages, the API,
the CLI and upload previews all show the same `Differences`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Value:
    """One field's value: `raw` as the JSON answer keeps it, `text` as a person reads it."""

    raw: Any
    text: str


@dataclass(frozen=True)
class Record:
    """One record as compared: its name for people and its fields by label, in display order."""

    name: str
    fields: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: Value | None
    after: Value | None

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.label,
            "before": self.before.raw if self.before else None,
            "after": self.after.raw if self.after else None,
            "before_text": self.before.text if self.before else None,
            "after_text": self.after.text if self.after else None,
        }


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    key: str
    name: str
    fields: tuple[FieldChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "change": self.kind,
            "key": self.key,
            "name": self.name,
            "fields": [f.as_json() for f in self.fields],
        }


@dataclass(frozen=True)
class Section:
    """The changes to one kind of record: `noun` is singular ("scheme", "figure") for summaries."""

    title: str
    noun: str
    changes: tuple[Change, ...] = ()

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "added": self.count("added"),
            "removed": self.count("removed"),
            "changed": self.count("changed"),
            "changes": [c.as_json() for c in self.changes],
        }


@dataclass(frozen=True)
class Differences:
    sections: tuple[Section, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(s.changes for s in self.sections)

    def summary(self) -> str:
        """ "3 lines changed, 1 scheme added", or "No changes"."""
        parts: list[str] = []
        for section in self.sections:
            for kind in ("changed", "added", "removed"):
                n = section.count(kind)
                if n:
                    parts.append(f"{n} {plural(section.noun, n)} {kind}")
        return ", ".join(parts) if parts else "No changes"

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "sections": [s.as_json() for s in self.sections if s.changes],
        }


def plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def compare(
    title: str, noun: str, before: Mapping[str, Record], after: Mapping[str, Record]
) -> Section:
    """Records matched by their stable keys: removed, then changed and added in `after`'s order."""
    changes: list[Change] = []
    for key, old in before.items():
        if key not in after:
            changes.append(Change("removed", key, old.name, _fields(old, None)))
    for key, new in after.items():
        old_record = before.get(key)
        if old_record is None:
            changes.append(Change("added", key, new.name, _fields(None, new)))
            continue
        moved = _fields(old_record, new, only_changed=True)
        if moved:
            changes.append(Change("changed", key, new.name, moved))
    return Section(title, noun, tuple(changes))


def _fields(
    before: Record | None, after: Record | None, only_changed: bool = False
) -> tuple[FieldChange, ...]:
    """Each field's before and after; for a changed record only those that moved, and for an added
    or removed one only those with something to show."""
    labels: list[str] = list(before.fields) if before else []
    labels += [k for k in (after.fields if after else {}) if k not in labels]
    out = []
    if only_changed and before and after and before.name != after.name:
        out.append(
            FieldChange("Name", Value(before.name, before.name), Value(after.name, after.name))
        )
    for label in labels:
        old = before.fields.get(label) if before else None
        new = after.fields.get(label) if after else None
        shown = old if old is not None else new
        if only_changed and _same(old, new):
            continue
        if not only_changed and (shown is None or shown.text == ""):
            continue
        out.append(FieldChange(label, old, new))
    return tuple(out)


def _same(a: Value | None, b: Value | None) -> bool:
    if a is None or b is None:
        return (a is None or a.raw in (None, "")) and (b is None or b.raw in (None, ""))
    return bool(a.raw == b.raw)


def differences(sections: Iterable[Section]) -> Differences:
    return Differences(tuple(sections))
