"""A plan's kept version (its snapshot) downloads as the planning workbook it was:
GET /plans/{plan_id}/snapshots/{number}/workbook.xlsx."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook

from placeplan.budget.domain.document import document_from_mapping
from placeplan.budget.io import read_workbook
from placeplan.demo import loader
from placeplan.plans.models import Plan, PlanSnapshot
from placeplan.plans.service import current_content
from placeplan.store.uow import unit_of_work
from tests.factories import add_budget

DEMO = Path(loader.__file__).parent / "data" / "budget_leics_2025_26.yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def demo_mapping(**changes: Any) -> dict[str, Any]:
    """The demo's Leicestershire 2025-26 budget as a snapshot keeps it (plain JSON)."""
    data = yaml.safe_load(DEMO.read_text())
    return {**json.loads(json.dumps(data, default=str)), **changes}


def keep_version(sessions, plan_id: int, number: int, budget: dict[str, Any] | None) -> None:
    """A snapshot of the plan as submission takes one, with the budget kept beside it."""
    with unit_of_work(sessions) as s:
        content = current_content(s, s.get(Plan, plan_id))
        content["budget"] = budget  # None: kept before budgets were kept with versions
        s.add(
            PlanSnapshot(
                plan_id=plan_id,
                taken_at=datetime(2025, 3, 1, tzinfo=UTC),
                taken_by="county-editor",
                reason="submitted",
                number=number,
                content=content,
            )
        )


def url(plan_id: int, number: int) -> str:
    return f"/plans/{plan_id}/snapshots/{number}/workbook.xlsx"


def test_a_kept_version_downloads_as_the_workbook_it_was(sessions, world, browser):
    add_budget(sessions, world)  # what the plan holds now: 3 lines, not the version's 46
    mapping = demo_mapping()
    keep_version(sessions, world.plan_id, 2, mapping)
    viewer = browser("county-viewer")
    answer = viewer.get(url(world.plan_id, 2))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    disposition = answer.headers["content-disposition"]
    assert disposition == 'attachment; filename="E10000018-bcf-2025-26-version-2.xlsx"'
    document, meta = read_workbook(io.BytesIO(answer.content))
    kept = document_from_mapping(mapping)
    assert (document.schemes, document.lines, len(document.lines)) == (
        kept.schemes,
        kept.lines,
        46,
    )
    assert sorted(document.income, key=repr) == sorted(kept.income, key=repr)
    assert meta["title"] == "County BCF 2025-26" and meta["year"] == "2025-26"
    # The rule results are worked out again for the version, in the plan's area (the test
    # world's Leicestershire has no NHS baseline: the one warning).
    cover = load_workbook(io.BytesIO(answer.content))["Cover"]
    results = [r[1] for r in cover.iter_rows(min_row=34, values_only=True) if r[1]]
    assert results == ["nhs-asc-minimum"]
    assert viewer.get(url(world.plan_id, 2)).content == answer.content  # the same bytes again


def test_a_version_kept_without_its_budget_says_so(sessions, world, browser):
    keep_version(sessions, world.plan_id, 1, None)
    viewer = browser("county-viewer")
    answer = viewer.get(url(world.plan_id, 1))
    assert answer.status_code == 404
    assert "this version was kept before budgets were kept with it" in answer.text
    assert viewer.get(url(world.plan_id, 7)).status_code == 404  # no version 7


def test_who_may_read_the_plan_may_read_its_versions(sessions, world, browser):
    keep_version(sessions, world.plan_id, 2, demo_mapping())
    keep_version(sessions, world.published_plan_id, 2, demo_mapping(year="2024-25"))
    signed_out = browser()
    assert signed_out.get(url(world.plan_id, 2)).status_code == 404  # a draft: not there
    answer = signed_out.get(url(world.published_plan_id, 2))
    assert answer.status_code == 200
    assert "E10000018-bcf-2024-25-version-2.xlsx" in answer.headers["content-disposition"]
