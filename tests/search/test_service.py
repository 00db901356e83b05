"""Search on SQLite (FTS5) and PostgreSQL (tsvector): what matches, what each reader may see,
and the index kept in step with every write, whatever its path."""

from __future__ import annotations

from sqlalchemy import func, select

from placeplan.areas import service as areas
from placeplan.core.actor import ANONYMOUS, operator
from placeplan.plans import service as plans
from placeplan.search import service
from placeplan.search.models import SearchEntry
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE, actor_for, add_budget, build_world


def _titles(groups, kind: str) -> list[str]:
    return [h.title for g in groups if g.kind == kind for h in g.hits]


def test_plans_and_organisations_are_found_by_words_and_their_beginnings(sessions):
    world = build_world(sessions)
    with sessions() as s:
        viewer = actor_for(s, "county-viewer")
        # build_world's plans: "County BCF 2025-26" (draft), "County BCF 2024-25" (published),
        # "City BCF 2025-26" (draft); its organisations: Test ICB, County Council, City Council.
        found = service.search(s, viewer, "county")
        assert sorted(_titles(found, "plan")) == ["County BCF 2024-25", "County BCF 2025-26"]
        assert _titles(found, "organisation") == ["County Council"]
        assert _titles(service.search(s, viewer, "coun bcf"), "plan") != []
        # the city's draft is the city's (and the ICB's): the county's viewer does not find it
        assert _titles(service.search(s, viewer, "citi"), "plan") == []
        city = actor_for(s, "city-viewer")
        assert _titles(service.search(s, city, "citi"), "plan") == ["City BCF 2025-26"]
        urls = [h.url for g in service.search(s, city, "city") for h in g.hits]
        assert f"/plans/{world.city_plan_id}" in urls
        assert service.search(s, viewer, 'county" (*') != []  # typed syntax is just words
        assert service.search(s, viewer, "zebra") == []


def test_signed_out_readers_find_only_published_plans_and_their_records(sessions):
    world = add_budget(sessions, build_world(sessions))
    with sessions() as s:
        # The budget's scheme "Home first" belongs to the draft county plan.
        county = actor_for(s, "county-viewer")
        assert _titles(service.search(s, county, "home first"), "scheme") == ["Home first"]
        assert service.search(s, actor_for(s, "city-viewer"), "home first") == []
        assert service.search(s, ANONYMOUS, "home first") == []
        public = service.search(s, ANONYMOUS, "county")
        assert _titles(public, "plan") == ["County BCF 2024-25"]
        assert _titles(public, "organisation") == ["County Council"]  # reference data is public
        assert world.scheme_id


def test_the_index_follows_every_write_in_the_writers_transaction(sessions):
    world = build_world(sessions)
    with sessions() as s:
        viewer = actor_for(s, "county-viewer")
        assert _titles(service.search(s, viewer, "moonbeam"), "plan") == []
        assert service.refresh(s) is False  # built, and nothing written since
    with unit_of_work(sessions) as s:
        plan = plans.get_plan(s, operator(), world.city_plan_id)
        plans.update_plan(s, operator(), plan.id, plan.version, title="Moonbeam plan 2025-26")
    with sessions() as s:
        viewer = actor_for(s, "city-viewer")  # the renamed plan is the city's draft
        assert _titles(service.search(s, viewer, "moonbeam"), "plan") == ["Moonbeam plan 2025-26"]
        assert _titles(service.search(s, viewer, "city bcf"), "plan") == []
        # One entry per record: 3 plans and 3 organisations, rebuilt, not added to.
        assert s.scalar(select(func.count()).select_from(SearchEntry)) == 6


def test_a_rolled_back_write_leaves_the_index_as_it_was(sessions):
    world = build_world(sessions)
    with sessions() as s:
        service.refresh(s)
    with sessions() as s:
        plan = plans.get_plan(s, operator(), world.city_plan_id)
        plans.update_plan(s, operator(), plan.id, plan.version, title="Never saved")
        s.flush()
        s.rollback()
    with sessions() as s:
        assert service.refresh(s) is False
        assert service.search(s, actor_for(s, "county-viewer"), "never saved") == []


def test_renaming_an_area_reaches_its_plans_entries(sessions):
    build_world(sessions)
    with sessions() as s:
        viewer = actor_for(s, "county-viewer")
        assert _titles(service.search(s, viewer, "shire of leics"), "plan") == []
    with unit_of_work(sessions) as s:
        area = areas.get_area(s, LEICESTERSHIRE)
        areas.update_area(s, operator(), LEICESTERSHIRE, area.version, name="Shire of Leics")
    with sessions() as s:
        viewer = actor_for(s, "county-viewer")
        found = sorted(_titles(service.search(s, viewer, "shire of leics"), "plan"))
        assert found == ["County BCF 2024-25", "County BCF 2025-26"]  # the county's two plans
