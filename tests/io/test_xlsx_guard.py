"""The probe's hostile workbooks (issue 15), through every workbook reader, the web and the
command line: each is refused naming the file, the sheet and the row, within seconds and well
under 300 MB. The figures are measured in a fresh interpreter (tests/io/hostile.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from placeplan.budget.cli import bcf
from placeplan.budget.io import layout as L
from placeplan.delivery.io.layout import ACTIONS
from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.io import write
from tests.io.hostile import HOSTILE, hostile, measure

BUDGET_ROWS = L.MAX_DATA_ROWS
# (what each kind is refused for, the row named): the sparse sheet at its one row; the empty rows
# at the first row past the budget's 50,000; the dense sheet (200 cells a row) at the row whose
# cells take the workbook past a million, row 5,000 give or take the other sheets' cells; the
# truncated and entity-declaring sheets at the row they were reading
EXPECTED = {
    "sparse": ("goes on past row", 2_000_000_000),
    "empty rows": ("goes on past row", BUDGET_ROWS + 1),
    "dense cells": ("more than 1,000,000 cells", None),
    "truncated": ("could not be read", 2),
    "entities": ("DOCTYPE or entities", 1),
}
SECONDS = 20  # the slowest, the dense sheet, streams 25 MB of XML: about 3 s on an idle core
PEAK_MB = 300


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    base = write(folder / "base.xlsx").read_bytes()
    out = {}
    for kind in HOSTILE:
        path = folder / f"{kind.replace(' ', '-')}.xlsx"
        path.write_bytes(hostile(base, L.COVER if kind != "dense cells" else L.EXPENDITURE, kind))
        out[kind] = path
    return out


def tracker_base() -> bytes:
    wb = Workbook()
    wb.active.title = "Read me"
    wb.create_sheet(ACTIONS)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_budget_workbook_is_refused_quickly_in_bounded_memory(files, kind):
    found = measure(files[kind], "placeplan.budget.io:read_workbook")
    words, row = EXPECTED[kind]
    error = found["error"]
    assert isinstance(error, dict), found
    assert words in error["message"]
    assert error["file"] == str(files[kind])
    assert error["sheet"] == (L.EXPENDITURE if kind == "dense cells" else L.COVER)
    if row is not None:
        assert error["row"] == row
    assert found["seconds"] < SECONDS
    assert found["maxrss_mb"] < PEAK_MB


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_tracker_and_measurements_file_are_refused_the_same_way(tmp_path, kind):
    tracker = tmp_path / "tracker.xlsx"
    tracker.write_bytes(hostile(tracker_base(), ACTIONS, kind))
    for path, reader, sheet in (
        (tracker, "placeplan.delivery.io.read:read_tracker", ACTIONS),
        (tracker, "placeplan.measures.io.measurements:read_rows", "Read me"),
    ):
        found = measure(path, reader)
        error = found["error"]
        assert isinstance(error, dict), found
        assert error["sheet"] in (sheet, ACTIONS), error  # the scan reads every sheet
        assert found["seconds"] < SECONDS
        assert found["maxrss_mb"] < PEAK_MB


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_the_api_and_the_page_answer_400_naming_the_sheet(
    client, browser, sessions, world, files, kind
):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    content = files[kind].read_bytes()
    api = client.post(
        f"/api/v1/plans/{world.plan_id}/budget/workbook/preview",
        files={"file": ("hostile.xlsx", content)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 400, api.text
    error = api.json()["error"]
    assert EXPECTED[kind][0] in error["message"] and error["sheet"] in (L.COVER, L.EXPENDITURE)
    b = browser("county-editor")
    b.get(f"/plans/{world.plan_id}/budget")
    page = b.client.post(
        f"/plans/{world.plan_id}/budget/upload",
        data={"csrf_token": b.token},
        files={"workbook": ("hostile.xlsx", content)},
    )
    assert page.status_code == 400
    assert EXPECTED[kind][0] in page.text.replace("&#39;", "'")


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_the_command_line_exits_2_with_the_error_not_a_traceback(files, kind):
    result = CliRunner().invoke(bcf, ["validate", str(files[kind])])
    assert result.exit_code == 2, result.output
    assert EXPECTED[kind][0] in result.output and "Traceback" not in result.output
