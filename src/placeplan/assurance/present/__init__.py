"""Assurance in the record's language: the pages' and downloads' tables and labels (tables), the
API's answers (schemas)."""

from __future__ import annotations

from placeplan.assurance.present.tables import (
    AUDIT_KINDS,
    BATCH_HEADER,
    FUNNEL_HEADER,
    HEADER,
    LEAGUE_HEADER,
    RATING_LABELS,
    RATING_TAGS,
    FunnelChart,
    batch_rows,
    funnel_chart,
    funnel_rows,
    league_rows,
    per_head,
    row_values,
    spend_header,
    spend_rows,
    table,
    year_label,
)

__all__ = [
    "AUDIT_KINDS",
    "BATCH_HEADER",
    "FUNNEL_HEADER",
    "HEADER",
    "LEAGUE_HEADER",
    "RATING_LABELS",
    "RATING_TAGS",
    "FunnelChart",
    "batch_rows",
    "funnel_chart",
    "funnel_rows",
    "league_rows",
    "per_head",
    "row_values",
    "spend_header",
    "spend_rows",
    "table",
    "year_label",
]
