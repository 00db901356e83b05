"""Assurance's operations: records (a plan's checklist, rating and escalation) and the dashboard."""

from __future__ import annotations

from placeplan.assurance.service.dashboard import (
    NOT_RATED,
    Dashboard,
    Filters,
    Row,
    dashboard,
    latest_year,
)
from placeplan.assurance.service.records import (
    AssuranceView,
    assurance_view,
    facts,
    record_of,
    require_assurer,
    save_assurance,
    scope_region_ids,
)

__all__ = [
    "NOT_RATED",
    "AssuranceView",
    "Dashboard",
    "Filters",
    "Row",
    "assurance_view",
    "dashboard",
    "facts",
    "latest_year",
    "record_of",
    "require_assurer",
    "save_assurance",
    "scope_region_ids",
]
