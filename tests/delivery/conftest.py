from __future__ import annotations

from dataclasses import dataclass

import pytest

from placeplan.core.actor import operator
from placeplan.delivery import service
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE, submit

# Each internal field carries a value that must never reach a signed-out visitor.
SECRETS = {
    "internal": "SECRET-INTERNAL-COMMENTARY",
    "risks": "SECRET-RISK-DESCRIPTION",
    "decision": "SECRET-DECISION-NEEDED",
    "evidence": "SECRET-EVIDENCE-NOTE",
    "contact": "secret.lead@example.org",
    "resources": "SECRET-RESOURCES",
    "engagement": "SECRET-ENGAGEMENT",
    "equity": "SECRET-EQUITY-NOTE",
}


def document() -> dict:
    return {
        "source": "test",
        "rag_definitions": {"overall": {"red": "Off track: needs the board's help"}},
        "principles": [{"ref": "1", "name": "Help reduce health inequalities"}],
        "plus_groups": [{"name": "Homelessness", "focus": True}],
        "themes": [
            {
                "ref": "A",
                "name": "Healthy Places",
                "ambition": "The healthiest possible environment",
                "priorities": [
                    {
                        "ref": "2",
                        "statement": "We will improve access to primary care",
                        "outcome_statement": "Clearly understood local services",
                        "do_priority": True,
                        "actions": [
                            {
                                "ref": "HP2.1",
                                "we_will": "Develop integrated neighbourhood teams",
                                "i_will": "I will receive the right support at the right time",
                                "stage": "delivery",
                                "body": "county-hwb",
                                "lead_user": "county-viewer",
                                "lead_contacts": [SECRETS["contact"]],
                                "resources": SECRETS["resources"],
                                "engagement": SECRETS["engagement"],
                                "equity": SECRETS["equity"],
                                "equity_assured": True,
                                "plus_groups": ["Homelessness"],
                                "milestones": [
                                    {
                                        "ref": "1",
                                        "by": "Agree the INT approach",
                                        "due": "2025-05-31",
                                    },
                                    {
                                        "ref": "2",
                                        "by": "Recruit additional roles",
                                        "due": "2025-06-30",
                                        "done": "2025-06-15",
                                    },
                                ],
                            },
                            {
                                "ref": "HP2.2",
                                "we_will": "Enable digital literacy",
                                "stage": "feasibility",
                                "body": "county-ie",
                            },
                        ],
                    },
                    {
                        "ref": "3",
                        "statement": "We will move towards a carbon neutral city",
                        "actions": [
                            {
                                "ref": "HP3.1",
                                "we_will": "Deliver enhanced access",
                                "stage": "started",
                            }
                        ],
                    },
                ],
            }
        ],
        "updates": [
            {
                "period": "2025-26 Q1",
                "illustrative": True,
                "actions": {
                    "HP2.1": {"overall": "green", "risk": "green", "trajectory": "amber"},
                    "HP2.2": {"overall": "red", "risk": "red"},
                    "HP3.1": {"overall": "amber"},
                },
            },
            {
                "period": "2025-26 Q2",
                "illustrative": True,
                "actions": {
                    "HP2.1": {
                        "overall": "red",
                        "risk": "amber",
                        "trajectory": "red",
                        "internal": SECRETS["internal"],
                        "public": "Teams are being set up across the city",
                        "risks": SECRETS["risks"],
                        "decision": SECRETS["decision"],
                        "evidence": SECRETS["evidence"],
                    },
                    "HP2.2": {"overall": "amber"},
                },
            },
        ],
    }


@dataclass
class DeliveryWorld:
    plan_id: int
    action_ids: dict[str, int]


def make_delivery_plan(sessions, publish: bool = False) -> DeliveryWorld:
    from sqlalchemy import select

    from placeplan.delivery.models import DeliveryAction

    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s,
            op,
            "strategy_delivery_plan",
            "County delivery plan",
            "2025-26 to 2026-27",
            area_code=LEICESTERSHIRE,
        )
        service.load_document(s, op, plan.id, document())
        if publish:
            step = plans.add_step(
                s, op, plan.id, signatory_role="chief_executive", organisation_key="county"
            )
            from datetime import date

            submit(s, op, plan.id)
            plans.record_decision(s, op, step.id, "approved", date(2025, 1, 10))
            plans.change_status(s, op, plan.id, "published", None)
        ids = {
            a.ref: a.id
            for a in s.scalars(select(DeliveryAction).where(DeliveryAction.plan_id == plan.id))
        }
        return DeliveryWorld(plan.id, ids)


@pytest.fixture
def delivery(sessions, world) -> DeliveryWorld:
    return make_delivery_plan(sessions)
