"""A plan's financial models: read, create, edit a line, copy to scenarios and compare. Every
write is audited; visibility follows the plan's.

    stored     models: read, create, the model as the domain reads it, the line's edit
    allocations  need-weighted allocations with a pace of change
    allocation_edits  an allocation's form, and an uploaded need index previewed then applied
    uplift     a model's allocation change in a year as an uplift, for the BCF's NHS minimum
    scenarios  copies into named scenarios, out of date when the base moved, side by side
"""

from __future__ import annotations

from placeplan.finance.service.allocation_edits import (
    IndexPreview,
    apply_need_index,
    editable_allocation,
    held_index_preview,
    plan_for_allocation,
    preview_need_index,
    save_allocation,
    save_allocation_document,
)
from placeplan.finance.service.allocations import (
    ALLOCATION_KIND,
    Allocated,
    allocated,
    create_allocation,
    get_allocation,
    plan_allocation,
    plan_allocations,
)
from placeplan.finance.service.scenarios import (
    Staleness,
    compare_models,
    copy_to_scenario,
    staleness,
)
from placeplan.finance.service.stored import (
    KIND,
    Computed,
    can_edit,
    computed,
    create_model,
    get_model,
    model_of,
    plan_id_of,
    plan_model,
    plan_models,
    update_line,
    update_settings,
)
from placeplan.finance.service.uplift import Offered, models_for_year, uplift_from

__all__ = [
    "Offered",
    "models_for_year",
    "uplift_from",
    "IndexPreview",
    "apply_need_index",
    "editable_allocation",
    "held_index_preview",
    "plan_for_allocation",
    "preview_need_index",
    "save_allocation",
    "save_allocation_document",
    "ALLOCATION_KIND",
    "Allocated",
    "allocated",
    "create_allocation",
    "get_allocation",
    "plan_allocation",
    "plan_allocations",
    "KIND",
    "Computed",
    "Staleness",
    "can_edit",
    "compare_models",
    "computed",
    "copy_to_scenario",
    "create_model",
    "get_model",
    "model_of",
    "plan_id_of",
    "plan_model",
    "plan_models",
    "staleness",
    "update_line",
    "update_settings",
]
