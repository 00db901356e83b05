"""The tracker workbook's data, as io writes and reads it: plain values, no database rows.

`TrackerExport` is what an export shows for one reporting period; `TrackerActionIn` and
`TrackerMilestoneIn` are the rows a read workbook gives, applied by the service. `same` and `moved`
say which values a row changes, as the import compares them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from placeplan.core.periods import QuarterOrMonth
from placeplan.delivery.domain.rows import Rating


@dataclass(frozen=True)
class ExportPlan:
    id: int
    title: str


@dataclass
class ExportMilestone:
    ref: str
    by_text: str
    due_date: date | None
    done_date: date | None
    version: int


@dataclass
class ExportAction:
    """One action as the workbook shows it: `values` holds its fields (ACTION_FIELDS), `body` the
    name of the governance body it reports to."""

    id: int
    ref: str
    theme: str
    priority_ref: str
    priority: str
    values: dict[str, Any]
    body: str | None
    lead_user_id: int | None
    version: int
    milestones: list[ExportMilestone] = field(default_factory=list)


@dataclass
class ExportUpdate:
    """An action's update for exactly the exported period: `values` holds UPDATE_FIELDS."""

    values: dict[str, Any]
    version: int


@dataclass
class TrackerExport:
    """Everything the tracker workbook shows for one reporting period."""

    plan: ExportPlan
    period: QuarterOrMonth
    rag_definitions: dict[str, dict[str, str]]
    principles: list[dict[str, Any]]
    plus_groups: list[dict[str, Any]]
    actions: list[ExportAction]
    updates: dict[int, ExportUpdate]  # action id -> its update for exactly this period
    last_rag: dict[int, Rating]  # action id -> its latest rating before this period
    usernames: dict[int, str]


@dataclass
class TrackerActionIn:
    """One row of the tracker as read: `values` holds only the fields whose columns were there,
    with `body` and `lead_user` as typed (a body's name or key, a username). `version` is the action's
    version when exported (None for a new row); `update_version` that of the period's update
    (0 when there was none)."""

    sheet: str
    row: int
    ref: str
    priority_ref: str | None
    version: int | None
    values: dict[str, Any]
    update: dict[str, Any] | None = None
    update_version: int | None = None


@dataclass
class TrackerMilestoneIn:
    sheet: str
    row: int
    action_ref: str
    ref: str | None
    version: int | None
    values: dict[str, Any]  # by_text, due_date, done_date (those whose columns were there)


def same(value: Any) -> Any:
    """A value as compared: blank text is no value, text compares without its outer spaces,
    dates as the audit log writes them, lists without blank items."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, date):
        return value.isoformat()
    return value


def moved(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    return [k for k, v in wanted.items() if same(v) != same(current.get(k))]


def same_text(value: Any) -> Any:
    """What is stored for a value read from the workbook: text without its outer spaces."""
    if isinstance(value, str):
        return value.strip() or None
    return value
