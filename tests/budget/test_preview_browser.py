"""A BCF lead uploads an edited planning workbook in chromium, with axe-core on every page: the
preview lists exactly the two cells changed, in names and pounds; confirming applies them and the
budget page says so. This test changes the demo, so it gets a demo server of its own.

The figures are the demo's (src/placeplan/demo/data/budget_leics_2025_26.yaml): STROKE-1 is
£600,000 and TA-CH-1 £240,000, both acute and from the NHS minimum contribution. Moving £1,000
from one to the other changes no total, so the preview lists only those two lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.fixtures.browser import _user, demo_server, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The LLR demo on a SQLite file of this module's own, so its edits reach no other test."""
    with demo_server(demo_sqlite, tmp_path_factory.mktemp("live-bcf-preview")) as url:
        yield url


def edited(content: bytes, pounds: dict[str, int]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["Expenditure"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    for row in range(5, sheet.max_row + 1):
        line = sheet.cell(row, headers["Line ID"]).value
        if line in pounds:
            sheet.cell(row, headers["Expenditure (£)"]).value = pounds[line]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MOVE_1000 = {"STROKE-1": 601_000, "TA-CH-1": 239_000}


def upload_edited(page, plan: str, workbook: Path, pounds: dict[str, int]) -> None:
    """On the plan's budget page: download the workbook, change `pounds` in it, upload it, and
    land on the preview."""
    p = page.page
    download = p.request.get(f"{page.base}/plans/{plan}/budget.xlsx")
    assert download.ok
    workbook.write_bytes(edited(download.body(), pounds))
    p.get_by_label("Upload a completed workbook to replace this budget").set_input_files(
        str(workbook)
    )
    p.get_by_role("button", name="Upload workbook").click()
    p.get_by_role("heading", name="Check the changes before they are applied").wait_for()
    page.check_accessibility()


def test_a_lead_previews_an_edited_workbook_and_confirms_it(page, tmp_path):
    p = page.page
    sign_in(page, _user("editor", "leics-cc"))
    page.goto("/plans")
    p.get_by_role("link", name="Leicestershire Better Care Fund plan 2025-26").click()
    p.get_by_role("button", name="Return to draft").click()
    page.check_accessibility()
    p.get_by_role("link", name=re.compile("See the pooled budget")).click()
    page.check_accessibility()
    plan = p.url.split("/plans/")[1].split("/")[0]
    upload_edited(page, plan, tmp_path / "leicestershire-bcf-2025-26.xlsx", MOVE_1000)
    assert "2 lines changed" in p.locator(".nhsuk-inset-text").inner_text()
    captions = [c.inner_text() for c in p.locator("table caption").all()]
    assert captions[0] == "Expenditure lines" and captions[1:] == [captions[-1]]  # then the checks
    assert captions[-1].endswith("to note")
    rows = p.get_by_role("table", name="Expenditure lines").locator("tbody tr")
    assert [r.inner_text().split("\t") for r in rows.all()] == [
        [
            "Line STROKE-1 of Integrated stroke services",
            "Changed",
            "Amount",
            "£600,000.00",
            "£601,000.00",
        ],
        [
            "Line TA-CH-1 of Trusted assessors for care homes",
            "Changed",
            "Amount",
            "£240,000.00",
            "£239,000.00",
        ],
    ]

    p.get_by_role("button", name="Confirm and apply these changes").click()
    p.wait_for_url(re.compile(rf".*/plans/{plan}/budget$"))
    assert "Planning workbook applied: 2 lines changed" in p.get_by_role("status").inner_text()
    page.check_accessibility()
