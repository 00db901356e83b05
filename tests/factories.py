"""Builds small worlds through the real services, so tests exercise the same paths people do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from placeplan.areas import service as areas
from placeplan.core.actor import Actor, operator
from placeplan.governance import service as governance
from placeplan.governance.models import Body
from placeplan.organisations import service as organisations
from placeplan.organisations.models import Organisation
from placeplan.people import service as people
from placeplan.people.models import User
from placeplan.plans import service as plans
from placeplan.plans.models import Plan
from placeplan.store.uow import unit_of_work

PASSWORD = "correct horse battery"
LEICESTER, LEICESTERSHIRE = "E06000016", "E10000018"


@dataclass
class World:
    plan_id: int = 0
    published_plan_id: int = 0
    city_plan_id: int = 0
    hwb_step_id: int = 0
    ce_step_id: int = 0
    users: dict[str, int] = field(default_factory=dict)
    scheme_id: int = 0
    line_id: int = 0


def actor_for(session: Session, username: str) -> Actor:
    user = people.get_user(session, username)
    return Actor(name=user.username, principal=people.principal_for(session, user), via="web")


def add_budget(sessions: sessionmaker[Session], world: World) -> World:
    """Give the draft county plan the two-scheme budget of tests/budget/factory.py."""
    from sqlalchemy import select

    from placeplan.budget import service as budget
    from placeplan.budget.domain.document import document_from_mapping
    from placeplan.budget.models import ExpenditureLineRow
    from tests.budget.factory import budget_mapping

    with unit_of_work(sessions) as s:
        budget.load_document(
            s, operator("test-factory"), world.plan_id, document_from_mapping(budget_mapping())
        )
        row = s.scalars(select(ExpenditureLineRow).where(ExpenditureLineRow.ref == "S2-1")).one()
        world.line_id, world.scheme_id = row.id, row.scheme_id
    return world


def build_world(sessions: sessionmaker[Session]) -> World:
    """Two places of one system; a county council, a city council and the ICB; each role."""
    world = World()
    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        areas.create_system(s, op, "LLR", "Leicester, Leicestershire and Rutland")
        areas.create_area(s, op, LEICESTER, "Leicester", "LLR", registered_patients=100)
        county = areas.create_area(s, op, LEICESTERSHIRE, "Leicestershire", "LLR")
        areas.set_population(
            s,
            op,
            county,
            2024,
            {"0-64": 600_000, "65-84": 130_000, "85+": 20_000},
            illustrative=True,
            source="test",
        )
        organisations.create_organisation(
            s, op, "icb", "Test ICB", "icb", "QK1", [LEICESTER, LEICESTERSHIRE], "LLR"
        )
        organisations.create_organisation(
            s, op, "county", "County Council", "upper_tier_council", None, [LEICESTERSHIRE], "LLR"
        )
        organisations.create_organisation(
            s, op, "city", "City Council", "upper_tier_council", None, [LEICESTER], "LLR"
        )
        governance.create_body(
            s,
            op,
            "county-hwb",
            "County Health and Wellbeing Board",
            "HWB",
            area_code=LEICESTERSHIRE,
            member_keys=["county", "icb"],
            may_approve=["bcf_plan"],
        )
        governance.create_body(
            s,
            op,
            "county-ie",
            "Integration Executive",
            "IE",
            area_code=LEICESTERSHIRE,
            reports_to_key="county-hwb",
            member_keys=["county", "icb"],
            may_approve=[],
        )
        for org in ("county", "city", "icb"):
            for role in ("viewer", "editor", "approver", "admin"):
                user = people.add_user(s, op, f"{org}-{role}", f"{org} {role}", PASSWORD, org, role)
                world.users[user.username] = user.id
        # The system-wide role: reference data, every organisation's users, every plan.
        user = people.add_user(
            s, op, "system-admin", "System admin", PASSWORD, "icb", "system_admin"
        )
        world.users[user.username] = user.id
        plan = plans.create_plan(
            s, op, "bcf_plan", "County BCF 2025-26", "2025-26", area_code=LEICESTERSHIRE
        )
        world.plan_id = plan.id
        world.hwb_step_id = plans.add_step(
            s, op, plan.id, body_key="county-hwb", planned_date=date(2025, 3, 27)
        ).id
        world.ce_step_id = plans.add_step(
            s, op, plan.id, signatory_role="chief_executive", organisation_key="county"
        ).id
        published = plans.create_plan(
            s, op, "bcf_plan", "County BCF 2024-25", "2024-25", area_code=LEICESTERSHIRE
        )
        world.published_plan_id = published.id
        step = plans.add_step(s, op, published.id, body_key="county-hwb")
        submit(s, op, published.id)
        plans.record_decision(s, op, step.id, "approved", date(2024, 6, 1))
        plans.change_status(s, op, published.id, "published", None)
        world.city_plan_id = plans.create_plan(
            s, op, "bcf_plan", "City BCF 2025-26", "2025-26", area_code=LEICESTER
        ).id
    return world


def user_named(session: Session, username: str) -> User:
    return people.get_user(session, username)


def _ids(sessions, world):
    with sessions() as s:
        body = s.query(Body).filter_by(key="county-hwb").one().id
        org = s.query(Organisation).filter_by(key="county").one().id
    return {
        "plan": world.plan_id,
        "published": world.published_plan_id,
        "body": body,
        "org": org,
        "hwb_step": world.hwb_step_id,
        "ce_step": world.ce_step_id,
    }


def _version(sessions, plan_id) -> int:
    with sessions() as s:
        return s.get(Plan, plan_id).version


def submit(session, actor, plan_id: int):
    """Submit a plan, acknowledging whatever the submission check warns of (tests that are about
    the check itself acknowledge by hand)."""
    plan = plans.get_plan(session, actor, plan_id)
    warned = plans.warning_keys(session, plan)
    return plans.change_status(session, actor, plan_id, "submitted", None, warned)
