"""A return as an xlsx workbook: the Return sheet (the plan, the quarter, the national conditions
and who confirmed them, the narrative, the year-end outturn, how the planned profile is worked
out), then Metrics, Spend by category, Spend by funding source and Spend by line. Pure: the
return's content (returns.domain.return_content) in, bytes out. Amounts are pounds to the penny
(Decimal, never float); text cells are explicit strings; fixed times make the bytes depend on
the return alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped,unused-ignore]

from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POUNDS = '"£"#,##0.00;-"£"#,##0.00'
SPEND_KEYS = [
    ("Plan for the year", "plan_pence"),
    ("Planned to date", "planned_pence"),
    ("Actual to date", "actual_pence"),
    ("Variance to date", "variance_pence"),
    ("Forecast outturn", "forecast_pence"),
    ("Forecast variance", "forecast_variance_pence"),
]
METRIC_KEYS = [
    ("Metric", "name"),
    ("Latest period", "period"),
    ("Latest value", "value"),
    ("Variation", "variation"),
    ("Assurance", "assurance"),
    ("Ambition", "ambition"),
    ("Against the ambition", "against"),
]


def _put(ws: Any, row: int, col: int, value: Any, money: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    if money and isinstance(value, int):
        cell.value = Decimal(value) / 100
        cell.number_format = POUNDS
    elif isinstance(value, str):
        if value:
            cell.value = escape_text(value)
            cell.data_type = "s"
    elif value is not None:
        cell.value = value


def _table(ws: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], money: set[int]) -> None:
    for col, text in enumerate(header, start=1):
        _put(ws, 1, col, text)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = 22
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value, money=c - 1 in money)
    ws.freeze_panes = "A2"


def _spend_rows(items: Sequence[Mapping[str, Any]], first: str) -> list[list[Any]]:
    return [[item[first], *(item[k] for _, k in SPEND_KEYS)] for item in items]


def _cover(ws: Any, content: Mapping[str, Any]) -> None:
    conditions = content["conditions"]
    met = conditions["met"]
    facts: list[tuple[str, Any, bool]] = [
        ("Plan", content["plan"]["title"], False),
        ("Area", content["plan"]["area"], False),
        ("Return", content["kind"], False),
        ("Quarter", content["quarter"], False),
        (
            "Figures",
            "Illustrative spend: not a real ledger" if content["illustrative"] else "As recorded",
            False,
        ),
        ("National conditions still met", "" if met is None else "Yes" if met else "No", False),
        ("Confirmed by", conditions["confirmed_by"], False),
        ("Note on the national conditions", conditions["note"], False),
        ("Successes", content["narrative"]["successes"], False),
        ("Challenges", content["narrative"]["challenges"], False),
        ("Planned profile", content["profile"], False),
    ]
    total = content["spend"]["total"]
    facts += [(label, total[key], True) for label, key in SPEND_KEYS]
    if "outturn" in content:
        facts += [
            ("Outturn for the year", content["outturn"]["outturn_pence"], True),
            ("Outturn against the plan", content["outturn"]["variance_pence"], True),
        ]
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    for row, (label, value, money) in enumerate(facts, start=1):
        _put(ws, row, 1, label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        _put(ws, row, 2, value, money=money)
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")


def return_bytes(content: Mapping[str, Any]) -> bytes:
    wb = Workbook()
    cover = wb.active
    cover.title = "Return"
    _cover(cover, content)
    metrics = wb.create_sheet("Metrics")
    _table(
        metrics,
        [h for h, _ in METRIC_KEYS],
        [[m[k] for _, k in METRIC_KEYS] for m in content["metrics"]],
        set(),
    )
    spend = content["spend"]
    money = set(range(1, 1 + len(SPEND_KEYS)))
    for title, key, first in (
        ("Spend by category", "by_category", "Category"),
        ("Spend by funding source", "by_source", "Funding source"),
    ):
        _table(
            wb.create_sheet(title),
            [first, *(h for h, _ in SPEND_KEYS)],
            [
                *_spend_rows(spend[key], "name"),
                ["Total", *(spend["total"][k] for _, k in SPEND_KEYS)],
            ],
            money,
        )
    lines = wb.create_sheet("Spend by line")
    _table(
        lines,
        ["Line", "Scheme", "Category", "Funding source", *(h for h, _ in SPEND_KEYS), "Commentary"],
        [
            [
                i["name"],
                i["scheme"],
                i["category"],
                i["source"],
                *(i[k] for _, k in SPEND_KEYS),
                i["commentary"],
            ]
            for i in spend["by_line"]
        ],
        set(range(4, 4 + len(SPEND_KEYS))),
    )
    return stable_bytes(wb)
