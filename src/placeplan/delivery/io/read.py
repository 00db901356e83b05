"""Reading the delivery tracker workbook.

`read_tracker` refuses anything that is not a genuine macro-free xlsx, collects every cell problem
(a formula, a bad stage, RAG or date) naming the sheet, row and column and what was expected, and
turns the rows into the domain's `TrackerActionIn` / `TrackerMilestoneIn`; the delivery service
applies them. Columns are found by their header text; grey columns are never read back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from placeplan.core.errors import InputError
from placeplan.core.fields import Field
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.fields import ACTION, MILESTONE, UPDATE
from placeplan.delivery.domain.tracker import TrackerActionIn, TrackerMilestoneIn
from placeplan.delivery.io.layout import (
    ACTION_COLUMNS,
    ACTION_VALUE_KEYS,
    ACTIONS,
    HEADER_OF,
    MAX_ROWS,
    MILESTONE_COLUMNS,
    MILESTONE_HEADER_OF,
    MILESTONES,
    NO,
    PERIOD_LABEL,
    PLAN_ID_LABEL,
    READ_ME,
    UPDATE_KEYS,
    YES,
    Column,
)
from placeplan.io.grid import Problem, blank, first_error, load_grids
from placeplan.io.rows import RowReader, Sheet
from placeplan.io.xlsx_guard import check_xlsx, file_label


@dataclass
class ParsedTracker:
    file: str
    plan_id: int | None
    period: str | None
    actions: list[TrackerActionIn]
    milestones: list[TrackerMilestoneIn]
    problems: list[Problem] = field(default_factory=list)

    def error(self) -> InputError:
        return first_error(self.file, self.problems)


class _Row(RowReader):
    """One data row of the tracker."""

    bool_text = (YES, NO)
    date_expected = "a date such as 2025-03-31"
    yes_no_expected = "Yes, No or an empty cell"
    yes_no_numbers = False

    def formula(self, key: str, value: Any) -> None:
        self.fail(key, "a value, not a formula: type the value itself", repr(str(value)[:80]))

    def too_long(self, text: str, max_len: int) -> str | None:
        length = len(text.strip())
        return f"{length} characters" if length > max_len else None

    def listed(self, key: str) -> list[str]:
        """The cell's items, one a line, refused in the list field's words (ACTION's lists) when
        there are too many or one is too long, as the action's form refuses them."""
        items = self.lines(key)
        if key in {f.name for f in ACTION.lists}:
            message = ACTION.items(key).problem(items)
            if message is not None:
                self.refuse(key, message)
                return []
        return items

    def ref(self, key: str, required: bool = False, field: Field = ACTION["ref"]) -> str | None:
        text = self.limited(key, field, required)
        return text.strip() if text is not None else None

    def stage(self, key: str) -> str | None:
        return self.choice(key, rules.check_stage, f"one of {', '.join(rules.STAGES.values())}")

    def rag(self, key: str) -> str | None:
        return self.choice(
            key, lambda text: rules.check_rag(text, key), "Red, Amber, Green or an empty cell"
        )

    def version(self, key: str) -> int | None:
        value = self._cell(key)
        if blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.fail(key, "the whole number placeplan wrote there (do not change it)", repr(value))
            return None
        if value < 0:
            self.fail(key, "the whole number placeplan wrote there (do not change it)", repr(value))
            return None
        return int(value)


def _columns(sheet: Sheet, columns: Sequence[Column]) -> dict[str, int] | None:
    """The columns by their header in row 1; the version column is needed to read any row."""
    must = {c.key for c in columns if c.required} | {"version"}
    return sheet.columns(1, columns, must, refuse_twice=True, rule="workbook-cell")


def _read_actions(sheet: Sheet) -> list[TrackerActionIn]:
    cols = _columns(sheet, ACTION_COLUMNS)
    if cols is None:
        return []
    kinds = {c.key: c.kind for c in ACTION_COLUMNS}
    readable = {k: c for k, c in cols.items() if kinds[k] != "info"}
    has_update = any(k in cols for k in UPDATE_KEYS)
    if has_update and "update_version" not in cols:
        sheet.problem(
            "workbook-cell",
            1,
            HEADER_OF["update_version"],
            f"the {ACTIONS} sheet has update columns but no '{HEADER_OF['update_version']}' "
            "column: expected it among the headers in row 1",
        )
        return []
    out: list[TrackerActionIn] = []
    seen: dict[str, int] = {}
    for row in sheet.data_rows(2, len(sheet.grid), readable):
        r = _Row(sheet, row, cols, HEADER_OF)
        ref = r.ref("ref", required=True)
        if ref is not None and ref in seen:
            r.fail("ref", f"a ref not used by another row (row {seen[ref]} has it)", repr(ref))
        elif ref is not None:
            seen[ref] = row
        values: dict[str, Any] = {}
        for key in ACTION_VALUE_KEYS:
            if key not in cols:
                continue
            kind = kinds[key]
            if kind == "items":
                values[key] = r.listed(key)
            elif kind == "date":
                values[key] = r.day(key)
            elif kind == "yesno":
                values[key] = r.yes_no(key)
            elif kind == "stage":
                values[key] = r.stage(key)
            else:
                values[key] = (
                    r.limited(key, ACTION[key])
                    if key in ACTION
                    else r.text(key, max_len=200 if key in ("body", "lead_user") else None)
                )
        update: dict[str, Any] | None = None
        if has_update:
            update = {}
            for key in UPDATE_KEYS:
                if key in cols:
                    update[key] = (
                        r.rag(key) if key.endswith("_rag") else r.limited(key, UPDATE[key])
                    )
            if (
                "overall_rag" in cols
                and update.get("overall_rag") is None
                and not r.bad
                and any(v for k, v in update.items() if k != "overall_rag")
            ):
                r.fail(
                    "overall_rag",
                    "Red, Amber or Green: the row has update text for the period",
                    "an empty cell",
                )
        priority_ref = r.ref("priority_ref") if "priority_ref" in cols else None
        version = r.version("version")
        update_version = r.version("update_version") if "update_version" in cols else None
        if not r.bad and ref is not None:
            out.append(
                TrackerActionIn(
                    ACTIONS,
                    row,
                    ref,
                    priority_ref,
                    version,
                    values,
                    update,
                    update_version,
                )
            )
    return out


def _read_milestones(sheet: Sheet) -> list[TrackerMilestoneIn]:
    cols = _columns(sheet, MILESTONE_COLUMNS)
    if cols is None:
        return []
    out: list[TrackerMilestoneIn] = []
    seen: dict[tuple[str, str], int] = {}
    for row in sheet.data_rows(2, len(sheet.grid), cols):
        r = _Row(sheet, row, cols, MILESTONE_HEADER_OF)
        action_ref = r.ref("action_ref", required=True)
        ref = r.ref("ref", field=MILESTONE["ref"]) if "ref" in cols else None
        if action_ref is not None and ref is not None:
            if (action_ref, ref) in seen:
                r.fail(
                    "ref",
                    f"a milestone ref not used by another row of action {action_ref} (row "
                    f"{seen[(action_ref, ref)]} has it)",
                    repr(ref),
                )
            seen[(action_ref, ref)] = row
        values: dict[str, Any] = {}
        if "by_text" in cols:
            values["by_text"] = r.limited("by_text", MILESTONE["by_text"])
        for key in ("due_date", "done_date"):
            if key in cols:
                values[key] = r.day(key)
        version = r.version("version")
        if not r.bad and action_ref is not None:
            out.append(TrackerMilestoneIn(MILESTONES, row, action_ref, ref, version, values))
    return out


def _read_me_values(sheet: Sheet) -> tuple[int | None, str | None]:
    plan_id: int | None = None
    period: str | None = None
    for label in (PLAN_ID_LABEL, PERIOD_LABEL):
        row = sheet.find_row(label, stop=40)
        if row is None:
            sheet.problem(
                "workbook-cell",
                None,
                label,
                f"the {READ_ME} sheet has no '{label}' row: expected the label in column A "
                "and its value in column B",
            )
            continue
        value, kind = sheet.at(row, 2)
        if label == PLAN_ID_LABEL:
            if kind != "f" and isinstance(value, int | float) and value == int(value) and value > 0:
                plan_id = int(value)
            else:
                sheet.problem(
                    "workbook-cell",
                    row,
                    label,
                    f"{label} in cell B{row}: expected the plan's id, a whole number; found "
                    f"{value!r}",
                )
        else:
            try:
                if kind == "f" or not isinstance(value, str):
                    raise InputError("not text")
                period = parse_quarter_or_month(value).label
            except InputError:
                sheet.problem(
                    "workbook-cell",
                    row,
                    label,
                    f"{label} in cell B{row}: expected a reporting period such as 2025-26 Q2 "
                    f"or 2025-09; found {value!r}",
                )
    return plan_id, period


def read_tracker(
    source: str | os.PathLike[str] | IO[bytes], label: str | None = None
) -> ParsedTracker:
    """Read a tracker workbook, collecting every cell problem; refuse a bad file outright."""
    file = label or file_label(source)
    check_xlsx(source, file)
    grids = load_grids(source, file, (READ_ME, ACTIONS, MILESTONES), MAX_ROWS)
    missing = [s for s in (READ_ME, ACTIONS) if s not in grids]
    if missing:
        raise InputError(
            f"the workbook has no {' or '.join(missing)} sheet: expected the sheets {READ_ME}, "
            f"{ACTIONS} and {MILESTONES} of a placeplan delivery tracker",
            field="sheet",
            file=file,
            sheet=missing[0],
        )
    problems: list[Problem] = []
    plan_id, period = _read_me_values(Sheet(READ_ME, grids[READ_ME], problems))
    actions = _read_actions(Sheet(ACTIONS, grids[ACTIONS], problems))
    milestones = (
        _read_milestones(Sheet(MILESTONES, grids[MILESTONES], problems))
        if MILESTONES in grids
        else []
    )
    return ParsedTracker(file, plan_id, period, actions, milestones, problems)


def header_names(exc: InputError) -> InputError:
    """The service names fields; people know the workbook's column headers."""
    if exc.field is not None:
        headers = MILESTONE_HEADER_OF if exc.sheet == MILESTONES else HEADER_OF
        exc.field = headers.get(exc.field, exc.field)
    return exc
