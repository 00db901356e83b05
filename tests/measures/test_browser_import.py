"""Leicester's BCF lead uploads a file of measurements in chromium, with axe-core on every page:
the preview lists what changes, nothing is saved until they confirm, and the metric's page then
says what changed. This test changes the demo, so it gets a demo server of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.browser import demo_server, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its upload reaches no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-measures")) as url:
        yield url


def test_a_lead_uploads_changed_figures_previews_and_confirms(page, tmp_path):
    sign_in(page, "bcf.lead@leicester.demo")
    page.goto("/areas/E06000016/metrics/het_referrals")
    p = page.page
    p.get_by_role("link", name=re.compile("Upload figures for this measure")).click()
    page.check_accessibility()
    # demo/data/measures.yaml, seed 001: Leicester's Housing Enablement Team had 901 referrals
    # in 2021-22, 173 of them from the Bradgate Mental Health Unit. By hand: 901 stays (1 held
    # as it is), Bradgate becomes 175 (1 changed) and 2022-23 gets 950 (1 added).
    upload = tmp_path / "het-2022-23.csv"
    upload.write_text(
        "area_code,period,numerator,breakdown,breakdown_value\n"
        "E06000016,2021-22,901,,\n"
        "E06000016,2021-22,175,referral_source,Bradgate Mental Health Unit\n"
        "E06000016,2022-23,950,,\n"
    )
    p.get_by_label("Measurements file").set_input_files(str(upload))
    p.get_by_role("button", name="Upload and check the changes").click()
    page.check_accessibility()
    assert p.get_by_role("heading", level=1).inner_text() == "Check the changes in het-2022-23.csv"
    assert "1 figure is already held" in p.locator("main").inner_text()
    summary = "1 measurement changed, 1 measurement added."
    assert summary in p.locator("#differences").inner_text()
    table = p.get_by_role("table", name=re.compile("^Hospital Housing Enablement Team referrals"))
    # The changed measurement's first row names it and gives its first field that moved.
    bradgate = table.get_by_role("row", name=re.compile("Bradgate Mental Health Unit"))
    assert re.search(r"Changed\s+Value\s+173\s+175", bradgate.inner_text()), bradgate.inner_text()
    assert "Leicester, 2022-23" in table.inner_text()
    p.get_by_role("button", name="Save these changes").click()
    page.check_accessibility()
    assert p.url.endswith("/areas/E06000016/metrics/het_referrals")
    notice = p.get_by_role("status").inner_text()
    assert "Saved the measurements in het-2022-23.csv" in notice
    assert "1 measurement changed, 1 measurement added" in notice
    figures = p.get_by_role("table", name=re.compile("The figures behind the chart"))
    assert figures.get_by_role("row", name=re.compile("^2022-23")).count() == 1
