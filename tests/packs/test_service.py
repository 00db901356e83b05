"""What a board pack gathers, on the demo: a body's plans, metrics, budget, capacity, delivery
reports and pledges (no PDF here: tests/packs/test_cli.py prints and reads one back)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from placeplan.budget.domain.actuals import Quarter
from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.core.periods import parse_reporting_period
from placeplan.delivery.models import DeliveryUpdate
from placeplan.measures.domain.frequency import month_of
from placeplan.measures.models import Measurement
from placeplan.packs.present import pack_html
from placeplan.packs.service import (
    Pack,
    board_pack,
    find_pack_body,
    pack_quarter,
    quarter_end,
    quarter_of_day,
)
from placeplan.pledges.service.reads import list_pledges
from placeplan.store.db import make_engine, session_factory


@pytest.fixture
def demo(tmp_path: Path, demo_sqlite: Path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    yield session_factory(engine)
    engine.dispose()


def test_a_period_is_a_quarter_or_a_year_read_as_its_last_quarter():
    assert pack_quarter("2025-26-Q3") == Quarter(2025, 3)
    assert pack_quarter("2025-26") == Quarter(2025, 4)
    with pytest.raises(InputError, match="not a period for a pack"):
        pack_quarter("next spring")


def test_the_leicestershire_hwb_pack_holds_its_plans_parts(demo):
    with demo() as s:
        pack = board_pack(s, operator(), "leics-hwb", "2025-26 Q3")
        titles = [p.title for p in pack.plans]
        assert "Leicestershire Better Care Fund plan 2025-26" in titles
        assert "LLR Five-Year Plan 2023/24 to 2027/28" in titles  # the system's plan
        assert {r.row.area.name for r in pack.summary} == {"Leicestershire"}
        assert len(pack.charts) == len(pack.summary)
        assert all(c.rows for c in pack.charts)  # each chart with its figures
        (budget,) = pack.budgets
        assert budget["illustrative"] and budget["total"].actual_pence > 0
        assert pack.capacity and pack.capacity[0]["services"]
        assert pack.pledges and len(pack.pledges[0]["pledges"]) == 13  # seed 003, Table 13
        assert pack.delivery == []  # no delivery plan of Leicestershire reports to it
        html = pack_html(pack)
        assert "No delivery plan of these plans reports to this body." in html
        assert "Illustrative spend" in html


def test_the_leicester_hwb_pack_has_its_delivery_plans_reports(demo):
    with demo() as s:
        pack = board_pack(s, operator(), "leicester-hwb", "2024-25 Q1")
        kinds = [r["kind"] for r in pack.delivery]
        assert kinds == ["highlight", "exception"]
        assert pack.delivery[0]["body"]["name"] == "Leicester City Health and Wellbeing Board"
        html = pack_html(pack)
        assert (
            "Highlight report: Leicester Health, Care and Wellbeing Strategy delivery plan" in html
        )
        with pytest.raises(SignInNeeded):
            board_pack(s, ANONYMOUS, "leicester-hwb", "2024-25 Q1")


def _periods_in(pack: Pack) -> set[str]:
    """Every measurement period the pack shows: the summary's latest figures and each chart's
    points and table, and the figures listed beside the charts."""
    found = {r.row.latest.period for r in pack.summary if r.row.latest}
    return found | {p for c in pack.charts for p in c.periods}


def _last_month(period: str) -> int:
    return parse_reporting_period(period).last_month


def test_a_pack_shows_the_measures_as_at_the_end_of_its_quarter(demo):
    with demo() as s:
        body = find_pack_body(s, "leics-hwb")
        # The latest month the demo measures in the body's area, and the quarters around it.
        months = [
            p
            for p in s.scalars(
                select(Measurement.period).where(Measurement.area_id == body.area_id)
            )
            if parse_reporting_period(p).kind == "month"
        ]
        latest = max(months, key=_last_month)
        late = quarter_of_day(date(int(latest[:4]), int(latest[5:]), 1))
        early = quarter_of_day(quarter_end(late) - timedelta(days=183))
        early_end = month_of(quarter_end(early))
        early_pack = board_pack(s, operator(), "leics-hwb", early.label)
        late_pack = board_pack(s, operator(), "leics-hwb", late.label)
        assert early_pack.as_at == quarter_end(early)
        shown_early = _periods_in(early_pack)
        assert shown_early and max(map(_last_month, shown_early)) <= early_end
        assert any(_last_month(p) > early_end for p in _periods_in(late_pack))
        # The brief's case: nothing after June 2025 in the pack for 2025-26 Q1.
        q1 = board_pack(s, operator(), "leics-hwb", "2025-26-Q1")
        assert max(map(_last_month, _periods_in(q1))) <= month_of(date(2025, 6, 30))
        html = pack_html(q1)
        assert "The record as at 30 June 2025, the end of 2025-26 Q1" in html
        assert "the budget as it stands now" in html  # what is not shown as at the quarter
        assert "Other figures: 2019-20 (year) 536.0 per 100,000" in html


def test_a_packs_delivery_reports_are_of_the_latest_period_reported_by_its_end(demo):
    with demo() as s:
        plan_id = s.scalar(select(DeliveryUpdate.plan_id).limit(1))
        reported = sorted(
            set(
                s.execute(
                    select(DeliveryUpdate.period, DeliveryUpdate.period_end).where(
                        DeliveryUpdate.plan_id == plan_id
                    )
                ).all()
            ),
            key=lambda r: r[1],
        )
        first, *_rest, last = reported
        assert first[0] != last[0]
        # The quarter of the first update: its reports are of that period, not the latest.
        pack = board_pack(s, operator(), "leicester-hwb", first[0])
        assert {r["period"] for r in pack.delivery} == {first[0]}
        # The quarter before any update: no report, and the pack says why.
        before = quarter_of_day(first[1] - timedelta(days=92))
        pack = board_pack(s, operator(), "leicester-hwb", before.label)
        assert pack.delivery == []
        assert "no delivery update had been reported by" in pack_html(pack)


def test_a_pledge_measured_after_the_quarter_says_its_status_then_is_not_known(demo):
    with demo() as s:
        pack = board_pack(s, operator(), "leicester-hwb", "2024-25 Q1")
        (pledges,) = [p for p in pack.pledges]
        plan_id = next(p.id for p in pack.plans if p.title == pledges["plan"])
        _, views = list_pledges(s, operator(), plan_id)
        # The pledge whose measures' latest figures are the latest of the plan's: the quarter
        # before that figure's period ends cannot show its status as it then stood.
        measured = [
            (max(parse_reporting_period(m.measure.latest_period).last_month for m in v.measures
                 if m.measure.latest_period), v)
            for v in views
            if any(m.measure.latest_period for m in v.measures)
        ]  # fmt: skip
        last, view = max(measured, key=lambda x: x[0])
        ended = date(last // 12, last % 12 + 1, 1)
        before = quarter_of_day(ended - timedelta(days=92))
        now = board_pack(s, operator(), "leicester-hwb", quarter_of_day(ended).label)
        then = board_pack(s, operator(), "leicester-hwb", before.label)
        status = {x["ref"]: x["status"] for p in now.pledges for x in p["pledges"]}
        earlier = {x["ref"]: x["status"] for p in then.pledges for x in p["pledges"]}
        assert not status[view.pledge.ref].startswith("Not known")
        assert earlier[view.pledge.ref].startswith("Not known at the quarter's end")
        assert "a pledge measured since cannot be shown as it stood" in pack_html(then)
