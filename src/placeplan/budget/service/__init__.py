"""Operations on a plan's budget. Every write is audited in the caller's transaction and renews
the plan's budget revision token, so the computed views (view) are reused until then.

documents (a plan's rows as a BudgetDocument and Budget), load (replacing a budget with a
document), baseline (the NHS contribution to adult social care), nhs_minimum (a plan's minimum and its
uplift taken from a financial model), schemes (a scheme, line edits,
KLOE reviews), view (the budget page's view and its cache), system (a system's summary),
snapshots (a plan's budget in its snapshots and their differences), kept_workbook (a submitted
version as the workbook it was), submission (what stops a plan's submission), workbook (the
planning workbook and a plan's records), preview (a workbook's upload previewed, held and
confirmed).
"""

from __future__ import annotations

from placeplan.budget.domain import rules
from placeplan.budget.domain.kloe import KLOE_PARTS, KLOE_RATINGS, RECOMMENDATIONS
from placeplan.budget.domain.stated import stated_checks
from placeplan.budget.service.baseline import set_nhs_asc_baseline
from placeplan.budget.service.documents import budget_from, document_for
from placeplan.budget.service.kept_workbook import SnapshotWorkbook, snapshot_workbook_file
from placeplan.budget.service.load import load_document
from placeplan.budget.service.nhs_minimum import (
    Minimum,
    UpliftPreview,
    minimum_and_offered,
    models_offered,
    nhs_minimum,
    preview_uplift,
    take_uplift,
)
from placeplan.budget.service.preview import (
    Preview,
    StalePreview,
    compare_workbook,
    confirm_workbook,
    held_preview,
    import_with_differences,
    preview_again,
    preview_workbook,
)
from placeplan.budget.service.revisions import check_revision, revision, touch
from placeplan.budget.service.schemes import (
    LINE_EDITABLE,
    SchemeView,
    add_review,
    get_scheme,
    scheme_id_of_line,
    scheme_view,
    update_line,
)
from placeplan.budget.service.snapshots import names_for, part_differences, snapshot_part
from placeplan.budget.service.submission import submission_errors, submission_problems
from placeplan.budget.service.system import system_summary
from placeplan.budget.service.view import (
    VIEW_TTL,
    BudgetView,
    LatestReview,
    SchemeRef,
    can_edit_budget,
    changes_since_previous,
    previous_plan,
    view,
)
from placeplan.budget.service.workbook import (
    WorkbookFile,
    WorkbookRefused,
    export_workbook,
    import_parsed,
    import_workbook,
    plan_meta,
    read_upload,
    validate_for_plan,
)

__all__ = [
    "check_revision",
    "revision",
    "Minimum",
    "minimum_and_offered",
    "UpliftPreview",
    "models_offered",
    "nhs_minimum",
    "preview_uplift",
    "take_uplift",
    "KLOE_PARTS",
    "KLOE_RATINGS",
    "LINE_EDITABLE",
    "RECOMMENDATIONS",
    "VIEW_TTL",
    "BudgetView",
    "LatestReview",
    "SchemeRef",
    "SchemeView",
    "Preview",
    "SnapshotWorkbook",
    "StalePreview",
    "WorkbookFile",
    "WorkbookRefused",
    "add_review",
    "budget_from",
    "can_edit_budget",
    "changes_since_previous",
    "compare_workbook",
    "confirm_workbook",
    "document_for",
    "export_workbook",
    "get_scheme",
    "held_preview",
    "import_parsed",
    "import_with_differences",
    "import_workbook",
    "load_document",
    "names_for",
    "part_differences",
    "plan_meta",
    "preview_again",
    "preview_workbook",
    "previous_plan",
    "read_upload",
    "rules",
    "scheme_id_of_line",
    "scheme_view",
    "set_nhs_asc_baseline",
    "snapshot_part",
    "snapshot_workbook_file",
    "stated_checks",
    "submission_errors",
    "submission_problems",
    "system_summary",
    "touch",
    "update_line",
    "validate_for_plan",
    "view",
]
