"""The BCF planning workbook's shape: sheets, columns, labels and styles, in one place.

Conventions follow the national planning templates (REFERENCE.md): input cells yellow, cells the
workbook fills in grey (headers blue-grey), a Cover checklist with a red "No" / green "Yes" per
required item and the title "Incomplete Template" until every item is done. The checklist, the
sheets' statuses and the Summary are formulas over the Income and Expenditure sheets, so they stay
true when a lead edits the workbook in Excel or LibreOffice; placeplan never reads them back.
Enumerated columns hold the national list's labels (the reader also accepts the keys placeplan
stores).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
    Alignment,
    Border,
    Font,
    PatternFill,
    Protection,
    Side,
)

from placeplan.budget.domain import catalogue as cat

# The OOXML text escapes live in io.grid; the writer reaches them here beside MAX_TEXT.
from placeplan.io.grid import escape_text as escape_text
from placeplan.io.grid import unescape_text as unescape_text

FORMAT_NAME = "placeplan BCF planning workbook, format 1"

COVER, INCOME, EXPENDITURE, METRICS, SUMMARY, LISTS = (
    "Cover",
    "Income",
    "Expenditure",
    "Metrics",
    "Summary",
    "Lists",
)
INCOMPLETE_TITLE = "Incomplete Template"
COMPLETE, INCOMPLETE = "Complete", "Incomplete"
YES, NO = "Yes", "No"

HEADER_ROW = 4  # on Income and Expenditure: title, sheet status, a blank row, then the headers
TOP_SLICES_TITLE = "DFG top-slices agreed by the partners"
STATED_TITLE = "Figures stated in the plan's narrative"
MAX_TEXT = 32_767  # Excel's limit on one cell's text
MAX_POUNDS = 1_000_000_000  # the national template's bound on a numeric input
MAX_DATA_ROWS = 50_000

# Cover: the plan's particulars, label in column A and value in column B.
COVER_FIELDS: tuple[tuple[str, str, bool], ...] = (
    # (meta key, label, is an input)
    ("title", "Plan title", True),
    ("area_code", "Area GSS code", True),
    ("area_name", "Area name", False),
    ("year", "Financial year", True),
)
COVER_VALUE_COLUMN = 2


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text | enum | money | number | date | yesno | items
    labels: Mapping[str, str] | None = None  # enum: key -> label
    list_name: str | None = None  # the Lists sheet column a drop-down takes its values from
    max_len: int | None = None
    required: bool = False
    scheme_level: bool = False  # Expenditure: the same on every line of a scheme
    number_format: str = "General"
    aliases: tuple[str, ...] = ()  # headers it had before, read as this column


MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"

EXPENDITURE_COLUMNS: tuple[Column, ...] = (
    Column("scheme_id", "Scheme ID", 12, max_len=40, required=True, scheme_level=True),
    Column("scheme_name", "Scheme name", 36, max_len=300, required=True, scheme_level=True),
    Column("scheme_description", "Brief description", 48, scheme_level=True),
    Column(
        "scheme_type",
        "Scheme type",
        34,
        "enum",
        cat.SCHEME_TYPES,
        "scheme_types",
        60,
        True,
        scheme_level=True,
    ),
    Column("sub_type", "Sub-type", 30, "enum", None, "sub_types", 60),
    Column(
        "category",
        "Category",
        30,
        "enum",
        cat.CATEGORIES,
        "categories",
        40,
        True,
        scheme_level=True,
    ),
    Column("line_id", "Line ID", 12, max_len=40),
    Column(
        "funding_source",
        "Source of funding",
        32,
        "enum",
        cat.FUNDING_SOURCES,
        "funding_sources",
        30,
    ),
    Column("amount", "Expenditure (£)", 16, "money", number_format=MONEY_FORMAT),
    Column("new", "New investment (£)", 16, "money", number_format=MONEY_FORMAT),
    Column("area_of_spend", "Area of spend", 18, "enum", cat.AREAS_OF_SPEND, "areas", 30),
    Column("commissioner", "Commissioner", 16, "enum", cat.COMMISSIONERS, "commissioners", 10),
    Column("nhs_share", "NHS share (%)", 10, "number", number_format="0.00"),
    Column("provider", "Provider", 26, "enum", cat.PROVIDERS, "providers", 30),
    Column("district", "District council", 18, max_len=300, aliases=("District council (key)",)),
    Column("planned_outputs", "Planned outputs", 12, "number"),
    Column("output_unit", "Output unit", 16, max_len=60),
    Column("note", "Note", 40),
    Column("illustrative", "Illustrative (line)", 10, "yesno", list_name="yes_no"),
    Column("start_date", "Start date", 12, "date", scheme_level=True, number_format=DATE_FORMAT),
    Column("end_date", "End date", 12, "date", scheme_level=True, number_format=DATE_FORMAT),
    Column("desired_outcomes", "Desired outcomes", 40, scheme_level=True),
    Column("metrics", "Metrics it should move", 30, "items", scheme_level=True),
    Column("priorities", "UEC and strategy priorities", 30, "items", scheme_level=True),
    Column(
        "scheme_illustrative",
        "Illustrative (scheme)",
        10,
        "yesno",
        list_name="yes_no",
        scheme_level=True,
    ),
)
LINE_KEYS = tuple(c.key for c in EXPENDITURE_COLUMNS if not c.scheme_level)

INCOME_COLUMNS: tuple[Column, ...] = (
    Column(
        "source",
        "Source of funding",
        36,
        "enum",
        cat.FUNDING_SOURCES,
        "funding_sources",
        30,
        True,
    ),
    Column(
        "contributor", "Contributor", 26, max_len=300, aliases=("Contributor (organisation key)",)
    ),
    Column("amount", "Amount (£)", 18, "money", required=True, number_format=MONEY_FORMAT),
    Column("note", "Note", 60),
    Column("illustrative", "Illustrative", 12, "yesno", list_name="yes_no"),
)

TOP_SLICE_COLUMNS: tuple[Column, ...] = (
    Column(
        "body",
        "Agreed by",
        36,
        max_len=300,
        required=True,
        aliases=("Agreed by (governance body key)",),
    ),
    Column("decided_on", "Date agreed", 26, "date", required=True, number_format=DATE_FORMAT),
    Column(
        "amount", "Amount kept back (£)", 18, "money", required=True, number_format=MONEY_FORMAT
    ),
    Column("purpose", "Purpose", 60, required=True),
)

STATED_COLUMNS: tuple[Column, ...] = (
    Column("what", "Figure", 40, max_len=80, required=True),
    Column("text", "As stated", 24, max_len=40, required=True),
    Column("source", "Where stated", 24, max_len=300),
)
STATED_COMPUTED_HEADERS = ("Computed when exported", "Agrees at the stated precision")

# The Summary's checks look at Expenditure rows from the first data row down to at least this row
# (further when the exported lines and their spare rows reach further); totals take whole columns.
CHECKED_ROWS_TO = 2_000
NOT_LISTED = "Not given or not in the list"


def pair(scheme_type: str, sub_type: str) -> str:
    """A scheme type and one of its sub-types as one value of the Lists sheet."""
    return f"{scheme_type}|{sub_type}"


# Rule findings name a field; on the Expenditure sheet that is this column.
FIELD_COLUMNS: dict[str, str] = {
    "scheme_type": "Scheme type",
    "category": "Category",
    "funding_source": "Source of funding",
    "area_of_spend": "Area of spend",
    "commissioner": "Commissioner",
    "provider": "Provider",
    "sub_type": "Sub-type",
    "planned_outputs": "Planned outputs",
    "nhs_share": "NHS share (%)",
    "description": "Note",  # a line's description is stored as its note
    "line_id": "Line ID",
    "amount": "Expenditure (£)",
    "new": "New investment (£)",
    "district": "District council",
}

# The Cover checklist: (label, sheet it links to, rule ids whose errors make it "No").
CHECKLIST_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Each line has the fields its scheme type needs", EXPENDITURE, ("line-fields",)),
    ("Expenditure line ids are unique", EXPENDITURE, ("unique-line-ids",)),
    ("Amounts are from £0 to £1bn", EXPENDITURE, ("amount-bounds",)),
    (
        "Income equals expenditure for each funding source",
        SUMMARY,
        ("income-equals-expenditure",),
    ),
    ("DFG is spent on DFG-related or housing schemes", EXPENDITURE, ("dfg-on-dfg-lines",)),
    (
        "DFG passes to the district councils in full (two-tier areas)",
        EXPENDITURE,
        ("dfg-passed-to-districts",),
    ),
    (
        "NHS contribution to adult social care is at least the minimum",
        EXPENDITURE,
        ("nhs-asc-minimum",),
    ),
)


def sub_type_labels() -> dict[str, str]:
    """Every sub-type label once, for the drop-down (the reader maps it back by scheme type)."""
    labels: dict[str, str] = {}
    for subtypes in cat.SUB_TYPES.values():
        for label in subtypes.values():
            labels.setdefault(label, label)
    return labels


def sources_for(year: str) -> dict[str, str]:
    try:
        start = int(year[:4])
    except ValueError:
        return dict(cat.FUNDING_SOURCES)
    keys = cat.SOURCES_FROM_2025 if start >= 2025 else cat.SOURCES_BEFORE_2025
    return {k: cat.FUNDING_SOURCES[k] for k in keys}


# ---- styles ----------------------------------------------------------------------------------

YELLOW = PatternFill("solid", fgColor="FFFF99")
GREY = PatternFill("solid", fgColor="D9D9D9")
BLUE = PatternFill("solid", fgColor="BDD7EE")
GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PLAIN_FONT = Font(name="Calibri", size=11)
BOLD = Font(name="Calibri", size=11, bold=True)
TITLE_FONT = Font(name="Calibri", size=16, bold=True)
TITLE_INCOMPLETE_FONT = Font(name="Calibri", size=16, bold=True, color="C00000")
SECTION_FONT = Font(name="Calibri", size=13, bold=True)
GREEN_FONT = Font(name="Calibri", size=11, bold=True, color="006100")
RED_FONT = Font(name="Calibri", size=11, bold=True, color="9C0006")
GREEN_CF = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")  # conditional formats
RED_CF = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


@dataclass(frozen=True)
class Style:
    font: Font = PLAIN_FONT
    fill: PatternFill | None = None
    border: Border | None = None
    number_format: str = "General"
    alignment: Alignment = TOP
    protection: Protection = LOCKED


@functools.cache
def input_style(number_format: str = "General", wrap: bool = False) -> Style:
    return Style(PLAIN_FONT, YELLOW, BOX, number_format, WRAP if wrap else TOP, UNLOCKED)


@functools.cache
def computed_style(number_format: str = "General", bold: bool = False) -> Style:
    return Style(BOLD if bold else PLAIN_FONT, GREY, BOX, number_format)


HEADER = Style(BOLD, BLUE, BOX, "General", Alignment(vertical="top", wrap_text=True))
LABEL = Style(BOLD)
TITLE = Style(TITLE_FONT)
TITLE_INCOMPLETE = Style(TITLE_INCOMPLETE_FONT)
SECTION = Style(SECTION_FONT)
NOTE = Style(Font(name="Calibri", size=10, italic=True))
YES_STYLE = Style(GREEN_FONT, GREEN, BOX)
NO_STYLE = Style(RED_FONT, RED, BOX)
COMPUTED_WRAP = Style(PLAIN_FONT, GREY, BOX, "General", WRAP)
NO_MONEY = Style(RED_FONT, RED, BOX, MONEY_FORMAT)
STATUS = Style(BOLD, GREY, BOX)  # a recomputed Yes / No or Complete / Incomplete
