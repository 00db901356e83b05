"""Actual spend by line and quarter: the planned profile, a line's position, the ledger extract's
checks, and the service (recording, the preview that writes nothing, confirming, refusals).

The budget is tests/budget/factory.py's: S1-1 £100,000 (NHS minimum contribution) and S1-2
£50,000 (Better Care Grant) in intermediate care and discharge support, S2-1 £50,000 (NHS minimum
contribution) in acute. The plan is for 2025-26."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placeplan.budget.domain.actuals import (
    LedgerRow,
    Quarter,
    QuarterSpend,
    check_ledger,
    parse_quarter,
    planned_in,
    planned_to_date,
    position,
)
from placeplan.budget.io.ledger import read_ledger
from placeplan.budget.models import ActualSpendRow
from placeplan.budget.service import actuals
from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound, SignInNeeded
from placeplan.core.periods import FinancialYear
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for, add_budget, build_world

Q3 = Quarter(2025, 3)


# ---- the domain: pure


def test_quarters_are_read_as_people_and_commands_write_them():
    assert parse_quarter("2025-26 Q3") == Q3
    assert parse_quarter("2025-26-Q3") == Q3
    assert parse_quarter("2025/26 q3") == Q3
    assert Q3.label == "2025-26 Q3" and Q3.slug == "2025-26-Q3"
    with pytest.raises(InputError, match="not a quarter"):
        parse_quarter("Q3 2025")


def test_the_planned_profile_is_the_amount_in_four_even_quarters_to_the_penny():
    # £100,000.01 is 10,000,001 pence: a quarter is 2,500,000.25 pence, so the first three
    # cumulative figures round down and the fourth is the whole amount.
    amount = 10_000_001
    assert [planned_to_date(amount, q) for q in (1, 2, 3, 4)] == [
        2_500_000,
        5_000_000,
        7_500_000,
        10_000_001,
    ]
    assert sum(planned_in(amount, q) for q in (1, 2, 3, 4)) == amount


def test_a_lines_position_sums_the_years_quarters_to_date_and_keeps_the_latest_forecast():
    spends = [
        QuarterSpend(Quarter(2025, 1), 20_000_00, 95_000_00),
        QuarterSpend(Quarter(2025, 2), 30_000_00, 105_000_00, "Winter came early"),
        QuarterSpend(Quarter(2025, 4), 99_000_00),  # after Q3: not counted at Q3
        QuarterSpend(Quarter(2024, 3), 77_000_00),  # another year: not counted
    ]
    at = position("S1-1", 100_000_00, spends, Q3)
    # Planned to the end of Q3: £100,000 x 3 / 4 = £75,000; actual £20,000 + £30,000.
    assert at.planned_pence == 75_000_00
    assert at.actual_pence == 50_000_00
    assert at.variance_pence == -25_000_00
    assert at.forecast_pence == 105_000_00
    assert at.forecast_variance_pence == 5_000_00
    assert at.recorded == 2 and at.commentary == "Winter came early"
    # No forecast given: the line is forecast to spend its amount.
    assert position("S2-1", 50_000_00, [], Q3).forecast_pence == 50_000_00


def test_a_ledger_extract_is_refused_row_by_row_naming_each_row():
    rows = [
        LedgerRow(2, "S1-1", "2025-26 Q1", 25_000_00, None, None),
        LedgerRow(3, "S9-9", "2025-26 Q1", 1_00, None, None),
        LedgerRow(4, "S1-2", "2025-26 Q1", -5_00, None, None),
        LedgerRow(5, "S2-1", "2025-26 Q1", 50_000_00 * 100, None, None),  # pence given as pounds
        LedgerRow(6, "S1-1", "2024-25 Q1", 1_00, None, None),
        LedgerRow(7, "S1-1", "2025-26 Q1", 1_00, None, None),  # S1-1, Q1 a second time
    ]
    lines = {"S1-1": 100_000_00, "S1-2": 50_000_00, "S2-1": 50_000_00}
    good, problems = check_ledger(rows, lines, FinancialYear(2025), "ledger.csv")
    assert [g.line_ref for g in good] == ["S1-1"]
    assert [(p.row, p.file) for p in problems] == [(r, "ledger.csv") for r in (3, 4, 5, 6, 7)]
    messages = [p.message for p in problems]
    assert "'S9-9' matches no expenditure line" in messages[0]
    assert "negative" in messages[1]
    assert "more than ten times the line's amount" in messages[2]
    assert "not a quarter of the plan's year, 2025-26" in messages[3]
    assert "given twice" in messages[4]


def test_the_ledger_reader_refuses_amounts_in_another_unit_and_fractions_of_a_penny():
    with pytest.raises(InputError, match="not in pounds") as found:
        read_ledger(b"Line,Quarter,Actual spend (\xc2\xa3000)\nS1-1,2025-26 Q1,25\n", "l.csv")
    assert found.value.row == 1
    with pytest.raises(InputError, match="fractions of a penny") as found:
        read_ledger("Line,Quarter,Actual spend (£)\nS1-1,2025-26 Q1,1.234\n".encode(), "l.csv")
    assert found.value.row == 2
    rows = read_ledger(
        'Line,Quarter,Actual spend (£)\nS1-1,2025-26 Q1,"£1,234.50"\n'.encode(), "l.csv"
    )
    assert rows[0].actual_pence == 123_450


# ---- the service


@pytest.fixture
def world(sessions):
    return add_budget(sessions, build_world(sessions))


def _spend_rows(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ActualSpendRow)) or 0


def test_an_editor_records_spend_and_the_view_gives_the_position(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        actuals.record_spend(
            s, editor, world.plan_id, "S1-1", "2025-26-Q1", {"actual_pence": 20_000_00}
        )
        actuals.record_spend(
            s,
            editor,
            world.plan_id,
            "S1-1",
            "2025-26 Q2",
            {"actual_pence": 30_000_00, "forecast_pence": 105_000_00, "commentary": "Winter"},
        )
    with sessions() as s:
        view = actuals.spend_view(s, actor_for(s, "county-viewer"), world.plan_id, None)
        assert view.quarter == Quarter(2025, 2)  # the latest quarter with spend
        by_ref = {line.line.ref: line for line in view.lines}
        # Planned to the end of Q2: half of each line's amount.
        assert by_ref["S1-1"].position.planned_pence == 50_000_00
        assert by_ref["S1-1"].position.actual_pence == 50_000_00
        assert by_ref["S1-1"].position.forecast_pence == 105_000_00
        assert by_ref["S1-1"].category == "Intermediate care and discharge support"
        assert by_ref["S2-1"].position.actual_pence == 0


def test_spend_is_refused_from_others_and_when_stale_or_negative(sessions, world):
    with unit_of_work(sessions) as s:
        row = actuals.record_spend(
            s, operator(), world.plan_id, "S1-1", "2025-26 Q1", {"actual_pence": 1_00}
        )
        version = row.version
    with sessions() as s:
        # another council's editor may not even read this draft (a 404 to them)
        with pytest.raises((Forbidden, NotFound)):
            actuals.record_spend(
                s,
                actor_for(s, "city-editor"),
                world.plan_id,
                "S1-1",
                "2025-26 Q1",
                {"actual_pence": 2},
            )
        with pytest.raises(SignInNeeded):
            actuals.spend_view(s, ANONYMOUS, world.plan_id, None)
        with pytest.raises(InputError, match="is negative"):
            actuals.record_spend(
                s, operator(), world.plan_id, "S1-1", "2025-26 Q1", {"actual_pence": -1}
            )
        with pytest.raises(InputError, match="not a quarter of the plan's year"):
            actuals.record_spend(
                s, operator(), world.plan_id, "S1-1", "2026-27 Q1", {"actual_pence": 1}
            )
    with unit_of_work(sessions) as s:
        actuals.record_spend(
            s, operator(), world.plan_id, "S1-1", "2025-26 Q1", {"actual_pence": 3_00}, version
        )
    with sessions() as s, pytest.raises(Conflict):
        actuals.record_spend(
            s, operator(), world.plan_id, "S1-1", "2025-26 Q1", {"actual_pence": 4_00}, version
        )


LEDGER = (
    "Line,Quarter,Actual spend (£),Forecast outturn (£),Commentary\n"
    'S1-1,2025-26 Q1,"24,000.00",,\n'
    "S2-1,2025-26 Q1,13000,52000,Ahead of plan\n"
).encode()


def test_a_ledger_extract_is_previewed_writing_nothing_then_confirmed(sessions, world):
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        shown = actuals.preview_ledger(s, editor, world.plan_id, "ledger.csv", LEDGER)
        token = shown.token
    assert shown.differences.summary() == "2 quarterly spend figures added"
    assert _spend_rows(sessions) == 0
    with unit_of_work(sessions) as s:
        applied = actuals.confirm_ledger(
            s, actor_for(s, "county-editor"), world.plan_id, token or ""
        )
    assert applied.summary() == "2 quarterly spend figures added"
    assert _spend_rows(sessions) == 2
    # The same extract again changes nothing.
    with sessions() as s:
        again = actuals.compare_ledger(s, operator(), world.plan_id, "ledger.csv", LEDGER)
    assert again.differences.empty


def test_a_ledger_extract_with_a_bad_row_is_refused_in_the_preview_and_nothing_is_held(
    sessions, world
):
    bad = LEDGER + b"S7-1,2025-26 Q2,10.00,,\nS1-2,2025-26 Q2,-10.00,,\n"
    with sessions() as s, pytest.raises(actuals.LedgerRefused) as refused:
        actuals.preview_ledger(s, actor_for(s, "county-editor"), world.plan_id, "ledger.csv", bad)
    assert [(p.row, p.field) for p in refused.value.problems] == [
        (4, "line"),
        (5, "actual_pence"),
    ]
    assert "row 4" in refused.value.message
    assert _spend_rows(sessions) == 0


def test_a_confirmation_after_the_spend_moved_is_refused_and_writes_nothing(sessions, world):
    with unit_of_work(sessions) as s:
        token = actuals.preview_ledger(s, operator(), world.plan_id, "ledger.csv", LEDGER).token
    with unit_of_work(sessions) as s:
        actuals.record_spend(
            s, operator(), world.plan_id, "S1-2", "2025-26 Q1", {"actual_pence": 1}
        )
    with sessions() as s, pytest.raises(actuals.StaleLedger):
        actuals.confirm_ledger(s, operator(), world.plan_id, token or "")
    assert _spend_rows(sessions) == 1
