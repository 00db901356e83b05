"""Leicestershire's BCF lead takes the 2025-26 NHS minimum uplift from the LLR medium-term
financial plan in chromium, with axe-core on every page: the minimum, the preview before and
after (with its warning: the model's uplift is below the national one), and the minimum taken.

The demo gives no baseline (seed 000 has none), so this module's demo gets one of £10,000,000:
3.9% on it is £10,390,000.00. The LLR model's 2025-26 allocation increase is £69,862,300 on a
cost base of £2,566,936,667 (demo/data/finance_llr.yaml): 2.7216...%, 2.722% to three places,
which makes the minimum £10,272,200.00. The demo is changed, so the module has its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from placeplan.areas.models import Area
from placeplan.budget import service as budget
from placeplan.core.actor import operator
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE
from tests.fixtures.browser import _user, demo_server, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live-nhs-minimum")
    with demo_server(demo_sqlite, folder) as url:
        engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
        with unit_of_work(session_factory(engine)) as s:
            area = s.scalars(select(Area).where(Area.gss_code == LEICESTERSHIRE)).one()
            budget.set_nhs_asc_baseline(s, operator("test"), area.id, 2025, 10_000_000_00)
        engine.dispose()
        yield url


def test_the_bcf_lead_takes_the_uplift_from_the_financial_model(page):
    p = page.page
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/plans")
    p.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    p.get_by_role("link", name=re.compile("^Pooled budget|budget", re.I)).first.click()
    p.get_by_role("link", name=re.compile("The NHS minimum contribution")).click()
    page.check_accessibility()
    main = p.locator("main").inner_text()
    assert "£10,390,000.00" in main and "The national uplift" in main
    model = p.locator("#model option", has_text="Five-Year Plan").first.get_attribute("value")
    p.get_by_label("Financial model").select_option(model)
    p.get_by_role("button", name="Preview the change").click()
    page.check_accessibility()
    main = p.locator("main").inner_text()
    assert "£10,390,000.00" in main and "£10,272,200.00" in main and "2.722%" in main
    assert "Below the national uplift" in main
    p.get_by_role("button", name="Take this uplift").click()
    p.wait_for_url(re.compile(r"/budget/nhs-minimum$"))
    page.check_accessibility()
    main = p.locator("main").inner_text()
    assert "£10,272,200.00" in main and "Taken from the financial model" in main
