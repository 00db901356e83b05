"""How capacity models and their runs read in the audit history (audit.domain)."""

from __future__ import annotations

from placeplan.audit.domain import describe_kind
from placeplan.capacity.present.format import STATUS_TEXT

AUDIT_KINDS = (
    describe_kind(
        "capacity_model",
        noun="capacity model",
        labels={
            "name": "Name",
            "scenario_yaml": "Scenario",
            "service": "Service",
            "length_of_stay": "Length of stay",
            "file": "File of observed stays",
            "observations": "Observed stays",
            "ks_statistic": "Kolmogorov-Smirnov statistic",
            "aic": "AIC",
        },
        hidden={"created_at"},
        verbs={"fit_length_of_stay": "fitted a length of stay for"},
    ),
    describe_kind(
        "capacity_run",
        noun="model run",
        name="Run",
        within="model_id",
        labels={
            "status": "Status",
            "elapsed_seconds": "Time taken (seconds)",
            "seed": "Random seed",
        },
        refs={"model_id": "capacity_model"},
        choices={"status": {code: text[0] for code, text in STATUS_TEXT.items()}},
        hidden={"scenario_yaml"},  # the model's, as run: the model's own history has it
        belongs_to=("model_id", "capacity_model"),
    ),
    describe_kind(
        "capacity_sweep",
        noun="capacity sweep",
        labels={"name": "Name", "tasks": "Tasks", "failed": "Failed tasks", "seed": "Random seed"},
        hidden={"spec_yaml", "scenario_yaml", "rows", "created_at"},
    ),
)
