"""How pledges, their partnerships, measures and the plan's interventions read in the audit
history (audit.domain)."""

from __future__ import annotations

from placeplan.audit.domain import describe_kind
from placeplan.pledges.domain.status import DIRECTIONS

AUDIT_KINDS = (
    describe_kind(
        "pledge",
        noun="pledge",
        name="title",
        labels={"title": "Title", "statement": "Statement", "accountable": "Accountable"},
        hidden={"ref"},
        part="the pledges",
    ),
    describe_kind(
        "pledge_partnership",
        noun="partnership",
        within="pledge_id",
        refs={"pledge_id": "pledge", "body_id": "body"},
        part="the pledges",
    ),
    describe_kind(
        "pledge_measure",
        noun="measure",
        labels={
            "name": "Name",
            "latest_value": "Latest value",
            "latest_period": "Latest period",
            "allocation_id": "Follows the allocation",
            "allocation_area": "For the area",
        },
        refs={"pledge_id": "pledge", "allocation_id": "finance_allocation"},
        choices={"direction": DIRECTIONS},
        hidden={"latest_illustrative"},
        part="the pledges",
    ),
    describe_kind(
        "intervention",
        noun="intervention",
        name="{table_ref}, intervention {number}",
        labels={"description": "Description"},
        refs={"pledge_id": "pledge"},
        part="the pledges",
    ),
)
