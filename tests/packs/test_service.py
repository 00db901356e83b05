"""What a board pack gathers, on the demo: a body's plans, metrics, budget, capacity, delivery
reports and pledges (no PDF here: tests/packs/test_cli.py prints and reads one back)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from placeplan.budget.domain.actuals import Quarter
from placeplan.core.actor import ANONYMOUS, operator
from placeplan.core.errors import InputError, SignInNeeded
from placeplan.packs.present import pack_html
from placeplan.packs.service import board_pack, pack_quarter
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
