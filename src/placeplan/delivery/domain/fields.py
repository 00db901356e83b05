"""The one list of each record's editable fields."""

from __future__ import annotations

DELIVERY_KINDS = frozenset({"strategy_delivery_plan", "five_year_plan"})

# An action's fields, as a document, an API body, a form or a tracker row gives them (a tracker
# names the body and lead user by text; the service turns those into body_id and lead_user_id).
ACTION_FIELDS = [
    "we_will",
    "i_will",
    "stage",
    "improvement",
    "equity",
    "equity_assured",
    "resources",
    "resources_source",
    "engagement",
    "body_id",
    "governance_note",
    "start_date",
    "due_date",
    "lead_contacts",
    "lead_organisations",
    "lead_user_id",
    "principles",
    "plus_groups",
]
# One action's report for a period.
UPDATE_FIELDS = [
    "overall_rag",
    "risk_rag",
    "trajectory_rag",
    "internal_commentary",
    "public_commentary",
    "risks",
    "decision_needed",
    "evidence",
]
MILESTONE_FIELDS = ["ref", "by_text", "due_date", "done_date"]
