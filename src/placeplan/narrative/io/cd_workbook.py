"""The intermediate care capacity and demand plan as an xlsx, laid out as the national template:
a read-me sheet, hospital discharge demand and capacity by pathway and service, community
(step-up) demand and capacity, then the assumptions. Month columns run April to March. Pure: a
domain CapacityPlan in, bytes out; figures are numbers (rounded to one decimal place, as Decimal),
text is explicit string cells, and fixed times make the bytes depend on the plan alone."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

from placeplan.io.grid import escape_text
from placeplan.io.xlsx_stable import stable_bytes
from placeplan.narrative.domain.capacity_plan import CapacityPlan, Month, Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GREY = PatternFill(
    "solid", fgColor="D8DDE0"
)  # calculated cells, as the national templates shade them
SHEETS = ("Read me", "Hospital discharge", "Community", "Assumptions")


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        if value:
            cell.value = escape_text(value)
            cell.data_type = "s"  # text, never a formula
    elif isinstance(value, float):
        cell.value = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    elif value is not None:
        cell.value = value
    return cell


def _month_label(month: str) -> str:
    year, m = (int(x) for x in month.split("-"))
    return f"{date(year, m, 1):%b %Y}"


def _measures(service: Service) -> list[tuple[str, list[float | None], bool]]:
    """(label, one value a month, calculated): the rows a service takes."""
    unit = "packages at once" if service.kind == "visits" else "places"
    months = service.months
    rows: list[tuple[str, list[float | None], bool]] = [
        ("Demand: referrals in the month", [m.demand for m in months], False),
        (f"Capacity: {unit}", [m.capacity for m in months], False),
        ("Capacity: new starts in the month", [m.starts for m in months], False),
    ]
    if any(m.visits_per_day is not None for m in months):
        # the national template counts home-based capacity in visits as well as packages
        rows.append(("Visits: care calls a day", [m.visits_per_day for m in months], False))
    rows += [
        ("Gap: referrals not started in the month", [m.gap for m in months], True),
        ("Mean wait for a start (days)", [m.mean_wait_days for m in months], False),
    ]
    if service.interim:
        rows.append((f"Interim use: {service.interim}", [m.interim for m in months], False))
    return rows


def _year(values: list[float | None], label: str) -> float | None:
    if label.startswith(("Capacity: places", "Capacity: packages", "Mean wait", "Visits")):
        return None  # a level, not a count: no year total
    return sum(v or 0.0 for v in values)


def _service_sheet(ws: Any, plan: CapacityPlan, services: list[Service], title: str) -> None:
    bold = Font(bold=True)
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{plan.plan_title}: from {plan.model_name}, {plan.run_label}")
    header = ["Pathway", "Service", "Measure", *(_month_label(m) for m in plan.months), "Year"]
    for col, name in enumerate(header, start=1):
        _put(ws, 4, col, name).font = bold
    row = 5
    for service in services:
        for label, values, calculated in _measures(service):
            _put(ws, row, 1, service.pathway)
            _put(ws, row, 2, f"{service.name} ({service.id})")
            _put(ws, row, 3, label)
            for n, value in enumerate(values, start=4):
                cell = _put(ws, row, n, value)
                if calculated:
                    cell.fill = GREY
            _put(ws, row, 4 + len(values), _year(values, label))
            row += 1
    if not services:
        _put(ws, 5, 1, "The model has no service of this kind.")
    ws.freeze_panes = "D5"
    for col, width in enumerate((34, 40, 38), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col in range(4, 5 + len(plan.months)):
        ws.column_dimensions[get_column_letter(col)].width = 10


def _read_me(ws: Any, plan: CapacityPlan) -> None:
    lines = [
        "Intermediate care capacity and demand plan",
        plan.plan_title,
        f"From the capacity model “{plan.model_name}”, {plan.run_label}.",
        "",
        "Each month from April: demand (referrals), capacity (places or packages at once, and the"
        " new starts they made), the gap (referrals not started in the month), the mean wait"
        " and the interim used while a service was full.",
        "Figures are means over the model's replications, rounded to one decimal place.",
        "Grey cells are worked out from the others.",
        "Sheets: " + ", ".join(SHEETS[1:]) + ".",
    ]
    for n, line in enumerate(lines, start=1):
        _put(ws, n, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def _assumptions(ws: Any, plan: CapacityPlan) -> None:
    _put(ws, 1, 1, "Assumptions").font = Font(bold=True, size=14)
    _put(ws, 2, 1, "Number").font = Font(bold=True)
    _put(ws, 2, 2, "Assumption, with where it comes from").font = Font(bold=True)
    row = 3
    for n, note in enumerate(plan.assumptions, start=1):
        _put(ws, row, 1, n)
        _put(ws, row, 2, note).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if plan.sizing is not None:
        s = plan.sizing
        _put(ws, row + 1, 1, "Sizing").font = Font(bold=True)
        _put(
            ws,
            row + 2,
            2,
            f"{s.service}: {s.today} {s.unit} today; {s.needed if s.needed is not None else 'more than the sizing tried'}"
            f" needed for {s.target}; a gap of {s.gap if s.gap is not None else 'unknown'} {s.unit}"
            f" (sized with {s.replications} replications).",
        )
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 120


def workbook_bytes(plan: CapacityPlan) -> bytes:
    wb = Workbook()
    wb.properties.creator = "placeplan"
    wb.properties.title = f"Capacity and demand plan: {plan.plan_title}"[:250]
    ws = wb.active
    ws.title = SHEETS[0]
    _read_me(ws, plan)
    _service_sheet(
        wb.create_sheet(SHEETS[1]),
        plan,
        [s for s in plan.services if s.source == "discharge"],
        "Hospital discharge: demand and capacity by pathway and service",
    )
    _service_sheet(
        wb.create_sheet(SHEETS[2]),
        plan,
        [s for s in plan.services if s.source != "discharge"],
        "Community (step-up): demand and capacity by service",
    )
    _assumptions(wb.create_sheet(SHEETS[3]), plan)
    return stable_bytes(wb)


def year_total(months: tuple[Month, ...], field: str) -> float:
    return sum(float(getattr(m, field)) for m in months)
