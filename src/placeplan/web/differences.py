"""How differences (placeplan.core.differences) read in the JSON API and CSV downloads: one shape
for every preview and comparison (the planning workbook, the tracker, measurements, a plan's
versions)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from placeplan.core.differences import Differences


class FieldChangeOut(BaseModel):
    """One field of a record that changes: raw values and as people read them."""

    field: str
    before: Any = None
    after: Any = None
    before_text: str | None = None
    after_text: str | None = None


class ChangeOut(BaseModel):
    change: Literal["added", "removed", "changed"]
    key: str
    name: str
    fields: list[FieldChangeOut]


class SectionOut(BaseModel):
    title: str
    added: int
    removed: int
    changed: int
    changes: list[ChangeOut]


class DifferencesOut(BaseModel):
    summary: str
    sections: list[SectionOut]


class CheckOut(BaseModel):
    """A check an upload's preview reports, as people read it."""

    severity: str
    message: str


DIFFERENCE_COLUMNS = ["section", "change", "record", "field", "before", "after"]


def difference_rows(found: Differences) -> list[list[str]]:
    """One row per field of each change, as people read it: a preview's or comparison's CSV."""
    return [
        [
            section.title,
            change.kind,
            change.name,
            f.label,
            f.before.text if f.before else "",
            f.after.text if f.after else "",
        ]
        for section in found.sections
        for change in section.changes
        for f in change.fields
    ]
