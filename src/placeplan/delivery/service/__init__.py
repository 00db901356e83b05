"""Operations on a plan's delivery tracker, split by job. Every write is audited in the caller's
transaction.

Reads come in two kinds: the tracker and its reports carry internal fields (RAG detail, internal
commentary, risks, decisions, lead contacts) and need a sign-in; `public_view` carries only what
the public microsite shows and only for a published plan.

`from placeplan.delivery import service; service.highlight(...)` keeps working: the public
functions of every module are re-exported here.
"""

from placeplan.delivery.domain.fields import (
    ACTION_FIELDS,
    DELIVERY_KINDS,
    MILESTONE_FIELDS,
    UPDATE_FIELDS,
)
from placeplan.delivery.domain.rows import ActionRow, Rating
from placeplan.delivery.domain.tracker import TrackerActionIn, TrackerExport, TrackerMilestoneIn
from placeplan.delivery.domain.updates import UpdateIn
from placeplan.delivery.service.access import (
    can_edit,
    delivery_plan,
    editable_plan,
    internal_plan,
    may_update,
    require_edit,
)
from placeplan.delivery.service.highlight import (
    REPORT_TTL,
    clear_caches,
    highlight,
    revision_token,
)
from placeplan.delivery.service.history import History, rag_history
from placeplan.delivery.service.loading import load_document
from placeplan.delivery.service.milestones import (
    add_milestone,
    get_milestone,
    mark_milestone,
    update_milestone,
)
from placeplan.delivery.service.public import public_view
from placeplan.delivery.service.reads import (
    Tracker,
    action_rows,
    choose_period,
    periods_with_updates,
    tracker,
)
from placeplan.delivery.service.reports import (
    find_body,
    house_style,
    on_a_page,
    plan_bodies,
    report_content,
)
from placeplan.delivery.service.structure import (
    action_values,
    add_action,
    add_priority,
    add_theme,
    bodies_for,
    framework,
    get_action,
    rag_definitions,
    set_framework,
    update_action,
    user_id_for,
)
from placeplan.delivery.service.tracker_apply import apply_tracker
from placeplan.delivery.service.tracker_export import tracker_export
from placeplan.delivery.service.tracker_import import import_parsed, import_tracker
from placeplan.delivery.service.tracker_preview import (
    StalePreview,
    TrackerPreview,
    WorkbookProblems,
    confirm_tracker,
    hold_tracker,
    preview_parsed,
)
from placeplan.delivery.service.updates import record_updates, update_form_rows
from placeplan.delivery.service.waiting import ActionsDue, actions_to_update

__all__ = [
    "History",
    "rag_history",
    "ActionsDue",
    "actions_to_update",
    "ACTION_FIELDS",
    "DELIVERY_KINDS",
    "MILESTONE_FIELDS",
    "REPORT_TTL",
    "UPDATE_FIELDS",
    "ActionRow",
    "Rating",
    "Tracker",
    "TrackerActionIn",
    "TrackerExport",
    "TrackerMilestoneIn",
    "StalePreview",
    "TrackerPreview",
    "UpdateIn",
    "WorkbookProblems",
    "action_rows",
    "action_values",
    "add_action",
    "add_milestone",
    "add_priority",
    "add_theme",
    "apply_tracker",
    "bodies_for",
    "can_edit",
    "choose_period",
    "clear_caches",
    "confirm_tracker",
    "delivery_plan",
    "editable_plan",
    "find_body",
    "framework",
    "get_action",
    "get_milestone",
    "highlight",
    "hold_tracker",
    "import_parsed",
    "import_tracker",
    "internal_plan",
    "load_document",
    "mark_milestone",
    "may_update",
    "on_a_page",
    "periods_with_updates",
    "plan_bodies",
    "house_style",
    "preview_parsed",
    "public_view",
    "rag_definitions",
    "record_updates",
    "report_content",
    "require_edit",
    "revision_token",
    "set_framework",
    "tracker",
    "tracker_export",
    "update_action",
    "update_form_rows",
    "update_milestone",
    "user_id_for",
]
