"""How financial models read in the audit history (audit.domain)."""

from __future__ import annotations

from placeplan.audit.domain import describe_kind

AUDIT_KINDS = (
    describe_kind(
        "finance_model",
        noun="financial model",
        labels={"name": "Name", "document": "Assumptions"},
        refs={"base_id": "finance_model"},
        hidden={"base_document", "base_version"},
        part="the financial model",
        verbs={"copy": "copied"},
    ),
    describe_kind(
        "finance_allocation",
        noun="need-weighted allocation",
        labels={"name": "Name", "document": "Areas, need and pace"},
        hidden={"illustrative"},
        part="the financial model",
    ),
)
