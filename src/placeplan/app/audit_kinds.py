"""The answer to the audit's hook `audit.record_kinds`: the kinds of record the concepts after
the audit keep, as each describes them in its present layer. Imported on the hook's first call."""

from __future__ import annotations

from placeplan.assurance.present import AUDIT_KINDS as ASSURANCE
from placeplan.audit.domain import Kind
from placeplan.budget.present import AUDIT_KINDS as BUDGET
from placeplan.capacity.present.audit_kinds import AUDIT_KINDS as CAPACITY
from placeplan.delivery.present import AUDIT_KINDS as DELIVERY
from placeplan.finance.present.audit_kinds import AUDIT_KINDS as FINANCE
from placeplan.measures.present.audit_kinds import AUDIT_KINDS as MEASURES
from placeplan.narrative.present import AUDIT_KINDS as NARRATIVE
from placeplan.plans.present import AUDIT_KINDS as PLANS
from placeplan.pledges.present.audit_kinds import AUDIT_KINDS as PLEDGES
from placeplan.returns.present import AUDIT_KINDS as RETURNS


def record_kinds() -> tuple[Kind, ...]:
    return (
        *PLANS,
        *FINANCE,
        *BUDGET,
        *CAPACITY,
        *MEASURES,
        *DELIVERY,
        *PLEDGES,
        *NARRATIVE,
        *RETURNS,
        *ASSURANCE,
    )
