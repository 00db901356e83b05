"""Operations on plans: records (adding, finding, editing), versions (what a plan holds, its
snapshots and the differences between them, the check at submission), sign_off (the chain and
decisions bound to versions) and status (submission, approval, publication)."""

from __future__ import annotations

from placeplan.plans.service.records import (
    PLAN_EDITABLE,
    create_plan,
    drafts_of_mine,
    get_plan,
    list_plans,
    period_of,
    plans_in_area,
    require_edit,
    update_plan,
)
from placeplan.plans.service.sign_off import (
    ChainStanding,
    StepStanding,
    add_step,
    chain_standing,
    follow_decisions,
    offered_steps,
    record_decision,
    steps_to_decide,
)
from placeplan.plans.service.status import change_status
from placeplan.plans.service.versions import (
    Comparison,
    compare_versions,
    content_parts,
    current_content,
    current_fingerprint,
    differences_between,
    get_snapshot,
    latest_snapshot,
    list_snapshots,
    part_sections,
    previous_year_plan,
    step_name,
    submission_check,
    submission_problems,
    submission_warnings,
    take_snapshot,
)

__all__ = [
    "PLAN_EDITABLE",
    "ChainStanding",
    "Comparison",
    "StepStanding",
    "add_step",
    "chain_standing",
    "change_status",
    "compare_versions",
    "content_parts",
    "create_plan",
    "current_content",
    "current_fingerprint",
    "differences_between",
    "drafts_of_mine",
    "follow_decisions",
    "get_plan",
    "get_snapshot",
    "latest_snapshot",
    "list_plans",
    "list_snapshots",
    "offered_steps",
    "part_sections",
    "period_of",
    "plans_in_area",
    "previous_year_plan",
    "record_decision",
    "require_edit",
    "step_name",
    "steps_to_decide",
    "submission_check",
    "submission_problems",
    "submission_warnings",
    "take_snapshot",
    "update_plan",
]
