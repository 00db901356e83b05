"""A planner changes the LLR mental health allocation through its form in chromium, with axe-core
on every page: the form, the form refusing a negative weight with the field named, the saved
allocation, a need index uploaded and previewed, then applied. These tests change the demo, so
they get a demo server of their own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.browser import _user, demo_server, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its edits reach no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-allocation")) as url:
        yield url


def test_a_planner_changes_the_allocation_and_uploads_a_need_index(page):
    p = page.page
    sign_in(page, _user("editor", "llr-icb"))
    page.goto("/plans")
    p.get_by_role("link", name="LLR Five-Year Plan 2023/24 to 2027/28").click()
    p.get_by_role("link", name=re.compile("money over the plan's years")).click()
    p.get_by_role("link", name=re.compile("Mental health investment")).click()
    p.get_by_role("link", name="Change the allocation or upload a need index").click()
    page.check_accessibility()
    assert "Leicester, 413074, 10856000" in p.get_by_label("Areas").input_value()
    p.get_by_label("Weight of component 2").fill("-1")
    p.get_by_role("button", name="Save").click()
    main = p.locator("main").inner_text()
    assert "must be from 0 to 1000000 (it is -1)" in main and "There is a problem" in main
    assert p.locator("#component_2_weight-error").count() == 1
    page.check_accessibility()  # the refused form, its error summary and the field's message
    p.get_by_label("Weight of component 2").fill("70")
    p.get_by_role("button", name="Save").click()
    p.wait_for_url(re.compile(r"/finance/allocations/\d+$"))
    page.check_accessibility()
    assert "weight 70" in p.locator("main").inner_text()
    p.get_by_role("link", name="Change the allocation or upload a need index").click()
    p.get_by_label("Need index file (CSV)").set_input_files(
        files=[
            {
                "name": "index.csv",
                "mimeType": "text/csv",
                "buffer": b"Area,Need index\nLeicester,1.4\nLeicestershire,0.8\nRutland,0.7\n",
            }
        ]
    )
    p.get_by_label("Its weight").fill("20")
    p.get_by_label("Where the index came from").fill("Illustrative index for the test")
    p.get_by_role("button", name="Upload and preview").click()
    p.wait_for_url(re.compile(r"/need-index/\w+$"))
    page.check_accessibility()
    assert "Need index with the upload" in p.locator("main").inner_text()
    p.get_by_role("button", name="Apply the need index").click()
    p.wait_for_url(re.compile(r"/finance/allocations/\d+$"))
    page.check_accessibility()
    assert "Uploaded need index: weight 20" in p.locator("main").inner_text()
