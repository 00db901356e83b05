"""Assurance records and the regional dashboard, on the small England (tests/fixtures/national)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placeplan.assurance import service as assurance
from placeplan.core.actor import Actor, operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.core.permissions import can_read_plan
from placeplan.people import service as people
from placeplan.plans import service as plans
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from tests.fixtures.national import two_synthetic_areas

YEAR = 2025


def as_user(s, username: str) -> Actor:
    principal = people.principal_for(s, people.get_user(s, username))
    return Actor(name=principal.username, principal=principal)


def leics_2025(s) -> Plan:
    return s.scalars(select(Plan).where(Plan.key == "leics-bcf-2025-26")).one()


def test_the_regional_dashboard_holds_its_regions_plans_only(national_sessions):
    midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        board = assurance.dashboard(
            s, as_user(s, "assurer@midlands.demo"), assurance.Filters(year=YEAR)
        )
        codes = {row.gss_code for row in board.rows}
        # LLR's 2025-26 plans (the demo holds Leicestershire's) and the synthetic Midlands area's.
        assert midlands in codes and "E10000018" in codes
        assert london not in codes
        assert board.regions == [("E40000011", "Midlands")]
        assert sum(board.by_rating.values()) == len(board.rows)
        assert board.by_rating[assurance.NOT_RATED] == len(board.rows)
        everything = assurance.dashboard(s, operator(), assurance.Filters(year=YEAR))
        assert london in {row.gss_code for row in everything.rows}


def test_a_viewer_or_editor_reads_no_dashboard(national_sessions):
    with national_sessions() as s:
        for username in ("viewer@leics.demo", "bcf.lead@leics.demo"):
            with pytest.raises(Forbidden):
                assurance.dashboard(s, as_user(s, username), assurance.Filters(year=YEAR))


def test_rating_with_conditions_is_kept_audited_and_counted(national_sessions):
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")
        plan = leics_2025(s)
        with pytest.raises(InputError) as refused:
            assurance.save_assurance(
                s,
                actor,
                plan.id,
                None,
                answers={},
                rating="approved_with_conditions",
                conditions="",
                comments=None,
                escalated=False,
                escalation_note=None,
            )
        assert refused.value.field == "conditions"
        record = assurance.save_assurance(
            s,
            actor,
            plan.id,
            None,
            answers={"national_conditions": "yes"},
            rating="approved_with_conditions",
            conditions="Set the 2025-26 ambitions by June",
            comments=None,
            escalated=False,
            escalation_note=None,
        )
        s.commit()
        assert record.checked["national_conditions"] == "yes"
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_kind == "assurance_record", AuditEvent.entity_id == record.id
            )
        ).one()
        assert event.actor == actor.name
        board = assurance.dashboard(s, actor, assurance.Filters(year=YEAR))
        assert board.by_rating["approved_with_conditions"] == 1
        rated = assurance.dashboard(
            s, actor, assurance.Filters(year=YEAR, rating="approved_with_conditions")
        )
        assert [r.plan_id for r in rated.rows] == [plan.id]
        # A save from the version before this one is refused, naming what moved.
        with pytest.raises(Conflict):
            assurance.save_assurance(
                s,
                actor,
                plan.id,
                record.version - 1 if record.version > 1 else 0,
                answers={},
                rating="approved",
                conditions=None,
                comments=None,
                escalated=False,
                escalation_note=None,
            )


def test_the_checklist_is_filled_from_the_record(national_sessions):
    midlands, _london = two_synthetic_areas()
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")
        plan = s.scalars(
            select(Plan).where(Plan.period_start == YEAR, Plan.title.contains(midlands[-4:]))
        ).one()
        view = assurance.assurance_view(s, actor, plan.id)
        by_key = {a.item.key: a for a in view.checklist}
        # The generator loads only budgets that pass every funding rule.
        assert by_key["funding_rules"].met is True and by_key["funding_rules"].by_record
        # National conditions are the assurer's to answer: not yet answered.
        assert by_key["national_conditions"].met is None
        assert not by_key["national_conditions"].by_record
        # A synthetic plan has no narrative: the record cannot say, so the assurer answers.
        assert by_key["narrative"].met is None
        assert by_key["narrative"].why == "No narrative is held: the assurer says"
        # The demo's Leicestershire 2025-26 plan has every heading of the template written
        # (src/placeplan/demo/narrative.py loads all 14).
        leics = assurance.assurance_view(s, actor, leics_2025(s).id)
        narrative = {a.item.key: a for a in leics.checklist}["narrative"]
        assert narrative.met is True and narrative.by_record
        assert narrative.why == "Every one of the narrative's 14 headings is written"


def test_an_assurer_may_not_edit_a_plan_nor_assure_outside_the_region(national_sessions):
    _midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")
        with pytest.raises(Forbidden):
            plans.update_plan(s, actor, leics_2025(s).id, None, summary="Assurer's words")
        elsewhere = s.scalars(
            select(Plan).where(Plan.period_start == YEAR, Plan.title.contains(london[-4:]))
        ).one()
        with pytest.raises(Forbidden):
            assurance.assurance_view(s, actor, elsewhere.id)


def test_a_regional_assurer_reads_the_drafts_of_their_region_only(national_sessions):
    # The Midlands team's organisation sits in the Midlands (src/placeplan/demo): it reads every
    # plan of the region, drafts included, and none of London's, where it has no other part.
    midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")

        def plan_in(code: str) -> Plan:
            return s.scalars(
                select(Plan).where(Plan.period_start == YEAR, Plan.title.contains(code[-4:]))
            ).one()

        for code, readable in ((midlands, True), (london, False), ("E10000018", True)):
            plan = plan_in(code) if code != "E10000018" else leics_2025(s)
            assert can_read_plan(actor, plan.area_id, plan.system_id) is readable, code


def test_the_funding_rules_item_follows_a_budget_change_in_the_submission_checks_words(
    national_sessions,
):
    """The checklist reads the funding rules from the budget page's cached view: a change to the
    budget renews its token, so the next read of the checklist sees it."""
    from placeplan.budget import service as budget
    from placeplan.budget.models import ExpenditureLineRow
    from placeplan.store.uow import unit_of_work

    midlands, _london = two_synthetic_areas()
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")
        plan = s.scalars(
            select(Plan).where(
                Plan.kind == "bcf_plan", Plan.status == "draft", Plan.title.contains(midlands[-4:])
            )
        ).first()
        assert plan is not None, "the generator leaves some of an area's plans in draft"
        plan_id = plan.id
        before = {a.item.key: a for a in assurance.assurance_view(s, actor, plan_id).checklist}
        assert before["funding_rules"].met is True
    with unit_of_work(national_sessions) as s:
        line = s.scalars(
            select(ExpenditureLineRow).where(ExpenditureLineRow.plan_id == plan_id)
        ).first()
        budget.update_line(
            s, operator("test"), line.id, line.version, {"amount_pence": line.amount_pence + 100}
        )
    with national_sessions() as s:
        actor = as_user(s, "assurer@midlands.demo")
        after = {a.item.key: a for a in assurance.assurance_view(s, actor, plan_id).checklist}
        check = plans.submission_check(s, s.get(Plan, plan_id))
        # The checklist's item is the budget's part of what blocks a submission (a missing chain
        # is the signatories item's).
        blocking = [b for b in check.blocking if "sign-off chain" not in b]
        # £1 more spent than the source's income: income = expenditure is broken, said once.
        assert after["funding_rules"].met is False
        assert after["funding_rules"].why == "; ".join(blocking)
        assert "overspent £1" in after["funding_rules"].why


def test_a_league_table_of_england_is_shown_fifty_areas_a_page():
    """153 areas (every HWB) make pages of 50, 50, 50 and 3; ranks run on across pages."""
    from placeplan.assurance.service.comparisons import LEAGUE_PAGE, League

    rows = list(range(153))  # the rows only need an order here
    pages = [League(None, [], None, rows, page=n) for n in (1, 2, 3, 4)]  # type: ignore[arg-type]
    assert LEAGUE_PAGE == 50 and pages[0].pages == 4
    assert [len(p.shown) for p in pages] == [50, 50, 50, 3]
    assert pages[3].offset == 150 and pages[3].shown == [150, 151, 152]
    assert sum((p.shown for p in pages), []) == rows


def test_spend_per_head_is_reused_until_a_budget_of_its_year_changes(national_sessions):
    """A year's spend is kept while its BCF plans and their budgets' revision tokens stand
    (`comparisons._SPEND_CACHE`): read again, it runs neither grouped query; a line's new amount
    renews its plan's token, and the next read shows it, to the penny."""
    from sqlalchemy import event

    from placeplan.assurance.service import comparisons
    from placeplan.budget import service as budget
    from placeplan.budget.models import ExpenditureLineRow, Scheme
    from placeplan.store.uow import unit_of_work

    _midlands, london = two_synthetic_areas()
    comparisons._SPEND_CACHE.clear()
    statements: list[str] = []
    engine = national_sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def read() -> tuple[dict[str, int], int]:
        statements.clear()
        with national_sessions() as s:
            actor = as_user(s, "assurer@midlands.demo")
            found = comparisons.spend_per_head(s, actor, YEAR, "E40000003")  # London
            (row,) = [r for r in found.rows if r.area.gss_code == london]
            return row.by_category, row.total

    def summed() -> int:
        return sum("sum(bcf_lines.amount_pence)" in q for q in statements)

    first, total = read()
    assert summed() == 1
    assert read() == (first, total) and summed() == 0  # reused
    with unit_of_work(national_sessions) as s:
        line, category = s.execute(
            select(ExpenditureLineRow, Scheme.category)
            .join(Scheme, Scheme.id == ExpenditureLineRow.scheme_id)
            .join(Plan, Plan.id == ExpenditureLineRow.plan_id)
            .where(Plan.kind == "bcf_plan", Plan.period_start == YEAR)
            .where(Plan.title.contains(london[-4:]))
            .limit(1)
        ).one()
        budget.update_line(
            s, operator("test"), line.id, line.version, {"amount_pence": line.amount_pence + 100}
        )
    after, new_total = read()
    assert summed() == 1  # worked out again under the plan's new budget token
    assert new_total == total + 100
    assert after == {**first, category: first[category] + 100}
