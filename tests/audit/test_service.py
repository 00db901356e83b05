"""Reading the audit history: grouped by the user action that made it, filtered, a page at a
time, each record by its name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from placeplan.audit import service
from placeplan.audit.present import entries
from placeplan.budget import service as budget
from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.audit.factory import (
    change_line,
    event_at,
    separate_actions,
    two_lines_moved,
    upload,
)
from tests.budget.factory import budget_mapping
from tests.factories import actor_for, add_budget, build_world, submit

OPERATOR = operator()


def read(session, page=1, **filters):
    return service.read(session, OPERATOR, service.filters_from(**filters), page)


def test_an_upload_of_two_changed_lines_is_one_entry(sessions):
    world = add_budget(sessions, build_world(sessions))
    upload(sessions, world, two_lines_moved(), "county-editor")
    with sessions() as s:
        reading = read(s, person="county-editor")
    [entry] = entries(reading)
    assert entry.person == "county editor"
    assert entry.sentence.startswith("county editor changed the budget of County BCF 2025-26: ")
    assert "2 lines changed" in entry.sentence
    lines = {r.name: r for r in entry.records if r.noun == "line"}
    moved = {
        name: [(f.label, f.before.text, f.after.text) for f in r.fields]
        for name, r in lines.items()
        if r.what == "changed"
    }
    # the two lines the mapping moved, in pounds: £100,000 -> £110,000 and £50,000 -> £40,000
    assert moved == {
        "Line S1-1 of Home first": [("Amount", "£100,000.00", "£110,000.00")],
        "Line S2-1 of Acute discharge team": [("Amount", "£50,000.00", "£40,000.00")],
    }


def test_a_removed_record_keeps_its_last_name(sessions):
    world = add_budget(sessions, build_world(sessions))
    mapping = budget_mapping()
    home_first = mapping["schemes"][0]
    # line S1-2 (£50,000 of better care grant) goes, and its income with it
    home_first["lines"] = home_first["lines"][:1]
    mapping["income"] = mapping["income"][:1]
    mapping["stated"] = [{"what": "total", "text": "£150,000"}]
    upload(sessions, world, mapping, "county-editor")
    with sessions() as s:
        [entry] = entries(read(s, person="county-editor", kind="bcf_line"))
    [removed] = [r for r in entry.records if r.what == "removed"]
    assert removed.phrase == "Line S1-2 of Home first"
    assert ("Amount", "£50,000.00") in [(f.label, f.before.text) for f in removed.fields]


def test_pages_of_fifty_actions_newest_first(sessions):
    separate_actions(sessions, 120)
    with sessions() as s:
        first, third = read(s), read(s, page=3)
        beyond = read(s, page=4)
    assert (first.total, first.pages) == (120, 3)
    assert len(first.actions) == 50 and len(third.actions) == 20  # 120 = 50 + 50 + 20
    # newest first: page 1 starts with note 120, page 3 ends with note 1
    assert entries(first)[0].records[0].name == "Note 120"
    assert entries(third)[-1].records[0].name == "Note 1"
    assert beyond.actions == []


def test_the_count_of_actions_is_the_same_whether_read_or_counted(sessions, monkeypatch):
    """A reading that runs out of chosen events counts the actions it met; one that fills its
    page first asks the log. Both give what the count statement gives."""
    from sqlalchemy import event

    from placeplan.audit.service import queries

    separate_actions(sessions, 120)
    monkeypatch.setattr(queries, "SCAN", 40)  # a page of 50 takes two batches or more
    service._totals_kept.clear()  # a count kept from another test's database of the same address
    counted: list[str] = []
    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(a[2]))

    def total(page: int) -> tuple[int, int]:
        counted.clear()
        with sessions() as s:
            reading = read(s, page=page)
        return reading.total, sum("count(distinct" in q.lower() for q in counted)

    with sessions() as s:
        expected = queries.action_count(s, [])
    assert expected == 120
    # page 1 fills after 2 batches of 40 (not all 120): counted; page 3 reads to the end: met
    assert total(1) == (120, 1)
    assert total(3) == (120, 0)
    assert total(4) == (120, 0)  # beyond the last page, the reading still met every action


def test_every_event_of_an_action_in_hand_counts_as_the_log_counts(sessions):
    """A reading that holds every chosen event of its actions (one record's, one action's) counts
    them itself; the tallies are those the grouped count statement gives, in the same order."""
    from placeplan.audit.service import queries
    from placeplan.audit.service.kinds import registry

    world = add_budget(sessions, build_world(sessions))
    upload(sessions, world, two_lines_moved(), "county-editor")
    with sessions() as s:
        for filters in (
            service.filters_from(plan=world.plan_id),
            service.filters_from(entity=f"plan:{world.plan_id}"),
            service.filters_from(person="county-editor"),
        ):
            clauses = queries.where(filters, registry())
            ids = queries.action_page(s, clauses, 1, 50).ids
            assert ids, filters
            held = queries.first_events(s, clauses, ids, None)
            assert queries.tallies(held) == queries.counts(s, clauses, ids)


def test_filters_by_person_kind_and_uk_days(sessions):
    with unit_of_work(sessions) as s:
        # UK days: 23:30 UTC on 26 February is still the 26th (GMT); 23:30 UTC on 30 June is
        # 00:30 on 1 July (BST)
        event_at(s, datetime(2025, 2, 26, 23, 30, tzinfo=UTC), "ann", "note", 1)
        event_at(s, datetime(2025, 2, 27, 0, 30, tzinfo=UTC), "ann", "note", 2)
        event_at(s, datetime(2025, 6, 30, 23, 30, tzinfo=UTC), "bob", "note", 3)
        event_at(s, datetime(2025, 7, 1, 23, 30, tzinfo=UTC), "bob", "memo", 4)
    with sessions() as s:

        def ids(**filters):
            return sorted(e.entity_id for a in read(s, **filters).actions for e in a.events)

        assert ids(start="2025-02-27", end="2025-07-01") == [2, 3]
        assert ids(person="bob") == [3, 4]
        assert ids(kind="memo") == [4]
        assert ids(entity="note:2") == [2]
        assert ids(person="bob", kind="note") == [3]
        options = read(s).options
    assert options is not None
    assert options.people == [("ann", "ann"), ("bob", "bob")]
    assert [k for k, _ in options.kinds] == ["memo", "note"]


def test_a_plan_holds_its_records_and_theirs(sessions):
    world = add_budget(sessions, build_world(sessions))
    parts = {p: {"rating": "good", "comment": ""} for p in budget.KLOE_PARTS}
    with unit_of_work(sessions) as s:
        budget.add_review(
            s, actor_for(s, "county-editor"), world.scheme_id, date(2025, 2, 1), parts, "continue"
        )
    with sessions() as s:
        county = read(s, plan=world.plan_id)
        city = read(s, plan=world.city_plan_id)
    kinds = {e.entity_kind for a in county.actions for e in a.events}
    # the plan, its sign-off steps, its budget and the review of one of its schemes (whose state
    # names the scheme, not the plan)
    assert {"plan", "sign_off_step", "bcf_scheme", "bcf_line", "kloe_review"} <= kinds
    assert county.subject == "the plan County BCF 2025-26"
    assert {e.entity_kind for a in city.actions for e in a.events} == {"plan"}
    [review] = [r for e in entries(county) for r in e.records if r.noun == "KLOE review"]
    assert review.phrase == "KLOE review of Acute discharge team"


def test_a_decision_is_named_for_what_was_done(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", date(2025, 3, 27)
        )
    with sessions() as s:
        latest = entries(read(s, plan=world.plan_id))[0]
    assert latest.sentence == (
        "county approver recorded a decision on the sign-off step County Health and Wellbeing Board"
    )
    fields = [(f.label, f.after.text) for f in latest.records[0].fields]
    assert ("Date of the decision", "27 March 2025") in fields
    assert ("Decision", "Approved") in fields


def test_one_line_changed_names_the_line(sessions):
    world = add_budget(sessions, build_world(sessions))
    change_line(sessions, world, 60_000_00)
    with sessions() as s:
        latest = entries(read(s, plan=world.plan_id))[0]
    assert latest.sentence == "county editor changed Line S2-1 of Acute discharge team"


def test_only_signed_in_people_read_it_and_bad_filters_say_why(sessions):
    with sessions() as s, pytest.raises(SignInNeeded):
        service.read(s, ANONYMOUS, service.filters_from())
    with pytest.raises(InputError, match="not a date") as bad:
        service.filters_from(start="27/02/2025")
    assert bad.value.field == "from"
    with pytest.raises(InputError, match="comes after"):
        service.filters_from(start="2025-03-01", end="2025-02-01")
    with pytest.raises(InputError):
        service.page_number("0")


def test_a_submission_is_named_for_it_and_its_snapshot_follows(sessions):
    world = add_budget(sessions, build_world(sessions))
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with sessions() as s:
        latest = entries(read(s, plan=world.plan_id))[0]
    assert latest.sentence == (
        "county editor submitted the plan County BCF 2025-26: 1 snapshot added"
    )
    status = latest.records[0].fields
    assert [(f.label, f.before.text, f.after.text) for f in status] == [
        ("Status", "Draft", "Submitted")
    ]
    assert latest.records[1].phrase == "Snapshot 1 of County BCF 2025-26"
