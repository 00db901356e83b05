"""How metrics, measurements, ambitions, commentary and SPC marks read in the audit history
(audit.domain)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from placeplan.audit.domain import Names, describe_kind

UNITS = {
    "rate_per_100k": "Rate per 100,000",
    "rate_per_100k_dsr": "Rate per 100,000 (age-standardised)",
    "percentage": "Percentage",
    "days": "Days",
    "minutes": "Minutes",
    "years": "Years",
    "count": "Count",
}
REFS = {"metric_id": "metric", "area_id": "area"}


def _of_metric(state: Mapping[str, Any], names: Names) -> str:
    """ "Emergency admissions, people aged 65 and over: Leicester, 2021-22"."""
    metric = names.name("metric", state.get("metric_id") or 0) or "a metric"
    where = names.name("area", state.get("area_id") or 0)
    return f"{metric}: " + ", ".join(str(p) for p in (where, state.get("period")) if p)


AUDIT_KINDS = (
    describe_kind(
        "metric",
        noun="metric",
        labels={"name": "Name", "definition": "Definition", "file": "File", "changes": "Changes"},
        choices={"unit": UNITS, "direction": {"higher": "Higher", "lower": "Lower"}},
        hidden={"key"},
        # An upload of measurements, confirmed: what the person did leads its changes.
        verbs={"upload_measurements": "uploaded measurements of"},
    ),
    describe_kind(
        "measurement",
        noun="measurement",
        name=_of_metric,
        labels={"value": "Value", "period": "Period"},
        refs=REFS,
        hidden={"recomputable"},
    ),
    describe_kind(
        "ambition",
        noun="ambition",
        name=_of_metric,
        labels={"target": "Target", "baseline": "Baseline", "period": "Period"},
        refs=REFS,
    ),
    describe_kind(
        "metric_commentary",
        noun="commentary",
        name=_of_metric,
        labels={"text": "Text", "public": "Shown to the public"},
        refs=REFS,
        hidden={"author"},
    ),
    describe_kind(
        "spc_rebase",
        noun="recalculation of SPC limits",
        name=_of_metric,
        labels={
            "period": "Recalculated from",
            "reason": "Reason",
            "removal_reason": "Why it was removed",
        },
        refs=REFS,
        hidden={"recorded_by", "recorded_at"},
    ),
    describe_kind(
        "spc_annotation",
        noun="chart annotation",
        name=_of_metric,
        labels={"period": "Period", "text": "Annotation"},
        refs=REFS,
        hidden={"recorded_by", "recorded_at"},
    ),
    describe_kind(
        "spc_setting",
        noun="chart baseline",
        name=_of_metric,
        labels={"baseline_points": "Limits fixed on the first points"},
        refs=REFS,
    ),
)
