"""Assurance in the record's language: labels, the dashboard's table (page, CSV, xlsx) and how the
audit history reads assurance records."""

from __future__ import annotations

from typing import Any

from placeplan.assurance import domain
from placeplan.assurance.service import NOT_RATED, Dashboard, Row
from placeplan.audit.domain import describe_kind
from placeplan.pledges.domain.table import Table

RATING_LABELS: dict[str, str] = {**domain.RATINGS, NOT_RATED: "Not yet rated"}
# NHS.UK tag colours: the words carry the meaning, the colour repeats it.
RATING_TAGS: dict[str, str] = {
    "approved": "nhsuk-tag--green",
    "approved_with_conditions": "nhsuk-tag--yellow",
    "not_approved": "nhsuk-tag--red",
    NOT_RATED: "nhsuk-tag--grey",
}

AUDIT_KINDS = (
    describe_kind(
        "assurance_record",
        noun="assurance record",
        name=lambda state, names: "assurance",
        labels={
            "rating": "Rating",
            "conditions": "Conditions",
            "comments": "Comments",
            "escalated": "Escalated",
            "escalation_note": "Reason for escalation",
        },
        hidden={"answers", "checked", "updated_at"},
        choices={"rating": domain.RATINGS},
        part="the assurance",
    ),
)

HEADER = (
    "Region",
    "System",
    "Area",
    "GSS code",
    "Plan",
    "Status",
    "First submitted",
    "Rating",
    "Conditions",
    "Escalated",
    "Checklist items met",
)


def row_values(row: Row) -> list[Any]:
    return [
        row.region,
        row.system,
        row.area,
        row.gss_code,
        row.title,
        row.status.capitalize(),
        row.first_submitted.isoformat() if row.first_submitted else "",
        RATING_LABELS[row.rating or NOT_RATED],
        row.conditions or "",
        "Yes" if row.escalated else "No",
        f"{row.met} of {row.items}" if row.met is not None else "Not yet assessed",
    ]


def table(board: Dashboard) -> Table:
    return Table(
        title=f"Assurance of BCF plans {year_label(board.year)}",
        sheet="Assurance",
        header=HEADER,
        rows=[row_values(r) for r in board.rows],
    )


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"
