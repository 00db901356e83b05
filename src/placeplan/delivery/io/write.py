"""Writing the delivery tracker workbook from a `TrackerExport`.

Drop-downs guard the stage and RAG cells; the header row is frozen. The same tracker gives the same
bytes: fixed document dates and fixed zip entry times, so export, import, export is identical.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from copy import copy
from datetime import date
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
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

from placeplan.core.errors import InputError
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.tracker import TrackerExport
from placeplan.delivery.io.layout import (
    ACTION_COLUMNS,
    ACTION_VALUE_KEYS,
    ACTIONS,
    FORMAT_NAME,
    MAX_TEXT,
    MILESTONE_COLUMNS,
    MILESTONES,
    NO,
    PERIOD_LABEL,
    PLAN_ID_LABEL,
    READ_ME,
    SPARE_ROWS,
    UPDATE_KEYS,
    YES,
    Column,
)
from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes

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
    if export.principles:
        row += 2
        _put(ws, row, 1, "Guiding principles").font = _BOLD
        for p in export.principles:
            row += 1
            _put(ws, row, 1, str(p.get("ref", "")))
            _put(ws, row, 2, str(p.get("name", "")), wrap=True)
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    if export.plus_groups:
        row += 2
        _put(ws, row, 1, "PLUS groups").font = _BOLD
        for g in export.plus_groups:
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
        current = update.values.get("overall_rag") if update else None
        values: dict[str, Any] = {
            "theme": action.theme,
            "priority_ref": action.priority_ref,
            "priority": action.priority,
            "ref": action.ref,
            **{
                k: action.values.get(k) for k in ACTION_VALUE_KEYS if k not in ("body", "lead_user")
            },
            "body": action.body,
            "lead_user": export.usernames.get(action.lead_user_id or 0),
            "last_rag": (
                f"{rules.RAG_LABELS[last.overall]} ({last.period})" if last is not None else None
            ),
            "change": rules.CHANGES[rules.change(last.overall if last else None, current)],
            **{k: update.values.get(k) if update else None for k in UPDATE_KEYS},
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
