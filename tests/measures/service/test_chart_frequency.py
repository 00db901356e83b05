"""One chart, one period length, on the demo: Leicestershire's long-term admissions hold the seed's
2019-20 rate (536 per 100,000 over the year, Leicestershire's BCF plan 2021-22, seed 002) beside
the illustrative monthly rates near 40, and its ambition for 2021-22 is yearly (519). The chart,
the board's latest value and icons, and the page use the monthly figures only and list the yearly
one apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from placeplan.app.factory import create_app
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.core.periods import parse_reporting_period
from placeplan.demo.measures import DATA
from placeplan.measures.present.spc_view import chart_svg
from placeplan.measures.service.board import board
from placeplan.measures.service.figures import metric_view
from placeplan.store.db import make_engine, session_factory

KEY = "long_term_admissions_65_plus"


@pytest.fixture
def demo(tmp_path: Path, demo_sqlite: Path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _seeded() -> tuple[str, str, float, float]:
    """The area, the yearly figure's period and value, and the yearly ambition's target, as the
    demo's measures.yaml records them from seed 002."""
    data = yaml.safe_load((DATA / "measures.yaml").read_text(encoding="utf-8"))
    (published,) = [p for p in data["published"] if p["metric"] == KEY]
    (aim,) = [a for a in data["ambitions"] if a["metric"] == KEY]
    return published["area"], str(published["period"]), published["value"], aim["target"]


def test_the_yearly_rate_is_listed_apart_and_neither_it_nor_the_yearly_ambition_is_charted(demo):
    area, period, value, target = _seeded()
    assert parse_reporting_period(period).kind == "year"
    with session_factory(demo)() as s:
        view = metric_view(s, operator(), area, KEY)
        assert view.spc is not None
        kinds = {parse_reporting_period(p.period).kind for p in view.spc.points}
        assert kinds == {"month"}
        assert [r.period for r in view.others] == [period]
        assert float(view.others[0].value) == value
        assert view.spc.target is None  # 519 over a year is no target for a month's rate
        assert view.spc.assurance == "none"
        svg = chart_svg(view, " per 100,000") or ""
        assert f"Target {target:.1f}" not in svg
        # The scale fits the monthly figures: the chart's top is below the yearly rate.
        assert max(p.upper or p.value for p in view.spc.points) < value / 2
        (row,) = [r for r in board(s, [view.area]) if r.metric.key == KEY]
        assert row.latest is not None and row.latest.period == view.spc.points[-1].period
        assert row.points == len(view.spc.points)
        assert (row.variation, row.assurance) == (view.spc.variation, view.spc.assurance)


def test_the_metric_page_lists_the_other_figure_beside_the_chart_and_says_why(demo):
    area, period, value, _target = _seeded()
    app = create_app(Settings(database_url=str(demo.url)), engine=demo)
    with TestClient(app) as client:
        page = client.get(f"/areas/{area}/metrics/{KEY}")
    assert page.status_code == 200
    assert "Other figures" in page.text
    assert f"{period} (year) {value:.1f} per 100,000" in page.text
    assert "a rate over a year is on another scale from a rate over a month" in page.text
