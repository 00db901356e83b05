"""The synthetic national dataset: regions over systems over areas, plans in every state, metric
series, and names that say they are synthetic; and the regional assurer's scope."""

from __future__ import annotations

from sqlalchemy import func, select

from placeplan.areas.models import Area, Region, System
from placeplan.core.actor import Actor, operator
from placeplan.core.permissions import can_assure, can_edit_plan
from placeplan.demo import national
from placeplan.measures.models import Measurement
from placeplan.people import service as people
from placeplan.plans.models import Plan
from tests.fixtures.national import two_synthetic_areas


def test_the_generator_plans_every_hwb_of_england():
    systems, jobs = national.plan_jobs(20250401)
    # 150 synthetic areas beside LLR's three make England's 153 HWBs; 41 systems beside LLR's, 42.
    assert len(jobs) + 3 == 153
    assert len(systems) + 1 == 42
    assert len({j.gss for j in jobs}) == len(jobs)
    assert all(j.name.endswith("(synthetic)") and j.gss[3] == "9" for j in jobs)
    region = national.region_of_system(systems)
    # Every London borough (E09) is in a London system, and nothing else is.
    assert all((region[j.system] == national.LONDON) == j.gss.startswith("E09") for j in jobs)
    assert set(region.values()) == {code for code, _ in national.REGIONS}


def test_a_small_england_loads_with_regions_plans_and_series(national_sessions):
    midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Region)) == len(national.REGIONS)
        llr = s.scalars(select(System).where(System.code == "LLR")).one()
        assert llr.region is not None and llr.region.code == national.MIDLANDS
        area = s.scalars(select(Area).where(Area.gss_code == midlands)).one()
        assert area.system is not None and area.system.region_id == llr.region_id
        plans = list(s.scalars(select(Plan).where(Plan.area_id == area.id)))
        assert sorted(p.period_start for p in plans) == [2021, 2022, 2023, 2024, 2025]
        # Plans before 2024-25 are all published (the generator's fates).
        assert {p.status for p in plans if p.period_start < 2024} == {"published"}
        # 60 months of each of the three metrics.
        months = s.scalar(
            select(func.count()).select_from(Measurement).where(Measurement.area_id == area.id)
        )
        assert months == national.MONTHS * len(national.METRICS)
        assert s.scalar(select(Area.id).where(Area.gss_code == london)) is not None


def test_the_demo_regional_assurer_assures_the_midlands_and_edits_nothing(national_sessions):
    midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        user = people.get_user(s, "assurer@midlands.demo")
        principal = people.principal_for(s, user)
        actor = Actor(name=principal.username, principal=principal)
        region_of = {
            a.gss_code: (a.id, a.system.region_id if a.system else None)
            for a in s.scalars(select(Area))
        }
        for code in ("E06000016", "E10000018", "E06000017", midlands):
            area_id, region_id = region_of[code]
            assert can_assure(actor, region_id)
            assert not can_edit_plan(actor, area_id, None)
        assert not can_assure(actor, region_of[london][1])
        assert can_assure(operator(), region_of[london][1])
