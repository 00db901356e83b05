"""A regional team's batch of planning workbooks: one row per workbook, bad ones said so."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from placeplan.assurance.io.batch import entries
from placeplan.assurance.service import batch as batches
from placeplan.budget import service as budget
from placeplan.core.actor import Actor, operator
from placeplan.core.errors import InputError
from placeplan.people import service as people
from placeplan.plans.models import Plan
from tests.fixtures.national import two_synthetic_areas


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def workbook_of(s, where) -> bytes:
    plan = s.scalars(select(Plan).where(Plan.period_start == 2025, where)).one()
    return budget.export_workbook(s, operator(), plan.id).content


def test_every_workbook_gets_a_row_and_the_bad_ones_say_why(national_sessions):
    midlands, london = two_synthetic_areas()
    with national_sessions() as s:
        principal = people.principal_for(s, people.get_user(s, "assurer@midlands.demo"))
        actor = Actor(name=principal.username, principal=principal)
        leics = workbook_of(s, Plan.key == "leics-bcf-2025-26")
        files = {
            "a-leicestershire.xlsx": leics,
            "b-synthetic.xlsx": workbook_of(s, Plan.title.contains(midlands[-4:])),
            "c-london.xlsx": workbook_of(s, Plan.title.contains(london[-4:])),
            "d-leicestershire-again.xlsx": leics,
            "e-notes.xlsx": b"these are not a workbook",
            "__MACOSX/._a-leicestershire.xlsx": b"resource fork",
        }
        found = batches.check_batch(s, actor, "region.zip", zipped(files))
        outcomes = {r.file: r.outcome for r in found.rows}
        assert outcomes == {
            "a-leicestershire.xlsx": "Checked",
            "b-synthetic.xlsx": "Checked",
            "c-london.xlsx": "Outside your regions",
            "d-leicestershire-again.xlsx": "Repeats an area",
            "e-notes.xlsx": "Not a planning workbook",
        }
        checked = {r.file: r for r in found.rows}
        # The generator loads only budgets that meet every funding rule, and the workbook is the
        # plan's own budget exported, so it meets them too.
        assert checked["b-synthetic.xlsx"].funding_rules == "Met"
        # Leicestershire's 2025-26 plan states ten figures (budget_leics_2025_26.yaml); its own
        # footnote's 72.4% disagrees with its table's 72.27%.
        assert checked["a-leicestershire.xlsx"].stated == "1 of 10 disagree"
        assert "Leicestershire" in checked["d-leicestershire-again.xlsx"].problems[0]


def test_a_file_that_is_not_a_zip_is_refused_by_name():
    with pytest.raises(InputError) as refused:
        entries(b"plain text", "workbooks.zip")
    assert "workbooks.zip is not a zip file" in refused.value.message
