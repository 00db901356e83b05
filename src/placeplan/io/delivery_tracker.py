"""The delivery tracker workbook: a plan's actions, one row each, with one period's updates.

`write_tracker` writes sheets Read me (the plan, the period, how to use the workbook, the RAG
definitions, stages, guiding principles and PLUS groups), Actions (seed 004's tracker columns and
the period's update columns) and Milestones (the "By ..." of each action). Drop-downs guard the
stage and RAG cells; the header row is frozen. The same tracker gives the same bytes: fixed
document dates and fixed zip entry times, so export, import, export is identical.

`read_tracker` refuses anything that is not a genuine macro-free xlsx, collects every cell
problem (a formula, a bad stage, RAG or date) naming the sheet, row and column and what was
expected, and turns the rows into the service's `TrackerActionIn` / `TrackerMilestoneIn`.
`import_tracker` applies them through `delivery.service.apply_tracker` in the caller's
transaction: nothing is written unless every row is good, and an unchanged workbook writes
nothing. Columns are found by their header text; grey columns are shown, never read back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.formatting.rule import CellIsRule  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
    Alignment,
    Font,
    PatternFill,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped,unused-ignore]
    DataValidation,
)
from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.errors import InputError
from placeplan.delivery import rules
from placeplan.delivery.service import (
    TrackerActionIn,
    TrackerExport,
    TrackerMilestoneIn,
    apply_tracker,
)
from placeplan.io.bcf_layout import MAX_TEXT, escape_text, unescape_text
from placeplan.io.xlsx_guard import check_xlsx, file_label
from placeplan.io.xlsx_stable import stable_bytes

FORMAT_NAME = "placeplan delivery tracker, format 1"
READ_ME, ACTIONS, MILESTONES = "Read me", "Actions", "Milestones"
MAX_ROWS = 20_000
SPARE_ROWS = 50  # rows below the data that still get the drop-downs, for new actions
# Fixed document dates: the workbook's bytes depend on the tracker alone, not on the clock.

PLAN_ID_LABEL, PERIOD_LABEL = "Plan id", "Reporting period"
YES, NO = "Yes", "No"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text | items | date | stage | rag | yesno | int | info
    required: bool = False


ACTION_COLUMNS: tuple[Column, ...] = (
    Column("theme", "Theme", 18, "info"),
    Column("priority_ref", "Priority ref", 10),
    Column("priority", "Priority (We will)", 40, "info"),
    Column("ref", "Action ref", 11, required=True),
    Column("we_will", "We will", 50),
    Column("i_will", "I will", 45),
    Column("stage", "Delivery stage", 16, "stage"),
    Column("improvement", "How will this demonstrate improvement?", 36),
    Column("lead_contacts", "Lead contacts", 28, "items"),
    Column("lead_organisations", "Lead organisations", 28, "items"),
    Column("lead_user", "Lead user (username)", 22),
    Column("body", "Governance body", 30),
    Column("governance_note", "Governance note", 28),
    Column("start_date", "Start", 12, "date"),
    Column("due_date", "Due", 12, "date"),
    Column("equity", "How will this improve equity?", 36),
    Column("equity_assured", "Equity assured", 12, "yesno"),
    Column("resources", "Resources", 28),
    Column("resources_source", "Source of resources", 24),
    Column("engagement", "Planned engagement", 36),
    Column("principles", "Guiding principles (refs)", 16, "items"),
    Column("plus_groups", "PLUS groups", 28, "items"),
    Column("last_rag", "Overall RAG last period", 14, "info"),
    Column("change", "Status change from last period", 18, "info"),
    Column("overall_rag", "Overall RAG", 12, "rag"),
    Column("risk_rag", "Risk / issue RAG", 12, "rag"),
    Column("trajectory_rag", "Improvement trajectory RAG", 14, "rag"),
    Column("internal_commentary", "Internal commentary", 40),
    Column("public_commentary", "Public commentary", 40),
    Column("risks", "Risks and issues", 30),
    Column("decision_needed", "Decision needed", 30),
    Column("evidence", "Evidence", 30),
    Column("version", "Action version (do not change)", 12, "int"),
    Column("update_version", "Update version (do not change)", 12, "int"),
)
MILESTONE_COLUMNS: tuple[Column, ...] = (
    Column("action_ref", "Action ref", 11, required=True),
    Column("ref", "Milestone ref", 11),
    Column("by_text", "By ...", 70),
    Column("due_date", "Due", 12, "date"),
    Column("done_date", "Done", 12, "date"),
    Column("version", "Milestone version (do not change)", 12, "int"),
)
UPDATE_KEYS = (
    "overall_rag",
    "risk_rag",
    "trajectory_rag",
    "internal_commentary",
    "public_commentary",
    "risks",
    "decision_needed",
    "evidence",
)
_ACTION_VALUE_KEYS = [
    c.key
    for c in ACTION_COLUMNS
    if c.kind != "info"
    and c.key not in ("priority_ref", "ref", "version", "update_version", *UPDATE_KEYS)
]
HEADER_OF = {c.key: c.header for c in ACTION_COLUMNS} | {
    "body_id": "Governance body",
    "lead_user_id": "Lead user (username)",
}
MILESTONE_HEADER_OF = {c.key: c.header for c in MILESTONE_COLUMNS}

# ---- styles -----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="005EB8")  # NHS blue
_INFO_FILL = PatternFill("solid", fgColor="E8EDEE")  # NHS pale grey: shown, never read back
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_RAG_FILLS = {
    "Red": PatternFill("solid", fgColor="F4B6B6"),
    "Amber": PatternFill("solid", fgColor="FFE08A"),
    "Green": PatternFill("solid", fgColor="B5E0BE"),
}


def _put(ws: Any, row: int, col: int, value: Any, *, wrap: bool = False, fill: Any = None) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = escape_text(value)
        if len(text) > MAX_TEXT:
            raise InputError(
                f"the text for cell {get_column_letter(col)}{row} is {len(text)} characters "
                f"long; a cell holds at most {MAX_TEXT}",
                sheet=ws.title,
                row=row,
            )
        cell.value = text
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif value is not None:
        cell.value = value
    # Setting each style part hashes it into the workbook's style tables, which dominated the time
    # to write a large tracker; a combination seen before is copied whole (as bcf_workbook does).
    dated = isinstance(value, date)
    cache: dict[tuple[Any, ...], Any] = ws.parent.__dict__.setdefault("_placeplan_styles", {})
    key = (wrap, id(fill), dated)
    if key in cache:
        cell._style = copy(cache[key])
        return cell
    cell.alignment = _WRAP if wrap else _TOP
    if fill is not None:
        cell.fill = fill
    if dated:
        cell.number_format = "yyyy-mm-dd"
    cache[key] = copy(cell._style)
    return cell


def _header_row(ws: Any, columns: Sequence[Column]) -> None:
    for col, column in enumerate(columns, start=1):
        cell = _put(ws, 1, col, column.header, wrap=True)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 45


def _cell_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "items":
        return "\n".join(value) or None  # one a line: a name may hold a comma
    if column.kind == "yesno":
        return YES if value else NO
    if column.kind == "stage":
        return rules.STAGES.get(value, value)
    if column.kind == "rag":
        return rules.RAG_LABELS.get(value, value)
    return value


def _data_row(ws: Any, row: int, columns: Sequence[Column], values: dict[str, Any]) -> None:
    for col, column in enumerate(columns, start=1):
        grey = column.kind in ("info", "int")
        value = _cell_value(column, values.get(column.key))
        _put(ws, row, col, value, wrap=True, fill=_INFO_FILL if grey else None)


def _validations(ws: Any, columns: Sequence[Column], last: int) -> None:
    lists = {
        "stage": ",".join(rules.STAGES.values()),
        "rag": ",".join(rules.RAG_LABELS.values()),
        "yesno": f"{YES},{NO}",
    }
    for col, column in enumerate(columns, start=1):
        if column.kind not in lists:
            continue
        letter = get_column_letter(col)
        validation = DataValidation(
            type="list",
            formula1=f'"{lists[column.kind]}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error=f"Choose one of: {lists[column.kind].replace(',', ', ')}",
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
        if column.kind == "rag":
            for label, fill in _RAG_FILLS.items():
                ws.conditional_formatting.add(
                    f"{letter}2:{letter}{last}",
                    CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill),
                )


def _read_me(ws: Any, export: TrackerExport) -> None:
    plan = export.plan
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 90
    _put(ws, 1, 1, f"Delivery tracker: {plan.title}").font = _TITLE_FONT
    rows: list[tuple[str, Any]] = [
        (PLAN_ID_LABEL, plan.id),
        ("Plan", plan.title),
        (PERIOD_LABEL, export.period.label),
        ("Period ends", export.period.last_day),
        ("Format", FORMAT_NAME),
    ]
    row = 3
    for label, value in rows:
        _put(ws, row, 1, label).font = _BOLD
        _put(ws, row, 2, value)
        row += 1
    row += 1
    _put(ws, row, 1, "How to use this workbook").font = _BOLD
    notes = [
        "Actions: one row per action. Change the white cells; grey cells are shown for "
        "reference and are not read back. The update columns (Overall RAG to Evidence) are the "
        f"report for {export.period.label}.",
        "Milestones: the key activities of each action, the 'By ...' of the public view. A "
        "milestone is done when its Done date is filled in.",
        "To add an action, fill in a new row with its Priority ref, a new Action ref and its "
        "'We will', leaving the versions blank; to add a milestone, likewise on Milestones. "
        "Removing a row does not delete anything.",
        "Do not change the version columns: they tell placeplan what you started from. A row "
        "changed in placeplan since this workbook was exported is refused as a conflict if you "
        "changed it here too; nothing is saved unless every row can be.",
        "Upload the workbook on the tracker page, or run: placeplan delivery import FILE.xlsx",
    ]
    for text in notes:
        row += 1
        _put(ws, row, 1, text, wrap=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 32
    row += 2
    _put(ws, row, 1, "RAG definitions").font = _BOLD
    row += 1
    for col, header in enumerate(("Rating", "Status", "Definition"), start=1):
        _put(ws, row, col, header).font = _BOLD
    for kind, label in rules.RAG_KINDS.items():
        for rag in rules.RAGS:
            row += 1
            _put(ws, row, 1, label)
            _put(ws, row, 2, rules.RAG_LABELS[rag])
            _put(ws, row, 3, export.rag_definitions.get(kind, {}).get(rag, ""), wrap=True)
    row += 2
    _put(ws, row, 1, "Delivery stages").font = _BOLD
    for label in rules.STAGES.values():
        row += 1
        _put(ws, row, 1, label)
    found = export.framework
    if found and found.principles:
        row += 2
        _put(ws, row, 1, "Guiding principles").font = _BOLD
        for p in found.principles:
            row += 1
            _put(ws, row, 1, str(p.get("ref", "")))
            _put(ws, row, 2, str(p.get("name", "")), wrap=True)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    if found and found.plus_groups:
        row += 2
        _put(ws, row, 1, "PLUS groups").font = _BOLD
        for g in found.plus_groups:
            row += 1
            _put(ws, row, 1, str(g.get("name", "")))
            if g.get("focus"):
                _put(ws, row, 2, "Focus in the initial years")


def _actions(ws: Any, export: TrackerExport) -> None:
    _header_row(ws, ACTION_COLUMNS)
    row = 1
    for action in export.actions:
        row += 1
        update = export.updates.get(action.id)
        last = export.last_rag.get(action.id)
        current = update.overall_rag if update else None
        values: dict[str, Any] = {
            "theme": action.priority.theme.name,
            "priority_ref": action.priority.ref,
            "priority": action.priority.statement,
            "ref": action.ref,
            **{k: getattr(action, k) for k in _ACTION_VALUE_KEYS if k not in ("body", "lead_user")},
            "body": action.body.name if action.body else None,
            "lead_user": export.usernames.get(action.lead_user_id or 0),
            "last_rag": (
                f"{rules.RAG_LABELS[last.overall]} ({last.period})" if last is not None else None
            ),
            "change": rules.CHANGES[rules.change(last.overall if last else None, current)],
            **{k: getattr(update, k) if update else None for k in UPDATE_KEYS},
            "version": action.version,
            "update_version": update.version if update else 0,
        }
        _data_row(ws, row, ACTION_COLUMNS, values)
    _validations(ws, ACTION_COLUMNS, row + SPARE_ROWS)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ACTION_COLUMNS))}{max(row, 2)}"


def _milestones(ws: Any, export: TrackerExport) -> None:
    _header_row(ws, MILESTONE_COLUMNS)
    row = 1
    for action in export.actions:
        for m in action.milestones:
            row += 1
            _data_row(
                ws,
                row,
                MILESTONE_COLUMNS,
                {
                    "action_ref": action.ref,
                    "ref": m.ref,
                    "by_text": m.by_text,
                    "due_date": m.due_date,
                    "done_date": m.done_date,
                    "version": m.version,
                },
            )
    ws.auto_filter.ref = f"A1:{get_column_letter(len(MILESTONE_COLUMNS))}{max(row, 2)}"


def tracker_bytes(export: TrackerExport) -> bytes:
    """The tracker workbook's bytes: the same tracker always gives the same bytes."""
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = f"Delivery tracker: {export.plan.title}"[:250]
    read_me = wb.active
    read_me.title = READ_ME
    _read_me(read_me, export)
    _actions(wb.create_sheet(ACTIONS), export)
    _milestones(wb.create_sheet(MILESTONES), export)
    return stable_bytes(wb)


def write_tracker(target: str | os.PathLike[str] | IO[bytes], export: TrackerExport) -> None:
    data = tracker_bytes(export)
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as stream:
            stream.write(data)
    else:
        target.write(data)


# ---- reading ----------------------------------------------------------------------------------

Cell = tuple[Any, str]  # (value, openpyxl data type: s n d b f e)
_EMPTY: Cell = (None, "n")


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    row: int | None
    column: str | None  # the column's header
    message: str


@dataclass
class ParsedTracker:
    file: str
    plan_id: int | None
    period: str | None
    actions: list[TrackerActionIn]
    milestones: list[TrackerMilestoneIn]
    problems: list[Problem] = field(default_factory=list)

    def error(self) -> InputError:
        first = self.problems[0]
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return InputError(
            first.message + suffix,
            field=first.column,
            file=self.file,
            sheet=first.sheet,
            row=first.row,
        )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _grid(ws: Any, sheet: str, file: str) -> list[list[Cell]]:
    ws.reset_dimensions()  # trust the cells, not a (possibly huge) declared dimension
    rows: list[list[Cell]] = []
    filled = 0
    for cells in ws.iter_rows():
        if all(c.value is None for c in cells):
            rows.append([])
            continue
        filled += 1
        if filled > MAX_ROWS:
            raise InputError(
                f"the {sheet} sheet has more than {MAX_ROWS} rows with anything in them",
                file=file,
                sheet=sheet,
            )
        rows.append(
            [
                (unescape_text(c.value), c.data_type)
                if isinstance(c.value, str)
                else (c.value, c.data_type)
                for c in cells
            ]
        )
    return rows


class _Row:
    """One data row: each accessor reads a column's cell, records any problem, returns a value."""

    def __init__(
        self,
        sheet: str,
        grid: list[list[Cell]],
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
            return _EMPTY
        cells = self.grid[self.row - 1]
        return cells[col - 1] if col <= len(cells) else _EMPTY

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
        if _blank(value):
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
        if _blank(value):
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
        if _blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and _norm(value) in ("yes", "y", "true"):
            return True
        if isinstance(value, str) and _norm(value) in ("no", "n", "false"):
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
        if _blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.fail(key, "the whole number placeplan wrote there (do not change it)", repr(value))
            return None
        if value < 0:
            self.fail(key, "the whole number placeplan wrote there (do not change it)", repr(value))
            return None
        return int(value)


def _columns(
    sheet: str, grid: list[list[Cell]], columns: Sequence[Column], problems: list[Problem]
) -> dict[str, int] | None:
    by_header = {_norm(c.header): c.key for c in columns}
    found: dict[str, int] = {}
    for col, (value, _) in enumerate(grid[0] if grid else [], start=1):
        if isinstance(value, str) and (key := by_header.get(_norm(value))) is not None:
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


def _data_rows(grid: list[list[Cell]], cols: dict[str, int]) -> list[int]:
    wanted = list(cols.values())
    rows = []
    for row in range(2, len(grid) + 1):
        cells = grid[row - 1]
        if any(
            col <= len(cells) and (cells[col - 1][1] == "f" or not _blank(cells[col - 1][0]))
            for col in wanted
        ):
            rows.append(row)
    return rows


def _read_actions(grid: list[list[Cell]], problems: list[Problem]) -> list[TrackerActionIn]:
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
        for key in _ACTION_VALUE_KEYS:
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


def _read_milestones(grid: list[list[Cell]], problems: list[Problem]) -> list[TrackerMilestoneIn]:
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


def _read_me_values(
    grid: list[list[Cell]], problems: list[Problem]
) -> tuple[int | None, str | None]:
    found: dict[str, tuple[int, Cell]] = {}
    for row, cells in enumerate(grid[:40], start=1):
        if cells and isinstance(cells[0][0], str):
            label = _norm(cells[0][0])
            if label in (_norm(PLAN_ID_LABEL), _norm(PERIOD_LABEL)) and label not in found:
                found[label] = (row, cells[1] if len(cells) > 1 else _EMPTY)
    plan_id: int | None = None
    period: str | None = None
    for label in (PLAN_ID_LABEL, PERIOD_LABEL):
        if _norm(label) not in found:
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
        row, (value, kind) = found[_norm(label)]
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
                period = rules.parse_reporting_period(value).label
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


def _load(source: str | os.PathLike[str] | IO[bytes], file: str) -> dict[str, list[list[Cell]]]:
    def grids(stream: IO[bytes]) -> dict[str, list[list[Cell]]]:
        try:
            wb = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on a damaged package
            raise InputError(
                f"the file could not be read as an Excel workbook ({type(exc).__name__}: {exc})",
                field="file",
                file=file,
            ) from exc
        try:
            return {
                name: _grid(wb[name], name, file)
                for name in (READ_ME, ACTIONS, MILESTONES)
                if name in wb.sheetnames and hasattr(wb[name], "iter_rows")
            }
        finally:
            wb.close()

    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            return grids(stream)
    return grids(source)


def read_tracker(
    source: str | os.PathLike[str] | IO[bytes], label: str | None = None
) -> ParsedTracker:
    """Read a tracker workbook, collecting every cell problem; refuse a bad file outright."""
    file = label or file_label(source)
    check_xlsx(source, file)
    grids = _load(source, file)
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


def _header(exc: InputError) -> InputError:
    """The service names fields; people know the workbook's column headers."""
    if exc.field is not None:
        headers = MILESTONE_HEADER_OF if exc.sheet == MILESTONES else HEADER_OF
        exc.field = headers.get(exc.field, exc.field)
    return exc


def import_parsed(
    session: Session, actor: Actor, parsed: ParsedTracker, plan_id: int | None = None
) -> dict[str, Any]:
    """Apply a read tracker to its plan in the caller's transaction; the caller commits (or, for
    a dry run, rolls back). InputError or Conflict on the first problem: nothing is written."""
    if parsed.problems:
        raise parsed.error()
    if plan_id is not None and parsed.plan_id is not None and plan_id != parsed.plan_id:
        raise InputError(
            f"{PLAN_ID_LABEL}: expected {plan_id}, the plan being imported into; the workbook is "
            f"plan {parsed.plan_id}'s tracker",
            field=PLAN_ID_LABEL,
            file=parsed.file,
            sheet=READ_ME,
        )
    target = plan_id if plan_id is not None else parsed.plan_id
    assert target is not None and parsed.period is not None  # no problems: both were read
    try:
        summary = apply_tracker(
            session, actor, target, parsed.period, parsed.actions, parsed.milestones
        )
    except InputError as exc:
        exc.file = exc.file or parsed.file
        raise _header(exc) from None
    return {"plan_id": target, "file": parsed.file, **summary}


def import_tracker(
    session: Session,
    actor: Actor,
    source: str | os.PathLike[str] | IO[bytes],
    plan_id: int | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    return import_parsed(session, actor, read_tracker(source, label), plan_id)
