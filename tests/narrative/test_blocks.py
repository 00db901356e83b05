"""Narrative blocks: each save a version, a stale save refused, review states, differences
between versions, who may write, and the narrative as part of what a plan's decisions approve."""

from __future__ import annotations

from datetime import date

import pytest

from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.narrative.domain.headings import BY_KEY
from placeplan.narrative.service import blocks, uec
from placeplan.plans import service as plans
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, add_budget, submit

HWB_DAY = date(2025, 3, 27)


def test_each_save_is_a_version_and_unchanged_words_save_nothing(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        first = blocks.save_block(s, editor, world.plan_id, "overview", "One.", None, "start")
        assert (first.block.number, first.changed, first.warning) == (1, True, None)
        second = blocks.save_block(
            s, editor, world.plan_id, "overview", "One.\n\nTwo.", first.block.version
        )
        assert (second.block.number, second.block.state) == (2, "draft")
        same = blocks.save_block(
            s, editor, world.plan_id, "overview", "One.\n\nTwo.", second.block.version
        )
        assert not same.changed and same.block.number == 2
    with sessions() as s:
        found = blocks.block(s, actor_for(s, "county-viewer"), world.plan_id, "overview")
        assert [v.number for v in found.versions] == [1, 2]
        assert found.versions[0].note == "start"
        compared = blocks.compare(s, actor_for(s, "county-viewer"), world.plan_id, "overview", 1, 2)
        assert [(d.change, d.text) for d in compared.lines] == [
            ("same", "One."),
            ("added", ""),
            ("added", "Two."),
        ]


def test_a_stale_save_is_refused_and_a_long_one_warned(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        opened = blocks.save_block(
            s, editor, world.plan_id, "therapy", "Short.", None
        ).block.version
        blocks.save_block(s, editor, world.plan_id, "therapy", "Changed.", opened)
    with unit_of_work(sessions) as s, pytest.raises(Conflict):
        blocks.save_block(
            s, actor_for(s, "county-editor"), world.plan_id, "therapy", "Mine.", opened
        )
    long_text = "word " * (BY_KEY["therapy"].words + 50)
    with unit_of_work(sessions) as s:
        found = blocks.save_block(
            s, actor_for(s, "county-editor"), world.plan_id, "therapy", long_text, None
        )
        assert found.changed and found.warning is not None and "words" in found.warning


def test_review_states_and_who_may_write(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        saved = blocks.save_block(s, editor, world.plan_id, "priorities", "- one", None)
        ready = blocks.set_state(
            s, editor, world.plan_id, "priorities", "ready", saved.block.version
        )
        assert ready.state == "ready"
        agreed = blocks.set_state(s, editor, world.plan_id, "priorities", "agreed", ready.version)
        # a save after agreement goes back to draft: what was agreed no longer says this
        again = blocks.save_block(s, editor, world.plan_id, "priorities", "- two", agreed.version)
        assert again.block.state == "draft"
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        with pytest.raises(InputError):
            blocks.set_state(s, editor, world.plan_id, "priorities", "signed", None)
        with pytest.raises(InputError):
            blocks.set_state(s, editor, world.plan_id, "therapy", "agreed", None)
        with pytest.raises(NotFound):
            blocks.save_block(s, editor, world.plan_id, "appendix", "x", None)
        with pytest.raises(InputError):
            blocks.save_block(s, editor, world.plan_id, "overview", "   ", None)
    # another council's editor may not even read this draft (a 404 to them)
    for username in ("county-viewer", "city-editor", "county-approver"):
        with unit_of_work(sessions) as s, pytest.raises((Forbidden, NotFound)):
            blocks.save_block(s, actor_for(s, username), world.plan_id, "overview", "x", None)


def test_uec_priorities_link_the_plans_schemes(sessions, world):
    add_budget(sessions, world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        uec.add_priority(s, editor, world.plan_id, "Flow", "Step-down", ["S1", "S2"])
        with pytest.raises(InputError, match="S9"):
            uec.add_priority(s, editor, world.plan_id, "Other", "", ["S9"])
    with sessions() as s:
        (found,) = uec.priorities(s, actor_for(s, "county-viewer"), world.plan_id)
        assert [link.scheme.ref for link in found.links] == ["S1", "S2"]


def test_a_narrative_change_makes_an_approval_stale(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        blocks.save_block(s, editor, world.plan_id, "overview", "As agreed.", None)
        submit(s, editor, world.plan_id)
    with unit_of_work(sessions) as s:
        plans.record_decision(
            s, actor_for(s, "county-approver"), world.hwb_step_id, "approved", HWB_DAY
        )
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        plans.change_status(s, editor, world.plan_id, "draft", None)
        current = blocks.blocks_of(s, world.plan_id)["overview"]
        blocks.save_block(s, editor, world.plan_id, "overview", "Changed after.", current.version)
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        hwb = plans.chain_standing(s, plan, with_differences=True).of(world.hwb_step_id)
        assert hwb.standing.stale and hwb.since is not None
        section = next(x for x in hwb.since.sections if x.title == "Narrative")
        (change,) = section.changes
        assert change.name == BY_KEY["overview"].title
        assert [(f.before.text, f.after.text) for f in change.fields] == [
            ("As agreed.", "Changed after.")
        ]


def test_a_plan_without_a_narrative_holds_no_narrative_part(sessions, world):
    with sessions() as s:
        plan = plans.get_plan(s, actor_for(s, "county-editor"), world.plan_id)
        assert "narrative" not in plans.current_content(s, plan)
