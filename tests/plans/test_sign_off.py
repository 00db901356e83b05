"""Sign-off bound to a version of the plan (issue #11): a change after a decision makes it stale
and shows what changed; decisions are taken on a submitted plan, in order, on the version the
decider saw; submission is a checked moment. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from placeplan.budget import service as budget
from placeplan.budget.models import ExpenditureLineRow
from placeplan.core.errors import Conflict, InputError
from placeplan.plans import service as plans
from placeplan.plans.models import Plan, SignOffStep
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for, add_budget, build_world, submit

HWB_DAY = date(2025, 3, 27)


def _line(s, ref: str) -> ExpenditureLineRow:
    return s.scalars(select(ExpenditureLineRow).where(ExpenditureLineRow.ref == ref)).one()


def _approved_by_the_board(sessions):
    world = add_budget(sessions, build_world(sessions))
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", HWB_DAY
        )
    return world


def _move_ten_thousand_pounds(sessions, world):
    """Return the plan to draft and move £10,000 of the NHS minimum from S1-1 (£100,000) to
    S2-1 (£50,000): tests/budget/factory.py's figures; income still equals expenditure."""
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        plans.change_status(s, editor, world.plan_id, "draft", None)
        first, second = _line(s, "S1-1"), _line(s, "S2-1")
        budget.update_line(s, editor, first.id, first.version, {"amount_pence": 90_000_00})
        budget.update_line(s, editor, second.id, second.version, {"amount_pence": 60_000_00})


def test_a_change_after_approval_makes_it_stale_and_says_what_changed(sessions):
    world = _approved_by_the_board(sessions)
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        hwb = plans.chain_standing(s, plan).of(world.hwb_step_id).standing
        assert (hwb.decided_on_version, hwb.stale) == (1, False)
    _move_ten_thousand_pounds(sessions, world)
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        chain = plans.chain_standing(s, plan, with_differences=True)
        hwb = chain.of(world.hwb_step_id)
        assert hwb.standing.stale and hwb.standing.decided_on_version == 1
        assert hwb.since is not None
        lines = next(x for x in hwb.since.sections if x.title == "Expenditure lines")
        moved = {
            c.key: [(f.label, f.before.text, f.after.text) for f in c.fields] for c in lines.changes
        }
        assert moved == {
            "S1-1": [("Amount", "£100,000.00", "£90,000.00")],
            "S2-1": [("Amount", "£50,000.00", "£60,000.00")],
        }
        assert plan.status == "draft"


def test_resubmission_asks_the_stale_step_again_and_approval_waits_for_it(sessions):
    world = _approved_by_the_board(sessions)
    _move_ten_thousand_pounds(sessions, world)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with unit_of_work(sessions) as s:
        approver = actor_for(s, "county-approver")
        # The chief executive decides after the board, and the board's approval is of version 1.
        with pytest.raises(InputError, match="must first decide again"):
            plans.record_decision(s, approver, world.ce_step_id, "approved", HWB_DAY)
    with unit_of_work(sessions) as s:
        approver = actor_for(s, "county-approver")
        plans.record_decision(s, approver, world.hwb_step_id, "approved", HWB_DAY, on_version=2)
        plans.record_decision(s, approver, world.ce_step_id, "approved", HWB_DAY, on_version=2)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        assert s.get(Plan, world.plan_id).status == "approved"
        plan = plans.change_status(s, editor, world.plan_id, "published", None)
        assert plan.status == "published"
        chain = plans.chain_standing(s, plan)
        assert [(x.standing.decided_on_version, x.standing.stale) for x in chain.steps] == [
            (2, False),
            (2, False),
        ]


def test_a_decision_on_a_draft_plan_is_refused_and_writes_nothing(sessions):
    world = build_world(sessions)
    with sessions() as s:
        with pytest.raises(InputError, match="draft plan"):
            plans.record_decision(
                s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", HWB_DAY
            )
        assert s.get(SignOffStep, world.hwb_step_id).decision is None


def test_a_decision_on_a_version_no_longer_submitted_is_refused(sessions):
    world = _approved_by_the_board(sessions)
    _move_ten_thousand_pounds(sessions, world)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with sessions() as s, pytest.raises(InputError, match="version 2 is now submitted"):
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", HWB_DAY, on_version=1
        )


def test_two_approvers_deciding_the_same_step_at_once_one_wins(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with sessions() as s:
        read_at = s.get(SignOffStep, world.hwb_step_id).version
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", HWB_DAY, read_at
        )
    with sessions() as s, pytest.raises(Conflict):
        plans.record_decision(
            s, actor_for(s, "icb-approver"), world.hwb_step_id, "deferred", HWB_DAY, read_at
        )


def test_the_step_description_stays_and_the_decision_note_is_its_own(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        step = s.get(SignOffStep, world.hwb_step_id)
        step.note = "The Board approves the plan at its March meeting"
        submit(s, actor_for(s, "county-editor"), world.plan_id)
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s,
            actor_for(s, "county-approver"),
            world.hwb_step_id,
            "approved",
            HWB_DAY,
            note="Approved subject to the Q1 review",
        )
    with sessions() as s:
        step = s.get(SignOffStep, world.hwb_step_id)
        assert step.note == "The Board approves the plan at its March meeting"
        assert step.decision_note == "Approved subject to the Q1 review"


def test_submission_must_acknowledge_each_warning_by_name(sessions):
    world = build_world(sessions)
    with sessions() as s:
        editor = actor_for(s, "county-editor")
        plan = plans.get_plan(s, editor, world.plan_id)
        check = plans.submission_check(s, plan)
        # tests/factories.py's chain has the HWB and the council's chief executive: national
        # condition 1 also asks for the section 151 officer.
        sign_off = next(w for w in check.warnings if w.key == "sign-off")
        assert sign_off.items == ("No step for a section 151 officer",)
        with pytest.raises(InputError, match="must acknowledge") as caught:
            plans.change_status(s, editor, world.plan_id, "submitted", None, [])
        assert caught.value.field == "acknowledged"
        assert s.get(Plan, world.plan_id).status == "draft"


def _kept_and_fresh(sessions, plan_id: int) -> tuple[str, str, bool]:
    """The fingerprint a reader is given (kept while the plan's content token stands), the one
    worked out from the plan now, and whether the board's approval reads as stale."""
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), plan_id)
        chain = plans.chain_standing(s, plan)
        return chain.fingerprint, plans.current_fingerprint(s, plan), chain.steps[0].standing.stale


def test_a_kept_fingerprint_gives_way_to_each_change_of_what_the_plan_holds(sessions):
    """Readers reuse a plan's fingerprint while its content token stands: a budget edit, a
    narrative save, a priority's schemes and a new title each renew it, so staleness shows at once."""
    from placeplan.narrative.service import blocks, uec

    world = _approved_by_the_board(sessions)
    with unit_of_work(sessions) as s:
        plans.change_status(s, actor_for(s, "county-editor"), world.plan_id, "draft", None)
    kept, fresh, stale = _kept_and_fresh(sessions, world.plan_id)
    assert kept == fresh and not stale  # back to draft: nothing it holds has changed
    assert _kept_and_fresh(sessions, world.plan_id)[0] == kept  # read again: the kept one

    with unit_of_work(sessions) as s:
        line = _line(s, "S1-1")  # £100,000 in tests/budget/factory.py; the rules still hold
        budget.update_line(
            s, actor_for(s, "county-editor"), line.id, line.version, {"amount_pence": 99_000_00}
        )
    after_budget, fresh, stale = _kept_and_fresh(sessions, world.plan_id)
    assert after_budget == fresh != kept and stale

    with unit_of_work(sessions) as s:
        blocks.save_block(s, actor_for(s, "county-editor"), world.plan_id, "overview", "Why.", None)
    after_words, fresh, _ = _kept_and_fresh(sessions, world.plan_id)
    assert after_words == fresh != after_budget

    with unit_of_work(sessions) as s:
        uec.add_priority(s, actor_for(s, "county-editor"), world.plan_id, "Flow", "", ["S1"])
    after_priority, fresh, _ = _kept_and_fresh(sessions, world.plan_id)
    assert after_priority == fresh != after_words

    with unit_of_work(sessions) as s:
        plan = s.get(Plan, world.plan_id)
        plans.update_plan(s, actor_for(s, "county-editor"), plan.id, plan.version, title="New")
    after_title, fresh, _ = _kept_and_fresh(sessions, world.plan_id)
    assert after_title == fresh != after_priority


def _statements(session, read) -> tuple[object, int]:
    """What `read` gives and how many SQL statements it sent."""
    from sqlalchemy import event

    count = [0]

    def counted(*_args) -> None:
        count[0] += 1

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        return read(), count[0]
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def test_a_version_s_fingerprint_stands_for_the_plan_until_what_it_holds_changes(sessions):
    """A version keeps the content token it was taken under. While the plan's token is still that
    (a decision, publication and a measurement elsewhere leave it), a reader is given the version's
    fingerprint without the plan's content being read; an ambition of the plan's, or a new name
    for the metric it quotes, moves the token, and the fingerprint is worked out again."""
    from placeplan.core.actor import operator
    from placeplan.measures import service as measures

    world = _approved_by_the_board(sessions)
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator(),
            {
                "key": "falls",
                "name": "Falls",
                "unit": "count",
                "direction": "lower",
                "frequency": "annual",
            },
        )
        # A figure for the other area: nothing the plan holds.
        measures.import_rows(
            s,
            operator(),
            "falls",
            [(2, {"area_code": LEICESTER, "period": "2024-25", "numerator": "12"})],
        )
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        latest = plans.latest_snapshot(s, plan.id)
        assert latest is not None and latest.content_token == plans.content_token.call(s, plan)
        chain, statements = _statements(s, lambda: plans.chain_standing(s, plan))
        # The versions, then the token (budget, ambitions, narrative and names in one read):
        # the whole plan would be a dozen more.
        assert statements == 2
        assert chain.fingerprint == latest.fingerprint == plans.current_fingerprint(s, plan)
        assert not chain.steps[0].standing.stale

    with unit_of_work(sessions) as s:
        measures.add_ambition(
            s,
            operator(),
            "falls",
            LEICESTERSHIRE,
            {"period": "2025-26", "target": 10},
            plan_id=world.plan_id,
        )
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        assert plans.latest_snapshot(s, plan.id).content_token != plans.content_token.call(s, plan)
    with_ambition, fresh, stale = _kept_and_fresh(sessions, world.plan_id)
    assert with_ambition == fresh != latest.fingerprint and stale

    with unit_of_work(sessions) as s:
        metric = measures.get_metric(s, "falls")
        metric.name = "Falls in people aged 65 and over"
    renamed, fresh, _ = _kept_and_fresh(sessions, world.plan_id)
    assert renamed == fresh != with_ambition
