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
from datetime import date, datetime
from typing import IO, Any

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.core.errors import InputError
from placeplan.core.periods import parse_quarter_or_month
from placeplan.delivery.domain import rules
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
from placeplan.io.grid import EMPTY, Cell, Grid, Problem, blank, first_error, load_grids, norm
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


class _Row:
    """One data row: each accessor reads a column's cell, records any problem, returns a value."""

    def __init__(
        self,
        sheet: str,
        grid: Grid,
        row: int,
        cols: dict[str, int],
        headers: dict[str, str],
        problems: list[Problem],
    ) -> None:
        self.sheet, self.grid, self.row, self.cols = sheet, grid, row, cols
        self.headers, self.problems = headers, problems
        self.bad = False

    def raw(self, key: str) -> Cell:
        col = self.cols.get(key)
        if col is None or self.row - 1 >= len(self.grid):
            return EMPTY
        cells = self.grid[self.row - 1]
        return cells[col - 1] if col <= len(cells) else EMPTY

    def fail(self, key: str, expected: str, found: str) -> None:
        self.bad = True
        ref = f"{get_column_letter(self.cols[key])}{self.row}"
        self.problems.append(
            Problem(
                self.sheet,
                self.row,
                self.headers[key],
                f"{self.headers[key]} in cell {ref}: expected {expected}; found {found}",
            )
        )

    def _cell(self, key: str) -> Any:
        value, kind = self.raw(key)
        if kind == "f":
            self.fail(key, "a value, not a formula: type the value itself", repr(str(value)[:80]))
            return None
        if kind == "e":
            self.fail(key, "a value", f"the error {value}")
            return None
        return value

    def text(self, key: str, required: bool = False, max_len: int | None = None) -> str | None:
        value = self._cell(key)
        if blank(value):
            if required and self.raw(key)[1] not in ("f", "e"):
                self.fail(key, "a value (it is required)", "an empty cell")
            return None
        if isinstance(value, bool):
            text = YES if value else NO
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, datetime):
            text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
        else:
            text = str(value)
        if max_len is not None and len(text.strip()) > max_len:
            self.fail(key, f"at most {max_len} characters", f"{len(text.strip())} characters")
            return None
        return text

    def ref(self, key: str, required: bool = False) -> str | None:
        text = self.text(key, required, max_len=40)
        return text.strip() if text is not None else None

    def items(self, key: str) -> list[str]:
        text = self.text(key)
        if text is None:
            return []
        return [p.strip() for p in text.splitlines() if p.strip()]

    def day(self, key: str) -> date | None:
        value = self._cell(key)
        if blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(key, "a date such as 2025-03-31", repr(value))
        return None

    def yes_no(self, key: str) -> bool | None:
        value = self._cell(key)
        if blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and norm(value) in ("yes", "y", "true"):
            return True
        if isinstance(value, str) and norm(value) in ("no", "n", "false"):
            return False
        self.fail(key, "Yes, No or an empty cell", repr(value))
        return None

    def stage(self, key: str) -> str | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            return rules.check_stage(text)
        except InputError:
            self.fail(key, f"one of {', '.join(rules.STAGES.values())}", repr(text[:100]))
            return None

    def rag(self, key: str) -> str | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            return rules.check_rag(text, key)
        except InputError:
            self.fail(key, "Red, Amber, Green or an empty cell", repr(text[:100]))
            return None

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


def _columns(
    sheet: str, grid: Grid, columns: Sequence[Column], problems: list[Problem]
) -> dict[str, int] | None:
    by_header = {norm(c.header): c.key for c in columns}
    found: dict[str, int] = {}
    for col, (value, _) in enumerate(grid[0] if grid else [], start=1):
        if isinstance(value, str) and (key := by_header.get(norm(value))) is not None:
            if key in found:
                problems.append(
                    Problem(sheet, 1, value, f"the {sheet} sheet has two '{value}' columns")
                )
                return None
            found[key] = col
    missing = [c.header for c in columns if c.required and c.key not in found]
    if "version" not in found:
        missing.append(next(c.header for c in columns if c.key == "version"))
    for header in missing:
        problems.append(
            Problem(
                sheet,
                1,
                header,
                f"the {sheet} sheet has no '{header}' column: expected it among the headers in "
                "row 1",
            )
        )
    return None if missing else found


def _data_rows(grid: Grid, cols: dict[str, int]) -> list[int]:
    wanted = list(cols.values())
    rows = []
    for row in range(2, len(grid) + 1):
        cells = grid[row - 1]
        if any(
            col <= len(cells) and (cells[col - 1][1] == "f" or not blank(cells[col - 1][0]))
            for col in wanted
        ):
            rows.append(row)
    return rows


def _read_actions(grid: Grid, problems: list[Problem]) -> list[TrackerActionIn]:
    cols = _columns(ACTIONS, grid, ACTION_COLUMNS, problems)
    if cols is None:
        return []
    kinds = {c.key: c.kind for c in ACTION_COLUMNS}
    readable = {k: c for k, c in cols.items() if kinds[k] != "info"}
    has_update = any(k in cols for k in UPDATE_KEYS)
    if has_update and "update_version" not in cols:
        problems.append(
            Problem(
                ACTIONS,
                1,
                HEADER_OF["update_version"],
                f"the {ACTIONS} sheet has update columns but no '{HEADER_OF['update_version']}' "
                "column: expected it among the headers in row 1",
            )
        )
        return []
    out: list[TrackerActionIn] = []
    seen: dict[str, int] = {}
    for row in _data_rows(grid, readable):
        r = _Row(ACTIONS, grid, row, cols, HEADER_OF, problems)
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
                values[key] = r.items(key)
            elif kind == "date":
                values[key] = r.day(key)
            elif kind == "yesno":
                values[key] = r.yes_no(key)
            elif kind == "stage":
                values[key] = r.stage(key)
            else:
                values[key] = r.text(key, max_len=200 if key in ("body", "lead_user") else None)
        update: dict[str, Any] | None = None
        if has_update:
            update = {}
            for key in UPDATE_KEYS:
                if key in cols:
                    update[key] = r.rag(key) if key.endswith("_rag") else r.text(key)
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


def _read_milestones(grid: Grid, problems: list[Problem]) -> list[TrackerMilestoneIn]:
    cols = _columns(MILESTONES, grid, MILESTONE_COLUMNS, problems)
    if cols is None:
        return []
    out: list[TrackerMilestoneIn] = []
    seen: dict[tuple[str, str], int] = {}
    for row in _data_rows(grid, cols):
        r = _Row(MILESTONES, grid, row, cols, MILESTONE_HEADER_OF, problems)
        action_ref = r.ref("action_ref", required=True)
        ref = r.ref("ref") if "ref" in cols else None
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
            values["by_text"] = r.text("by_text")
        for key in ("due_date", "done_date"):
            if key in cols:
                values[key] = r.day(key)
        version = r.version("version")
        if not r.bad and action_ref is not None:
            out.append(TrackerMilestoneIn(MILESTONES, row, action_ref, ref, version, values))
    return out


def _read_me_values(grid: Grid, problems: list[Problem]) -> tuple[int | None, str | None]:
    found: dict[str, tuple[int, Cell]] = {}
    for row, cells in enumerate(grid[:40], start=1):
        if cells and isinstance(cells[0][0], str):
            label = norm(cells[0][0])
            if label in (norm(PLAN_ID_LABEL), norm(PERIOD_LABEL)) and label not in found:
                found[label] = (row, cells[1] if len(cells) > 1 else EMPTY)
    plan_id: int | None = None
    period: str | None = None
    for label in (PLAN_ID_LABEL, PERIOD_LABEL):
        if norm(label) not in found:
            problems.append(
                Problem(
                    READ_ME,
                    None,
                    label,
                    f"the {READ_ME} sheet has no '{label}' row: expected the label in column A "
                    "and its value in column B",
                )
            )
            continue
        row, (value, kind) = found[norm(label)]
        if label == PLAN_ID_LABEL:
            if kind != "f" and isinstance(value, int | float) and value == int(value) and value > 0:
                plan_id = int(value)
            else:
                problems.append(
                    Problem(
                        READ_ME,
                        row,
                        label,
                        f"{label} in cell B{row}: expected the plan's id, a whole number; found "
                        f"{value!r}",
                    )
                )
        else:
            try:
                if kind == "f" or not isinstance(value, str):
                    raise InputError("not text")
                period = parse_quarter_or_month(value).label
            except InputError:
                problems.append(
                    Problem(
                        READ_ME,
                        row,
                        label,
                        f"{label} in cell B{row}: expected a reporting period such as 2025-26 Q2 "
                        f"or 2025-09; found {value!r}",
                    )
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
    plan_id, period = _read_me_values(grids[READ_ME], problems)
    actions = _read_actions(grids[ACTIONS], problems)
    milestones = _read_milestones(grids[MILESTONES], problems) if MILESTONES in grids else []
    return ParsedTracker(file, plan_id, period, actions, milestones, problems)


def header_names(exc: InputError) -> InputError:
    """The service names fields; people know the workbook's column headers."""
    if exc.field is not None:
        headers = MILESTONE_HEADER_OF if exc.sheet == MILESTONES else HEADER_OF
        exc.field = headers.get(exc.field, exc.field)
    return exc
