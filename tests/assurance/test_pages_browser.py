"""Done when: a regional assurer uploads a batch of three workbooks (one broken), reads the
report, rates a plan with conditions and sees the dashboard change; axe-core on every page."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from placeplan.budget import service as budget
from placeplan.core.actor import operator
from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory
from tests.fixtures.browser import AccessiblePage, checked_context, demo_server, sign_in

ASSURER = "assurer@midlands.demo"


@pytest.fixture(scope="module")
def assurance_server(
    demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("assurance")
    with demo_server(demo_sqlite, folder) as url:
        yield url, folder / "demo.sqlite3"


@pytest.fixture
def assurer_page(chromium, assurance_server) -> Iterator[AccessiblePage]:
    context = checked_context(chromium, 15_000)
    yield AccessiblePage(context.new_page(), assurance_server[0])
    context.close()


def batch_zip(database: Path, folder: Path) -> tuple[Path, int]:
    """Leicestershire's 2025-26 and Leicester's 2022-23 workbooks and a broken one, zipped."""
    engine = make_engine(f"sqlite:///{database}")
    with session_factory(engine)() as s:
        plans = {p.key: p.id for p in s.scalars(select(Plan))}
        files = {
            f"{key}.xlsx": budget.export_workbook(s, operator(), plans[key]).content
            for key in ("leics-bcf-2025-26", "leicester-bcf-2022-23")
        }
    engine.dispose()
    files["broken.xlsx"] = b"this was saved as text, not a workbook"
    out = folder / "region.zip"
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out, plans["leics-bcf-2025-26"]


def test_a_regional_assurer_checks_a_batch_rates_a_plan_and_sees_the_dashboard_change(
    assurer_page, assurance_server, tmp_path
):
    page = assurer_page
    sign_in(page, ASSURER)
    page.goto("/assurance/batch")
    batch, plan_id = batch_zip(assurance_server[1], tmp_path)
    page.page.get_by_label("Zip of planning workbooks (.zip)").set_input_files(str(batch))
    page.page.get_by_role("button", name="Check the workbooks").click()
    page.page.wait_for_url(re.compile(r".*/assurance/batch/\w+$"))
    page.check_accessibility()
    report = page.page.locator("#batch-report").inner_text()
    assert "broken.xlsx" in report and "Not a planning workbook" in report
    assert report.count("Checked") == 2

    page.goto("/assurance?year=2025")
    counts = page.page.locator("#counts")
    assert counts.locator('[data-rating="approved_with_conditions"]').inner_text() == "0"
    page.goto(f"/assurance/plans/{plan_id}")
    page.page.get_by_label("Approved with conditions").check()
    page.page.get_by_label("Conditions of approval").fill("Set the metric ambitions by June")
    page.page.get_by_role("button", name="Save assurance").click()
    page.page.wait_for_url(re.compile(rf".*/assurance/plans/{plan_id}$"))
    page.check_accessibility()
    page.goto("/assurance?year=2025")
    assert counts.locator('[data-rating="approved_with_conditions"]').inner_text() == "1"
    page.goto("/comparisons/emergency_admissions_65_plus/league")
    page.goto("/comparisons/emergency_admissions_65_plus/funnel")
