"""The delivery tracker workbook's layout: its sheets, the Read me labels and every column.

`write` writes sheets Read me (the plan, the period, how to use the workbook, the RAG definitions,
stages, guiding principles and PLUS groups), Actions (seed 004's tracker columns and the period's
update columns) and Milestones (the "By ..." of each action); `read` finds the columns by their
header text. Grey (info) columns are shown, never read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from placeplan.delivery.domain.fields import UPDATE_FIELDS

FORMAT_NAME = "placeplan delivery tracker, format 1"
READ_ME, ACTIONS, MILESTONES = "Read me", "Actions", "Milestones"
MAX_ROWS = 20_000
MAX_TEXT = 32_767  # Excel's limit on one cell's text
SPARE_ROWS = 50  # rows below the data that still get the drop-downs, for new actions

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
UPDATE_KEYS = tuple(UPDATE_FIELDS)
ACTION_VALUE_KEYS = [
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
