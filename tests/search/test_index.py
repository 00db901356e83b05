"""The index kept in step by each write, on SQLite and PostgreSQL: a record added, changed or
removed is found (or not) by the next search with no rebuild between, and what a reader may not
see stays hidden."""

from __future__ import annotations

from sqlalchemy import func, select, text

from placeplan.budget.models import Scheme
from placeplan.core.actor import operator
from placeplan.delivery.models import DeliveryAction
from placeplan.plans import service as plans
from placeplan.pledges.service import editing
from placeplan.search import service
from placeplan.search.models import SearchEntry
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import make_delivery_plan
from tests.factories import actor_for, add_budget, build_world
from tests.pledges.conftest import make_pledge_plan


def _titles(groups, kind: str) -> list[str]:
    return [h.title for g in groups if g.kind == kind for h in g.hits]


def _built(sessions) -> None:
    with sessions() as s:
        service.refresh(s)


def _entries(session) -> int:
    return session.scalar(select(func.count()).select_from(SearchEntry)) or 0


def test_a_scheme_added_and_a_plan_renamed_are_found_at_once_by_who_may_read_them(sessions):
    world = add_budget(sessions, build_world(sessions))
    _built(sessions)
    with unit_of_work(sessions) as s:
        # A scheme added to the county's draft plan (the ORM write every path makes).
        s.add(
            Scheme(
                plan_id=world.plan_id,
                ref="S9",
                name="Night sitting service",
                scheme_type="home_care",
                category="intermediate_care_and_discharge",
            )
        )
        plan = plans.get_plan(s, operator(), world.plan_id)
        plans.update_plan(s, operator(), plan.id, plan.version, title="Lantern plan 2025-26")
    with sessions() as s:
        assert service.is_current(s)  # nothing to rebuild: the writes kept the index
        county, city = actor_for(s, "county-viewer"), actor_for(s, "city-viewer")
        assert _titles(service.search(s, county, "night sitting"), "scheme") == [
            "Night sitting service"
        ]
        assert _titles(service.search(s, county, "lantern"), "plan") == ["Lantern plan 2025-26"]
        # The county's draft is not the city's to read: neither it nor its schemes are found.
        assert service.search(s, city, "night sitting") == []
        assert service.search(s, city, "lantern") == []
        # The schemes' entries name their plan by its new title.
        hits = [h for g in service.search(s, county, "home first") for h in g.hits]
        assert [h.detail for h in hits] == ["Scheme S1 of Lantern plan 2025-26"]
        # One entry per record, rewritten rather than added to: build_world's 3 plans and 3
        # organisations, add_budget's 2 schemes and the one added here.
        assert _entries(s) == 9


def test_an_action_removed_and_a_pledge_edited_show_at_once(sessions):
    build_world(sessions)
    delivery = make_delivery_plan(sessions)
    pledged = make_pledge_plan(sessions)
    _built(sessions)
    with sessions() as s:
        county = actor_for(s, "county-viewer")
        assert _titles(service.search(s, county, "digital literacy"), "action") == [
            "Enable digital literacy"
        ]
        before = _entries(s)
    with unit_of_work(sessions) as s:
        s.delete(s.get(DeliveryAction, delivery.action_ids["HP2.2"]))
        editing.update_pledge(
            s,
            operator(),
            pledged.plan_id,
            "2",
            1,
            {"title": "Shorter planned care waits", "statement": "Reduce waits"},
            [editing.PartnershipIn("Planned Care Partnership")],
        )
    with sessions() as s:
        assert service.is_current(s)
        county, city = actor_for(s, "county-viewer"), actor_for(s, "city-viewer")
        assert service.search(s, county, "digital literacy") == []
        assert _titles(service.search(s, county, "shorter planned"), "pledge") == [
            "Shorter planned care waits"
        ]
        assert service.search(s, county, "fewer long waits") == []  # the pledge's old title
        assert service.search(s, city, "shorter planned") == []  # the county's draft
        assert _entries(s) == before - 1
        if s.get_bind().dialect.name == "sqlite":  # the full text follows the entries
            fts = s.scalar(text("SELECT count(*) FROM search_fts"))
            assert fts == before - 1


def test_a_plan_removed_takes_its_records_entries_with_it(sessions):
    build_world(sessions)
    delivery = make_delivery_plan(sessions)
    _built(sessions)
    with unit_of_work(sessions) as s:
        s.delete(plans.get_plan(s, operator(), delivery.plan_id))
    with sessions() as s:
        assert service.search(s, operator(), "neighbourhood teams") == []
        assert (
            s.scalar(
                select(func.count())
                .select_from(SearchEntry)
                .where(SearchEntry.plan_id == delivery.plan_id)
            )
            == 0
        )
        assert _entries(s) == 6  # build_world's 3 plans and 3 organisations
        if s.get_bind().dialect.name == "sqlite":
            assert s.scalar(text("SELECT count(*) FROM search_fts")) == 6


def test_reindex_builds_the_same_index_whole(sessions):
    world = add_budget(sessions, build_world(sessions))
    _built(sessions)
    with unit_of_work(sessions) as s:  # kept in step by the write
        plan = plans.get_plan(s, operator(), world.plan_id)
        plans.update_plan(s, operator(), plan.id, plan.version, title="Lantern plan 2025-26")

    def rows(s) -> list[tuple]:
        columns = (SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.detail)
        return sorted(s.execute(select(*columns)).all())

    with sessions() as s:
        kept = rows(s)
    with sessions() as s:
        assert service.reindex(s) == len(kept) == 8  # 3 plans, 3 organisations, 2 schemes
    with sessions() as s:
        assert rows(s) == kept
