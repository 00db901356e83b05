from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from placeplan.core.actor import operator
from placeplan.plans import service as plans
from placeplan.pledges import service
from placeplan.pledges.models import PledgeMeasure
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE


def document() -> dict[str, Any]:
    """Two pledges whose figures are chosen so each status can be derived by hand (see the
    comments at each latest value)."""
    return {
        "pledges": [
            {
                "ref": "1",
                "title": "Faster A&E",
                "statement": "Reduce waiting times in A&E",
                "priority": "Urgent care",
                "accountable": [
                    {"name": "County Health and Wellbeing Board", "body": "county-hwb"},
                    {"name": "Urgent Care Partnership"},
                ],
                "measures": [
                    {
                        # Baseline 60 at the end of March 2024, target 80 at the end of March
                        # 2026 (730 days later); 2024-25 ends 365 days in, so the line stands at
                        # 60 + 20 * 365/730 = 70; 72 is above it: on track.
                        "ref": "1.1",
                        "name": "Seen within four hours",
                        "unit": "percentage",
                        "direction": "higher",
                        "baseline": {"value": 60, "period": "2023-24"},
                        "target": {"value": 80, "period": "2025-26"},
                        "latest": {"value": 72, "period": "2024-25"},
                    },
                    {"ref": "1.2", "name": "A measure still to be defined"},
                ],
            },
            {
                "ref": "2",
                "title": "Fewer long waits",
                "statement": "Reduce waits for planned treatment",
                "accountable": [{"name": "Planned Care Partnership"}],
                "measures": [
                    {
                        # Lower is better: 1,000 to 600 over 2023-24 to 2025-26; at 2024-25 the
                        # line stands at 800; 850 is worse than that: off track.
                        "ref": "2.1",
                        "name": "Waiting 18 weeks or more",
                        "unit": "people",
                        "direction": "lower",
                        "baseline": {"value": 1000, "period": "2023-24"},
                        "target": {"value": 600, "period": "2025-26"},
                        "latest": {"value": 850, "period": "2024-25"},
                    }
                ],
            },
        ],
        "interventions": [
            {
                "table": "Table 4",
                "title": "Urgent care",
                "pledge": "1",
                "items": [
                    {"number": "1", "description": "Open a hub", "timeline": "23/24 to 25/26"},
                    {"number": "2", "description": "Train staff", "timeline": "From 24/25"},
                ],
            },
            {
                "table": "Table 5",
                "items": [{"number": "1", "description": "A digital team", "timeline": ""}],
            },
        ],
    }


@dataclass
class PledgeWorld:
    plan_id: int
    measures: dict[str, int]


def make_pledge_plan(sessions: Any, doc: dict[str, Any] | None = None) -> PledgeWorld:
    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s,
            op,
            "five_year_plan",
            "County five-year plan",
            "2023-24 to 2027-28",
            area_code=LEICESTERSHIRE,
        )
        service.load_document(s, op, plan.id, doc or document())
        ids = {
            m.ref: m.id
            for m in s.scalars(select(PledgeMeasure).where(PledgeMeasure.plan_id == plan.id))
        }
        return PledgeWorld(plan.id, ids)


@pytest.fixture
def pledge_world(sessions, world) -> PledgeWorld:
    return make_pledge_plan(sessions)
