"""Importing the BCF planning workbook into plans, and exporting a plan's budget as one.

Tests that touch a database take the `sessions` fixture and so run on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from placeplan.budget.io import write_workbook
from placeplan.budget.models import ExpenditureLineRow, IncomeContribution, Scheme
from placeplan.budget.service import (
    import_workbook,
    load_document,
    plan_meta,
    validate_for_plan,
    view,
)
from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.plans.models import Plan
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import build_world
from tests.io import HOSTILE, META, edit, sample_document, snapshot, write

# ---- import into plans (SQLite and PostgreSQL) ------------------------------------------------


def export_plan(sessions, plan_id: int, path: Path) -> Path:
    with sessions() as s:
        budget = view(s, operator(), plan_id)
        write_workbook(path, plan_meta(budget.plan), budget.document, budget.findings)
    return path


def counts(sessions) -> tuple[int, ...]:
    with sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (Plan, Scheme, ExpenditureLineRow, IncomeContribution, AuditEvent)
        )


def test_export_import_export_is_identical(sessions, tmp_path):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        load_document(s, operator(), world.plan_id, sample_document())
    first = export_plan(sessions, world.plan_id, tmp_path / "first.xlsx")
    with unit_of_work(sessions) as s:
        plan, warnings = import_workbook(s, operator(), first)
        new_id = plan.id
    assert new_id != world.plan_id and [w.rule for w in warnings] == ["nhs-asc-minimum"]
    second = export_plan(sessions, new_id, tmp_path / "second.xlsx")
    assert snapshot(second) == snapshot(first)
    with unit_of_work(sessions) as s:  # a new version of the same plan
        assert import_workbook(s, operator(), second, world.plan_id)[0].id == world.plan_id
    third = export_plan(sessions, world.plan_id, tmp_path / "third.xlsx")
    assert snapshot(third) == snapshot(first)
    with sessions() as s:
        assert view(s, operator(), new_id).document.schemes[3].name == HOSTILE


def test_an_unbalanced_workbook_fails_validation_and_imports_nothing(sessions, tmp_path):
    world = build_world(sessions)
    path = write(tmp_path / "a.xlsx", sample_document(extra_nhs_income=1))
    with sessions() as s:
        report = validate_for_plan(s, operator(), path, world.plan_id)
    assert not report["valid"]
    assert "income-equals-expenditure" in {f["rule"] for f in report["findings"]}
    before = counts(sessions)
    for plan_id in (None, world.plan_id):
        with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
            import_workbook(s, operator(), path, plan_id)
        error = caught.value
        assert error.message.startswith("[income-equals-expenditure]")
        assert (error.sheet, error.row, error.field) == ("Income", 5, "Amount (£)")
    assert counts(sessions) == before


def test_import_checks_the_cover_and_the_keys_it_names(sessions, tmp_path):
    world = build_world(sessions)
    city = edit(write(tmp_path / "city.xlsx"), "Cover", "B5", "E06000016")
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        import_workbook(s, operator(), city, world.plan_id)
    assert (caught.value.sheet, caught.value.row, caught.value.field) == (
        "Cover",
        5,
        "Area GSS code",
    )
    stranger = edit(write(tmp_path / "s.xlsx"), "Expenditure", "O8", "nowhere-dc")
    before = counts(sessions)
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        import_workbook(s, operator(), stranger)
    assert (caught.value.sheet, caught.value.row) == ("Expenditure", 8)
    assert "nowhere-dc" in caught.value.message
    assert counts(sessions) == before


def test_only_a_draft_plan_takes_an_import(sessions, tmp_path):
    world = build_world(sessions)
    path = write(
        tmp_path / "a.xlsx",
        replace(sample_document(), year="2024-25"),
        meta=replace_year(META, "2024-25"),
    )
    with pytest.raises(InputError, match="only a draft plan"), unit_of_work(sessions) as s:
        import_workbook(s, operator(), path, world.published_plan_id)


def replace_year(meta: dict, year: str) -> dict:
    return {**meta, "year": year}
