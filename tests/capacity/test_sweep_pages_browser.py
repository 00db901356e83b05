"""In a real browser, with axe-core on every page: a sweep kept with the demo's plan, reached from
the plan's capacity models, shows its chart and its table of every task (the failed one too);
and an editor fits a service's length of stay to a file of observed stays and makes a trial run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from placeplan.capacity.domain.sweep import failed, variations
from placeplan.capacity.service.sweeps_stored import record_sweep
from placeplan.core.actor import operator
from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.capacity.test_sweep import small_outcome
from tests.fixtures.browser import AccessiblePage, _user, checked_context, demo_server, sign_in

pytestmark = pytest.mark.browser

PLAN = "Leicestershire Better Care Fund plan 2025-26"


@pytest.fixture(scope="module")
def sweep_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with a small sweep kept with Leicestershire's plan (its last task failed, as a
    task whose worker died on every attempt is kept)."""
    folder = tmp_path_factory.mktemp("sweeps")
    with demo_server(demo_sqlite, folder) as url:
        engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
        outcome = small_outcome()
        last = variations(outcome.spec)[-1]
        rows = [*outcome.rows[:-1], failed(last, "its worker died on every attempt")]
        with unit_of_work(session_factory(engine)) as s:
            plan_id = s.scalars(select(Plan.id).where(Plan.key == "leics-bcf-2025-26")).one()
            record_sweep(s, operator(), plan_id, replace(outcome, rows=rows), "name: x", "")
        engine.dispose()
        yield url


@pytest.fixture
def sweep_page(chromium, sweep_server) -> Iterator[AccessiblePage]:
    context = checked_context(chromium, 20_000)
    yield AccessiblePage(context.new_page(), sweep_server)
    context.close()


def _models(page: AccessiblePage) -> None:
    page.goto("/plans")
    page.page.get_by_role("link", name=PLAN).click()
    page.page.get_by_role("link", name=re.compile("demand and capacity models")).click()


def test_a_kept_sweep_shows_its_chart_and_table(sweep_page):
    page = sweep_page
    sign_in(page, _user("viewer", "leics-cc"))
    _models(page)
    page.page.get_by_role("link", name=re.compile("Sweeps of a model")).click()
    page.check_accessibility()
    page.page.get_by_role("link", name="small sweep").click()
    page.page.wait_for_url(re.compile(r".*/capacity/sweeps/\d+$"))
    page.check_accessibility()
    chart = page.page.get_by_role("img", name="Average discharge delay against demand growth")
    assert chart.is_visible()
    # a line for each area and option: North's two growths joined; South's second task failed,
    # so its one figure is a point with no line (3 points in all)
    assert chart.locator("polyline").count() == 1
    assert chart.locator("circle").count() == 3
    table = page.page.get_by_role("table", name="Every task of the sweep")
    assert table.locator("tbody tr").count() == 4
    assert "Failed: its worker died on every attempt" in table.inner_text()
    assert "1 of the tasks failed" in page.page.locator("main").inner_text()
    download = page.page.get_by_role("link", name="Download the table (CSV)")
    assert (download.get_attribute("href") or "").endswith("?format=csv")


def test_an_editor_fits_a_length_of_stay_and_makes_a_trial_run(sweep_page, tmp_path):
    page = sweep_page
    sign_in(page, _user("editor", "leics-cc"))
    _models(page)
    page.page.get_by_role("link", name="LLR intermediate care 2025-26").click()
    page.page.get_by_role("button", name="Make a trial run").click()
    page.page.wait_for_selector("#trial-result", timeout=120_000)
    page.check_accessibility()
    assert (
        "A full run of 1,000 replications will take"
        in page.page.locator("#trial-result").inner_text()
    )
    page.page.get_by_role("link", name=re.compile("Fit a service's length of stay")).click()
    page.check_accessibility()
    stays = np.round(np.random.default_rng(3).gamma(4.0, 7.0, 80), 1)
    path = tmp_path / "p2 stays.csv"
    path.write_text("Length of stay (days)\n" + "\n".join(f"{v:g}" for v in stays) + "\n")
    p2 = "bedded discharge to assess (therapy-led D2A and community hospital therapy beds)"
    page.page.get_by_label("Service").select_option(value="P2")
    assert p2 in page.page.get_by_label("Service").locator("option:checked").inner_text()
    page.page.get_by_label("Observed stays (CSV)").set_input_files(str(path))
    page.page.get_by_role("button", name="Upload and fit").click()
    page.page.wait_for_selector("#fit-figure")
    page.check_accessibility()
    assert page.page.get_by_role("img", name="Observed and fitted lengths of stay").is_visible()
    assert page.page.get_by_role(
        "table", name="Share of stays of at most so many days"
    ).is_visible()
    page.page.get_by_label(re.compile("^Gamma: mean")).check()
    page.page.get_by_role("button", name="Use this fit in the model").click()
    page.page.wait_for_url(re.compile(r".*/capacity/\d+$"))
    page.check_accessibility()
    main = page.page.locator("body").inner_text()
    assert f"The length of stay of {p2} is now gamma" in main
    assert "gamma fitted by maximum likelihood to 80 observed stays (p2 stays.csv)" in (
        page.page.locator("#scenario_yaml").input_value()
    )
