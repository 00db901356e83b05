"""The planning workbook stays true in Excel: its Summary and the Cover's checklist are formulas
over the Income and Expenditure sheets, recomputed here by real LibreOffice (headless Calc),
and the import never trusts them.

Expected figures are worked out in the test from the plan's own income and expenditure lines
(sums of pence), never copied from the workbook; where a figure is also a source document's, the
test says so (seed-000's spend table: £78,073,138 in all)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from placeplan.budget import service as budget
from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain import rules
from placeplan.budget.domain.core import Budget, BudgetDocument, Finding
from placeplan.budget.io import default_budget, read_workbook, validate_workbook, write_workbook
from placeplan.budget.io import layout as L
from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.io import docx_pdf
from placeplan.io.xlsx_stable import FIXED_ZIP_TIME
from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory
from placeplan.store.uow import unit_of_work
from tests.factories import build_world
from tests.io import META, sample_document

needs_calc = pytest.mark.skipif(
    docx_pdf.soffice() is None, reason="LibreOffice (soffice) is not installed"
)


# ---- helpers ------------------------------------------------------------------------------------


def recompute(folder: Path, *paths: Path) -> list[Path]:
    """Each workbook opened and saved again by LibreOffice Calc, which computes every formula
    (the workbook asks for a full calculation on load): the copies hold the computed values."""
    program = docx_pdf.soffice()
    assert program is not None
    out = folder / "recomputed"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    copies = [out / p.name for p in paths]
    missing = [p.name for p in copies if not p.exists()]
    assert not missing, (
        f"LibreOffice wrote no copy of {missing}: Calc is needed "
        "(libreoffice-calc-nogui, installed by scripts/test-setup.sh)"
    )
    return copies


def values(path: Path) -> Any:
    return load_workbook(path, data_only=True)


def to_pence(value: Any) -> int:
    """A computed amount in pounds, in pence; it must be within a thousandth of a penny of a whole
    penny (floating-point sums are not exact, the figures must be)."""
    exact = Decimal(repr(float(value))) * 100
    pence = int(exact.to_integral_value())
    assert abs(exact - pence) < Decimal("0.001"), value
    return pence


def table(ws: Any, title: str) -> dict[str, list[Any]]:
    """A Summary table's rows by their label in column A: from the row below its header to the
    first empty row."""
    rows = iter(ws.iter_rows(values_only=True))
    for row in rows:
        if row[0] == title:
            break
    else:
        raise AssertionError(f"no table {title!r}")
    next(rows)  # its header (or, for a label-and-value section, its first row is data)
    found: dict[str, list[Any]] = {}
    for row in rows:
        if row[0] is None and row[1] is None:
            break
        found[row[0]] = list(row[1:5])
    return found


def section(ws: Any, title: str) -> dict[str, Any]:
    """A label-and-value section of the Summary (no header row)."""
    rows = iter(ws.iter_rows(values_only=True))
    for row in rows:
        if row[0] == title:
            break
    found: dict[str, Any] = {}
    for row in rows:
        if row[0] is None and row[1] is None:
            break
        found[row[0]] = row[1]
    return found


def checklist(ws: Any) -> dict[str, Any]:
    """The Cover's checklist and sheet statuses: label -> what column B computed to."""
    return {row[0]: row[1] for row in ws.iter_rows(min_row=11, max_row=29, values_only=True)}


def errors_of(findings: list[Finding], rule_ids: tuple[str, ...]) -> bool:
    return any(f.severity == "error" and f.rule in rule_ids for f in findings)


def expected_checklist(findings: list[Finding]) -> dict[str, str]:
    """What placeplan's rules say each rule's checklist item should read."""
    return {
        label: L.NO if errors_of(findings, ids) else L.YES for label, _, ids in L.CHECKLIST_RULES
    }


def sums(pairs: Any) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for key, pence in pairs:
        totals[key] += pence
    return dict(totals)


# ---- the demo Leicestershire plan, exported as people export it --------------------------------


@dataclass(frozen=True)
class Demo:
    folder: Path
    first: bytes
    second: bytes
    document: BudgetDocument
    findings: list[Finding]
    budget: Budget

    def file(self, name: str, content: bytes | None = None) -> Path:
        path = self.folder / name
        path.write_bytes(self.first if content is None else content)
        return path


@pytest.fixture(scope="module")
def demo(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The LLR demo in its own SQLite database (a copy of the run's loaded demo); Leicestershire's
    2025-26 plan exported twice through the budget service (the download's path)."""
    folder = tmp_path_factory.mktemp("demo-workbook")
    shutil.copy(demo_sqlite, folder / "demo.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    sessions = session_factory(engine)
    with sessions() as s:
        plan = s.scalars(select(Plan).where(Plan.key == "leics-bcf-2025-26")).one()
        first = budget.export_workbook(s, operator(), plan.id).content
        second = budget.export_workbook(s, operator(), plan.id).content
        view = budget.view(s, operator(), plan.id)
        checked = budget.budget_from(s, plan, view.document)
        findings = list(view.findings)
    engine.dispose()
    return Demo(folder, first, second, view.document, findings, checked)


def test_summary_and_checklist_are_formulas_over_income_and_expenditure(demo):
    wb = load_workbook(demo.file("formulas.xlsx"))  # data_only=False: the formulas themselves
    summary, cover = wb["Summary"], wb["Cover"]
    categories = {r[0].value: r for r in summary.iter_rows(min_row=6, max_row=10)}
    for label in [*cat.CATEGORIES.values(), "Total"]:
        cell = categories[label][1]
        assert cell.data_type == "f" and "Expenditure!$I:$I" in cell.value, (label, cell.value)
    sources = {r[0].value: r for r in summary.iter_rows(min_row=14, max_row=20)}
    nhs = sources["NHS minimum contribution"]
    assert nhs[1].value == "=SUMIFS(Income!$C$5:$C$17,Income!$A$5:$A$17,$A14)"
    assert nhs[2].value == "=SUMIFS(Expenditure!$I:$I,Expenditure!$H:$H,$A14)"
    assert nhs[3].value == "=ROUND($B$14-$C$14,2)"
    # Every check the Cover's checklist rests on is a formula reading the Expenditure sheet.
    checks = {r[0].value: r[1].value for r in summary.iter_rows(min_row=70) if r[0].value}
    assert "Expenditure!" in checks["Lines whose line id another line also has"]
    assert "Lists!" in checks["Lines whose provider is not one from the list"]
    rows = {r[0].value: r[1] for r in cover.iter_rows(min_row=11, max_row=29)}
    item = rows["Income equals expenditure for each funding source"]
    assert item.data_type == "f" and item.value.startswith("=IF(SUM(Summary!$B$")
    for label, _, _ in L.CHECKLIST_RULES:
        assert rows[label].value.startswith("=IF("), label
    assert rows["Income: at least one contribution entered"].value.startswith("=IF(COUNT(Income!")
    assert rows["Template"].value.startswith("=IF(COUNTIF(")
    assert cover["A1"].data_type == "f"
    assert wb["Income"]["B2"].value == "=Cover!$B$27"
    assert wb["Expenditure"]["B2"].value == "=Cover!$B$28"
    # No cached results: the workbook asks to be calculated in full when opened.
    with zipfile.ZipFile(demo.file("calc.xlsx")) as package:
        assert b'fullCalcOnLoad="1"' in package.read("xl/workbook.xml")


def test_the_input_sheets_hold_no_formula_but_their_status(demo):
    wb = load_workbook(demo.file("inputs.xlsx"))
    for name in ("Income", "Expenditure", "Metrics", "Lists"):
        formulas = [c.coordinate for row in wb[name].iter_rows() for c in row if c.data_type == "f"]
        assert formulas == ([] if name in ("Metrics", "Lists") else ["B2"]), name


@needs_calc
def test_libreoffice_computes_the_plans_figures_to_the_penny(demo):
    original = demo.file("demo.xlsx")
    (copy,) = recompute(demo.folder, original)
    assert read_workbook(copy) == read_workbook(original)  # saved by Calc, it reads the same
    wb = values(copy)
    summary = wb["Summary"]
    lines, income = demo.document.lines, demo.document.income
    # Seed 000's spend table: £78,073,138 in all; here summed from the plan's own lines.
    total = sum(line.amount_pence for line in lines)
    assert total == 78_073_138_00
    categories = table(summary, "Expenditure by category")
    by_category = sums((line.category, line.amount_pence) for line in lines)
    new_by_category = sums((line.category, line.new_pence) for line in lines)
    for key, label in cat.CATEGORIES.items():
        assert to_pence(categories[label][0]) == by_category[key], label
        assert to_pence(categories[label][2]) == new_by_category[key], label
        assert categories[label][1] == pytest.approx(by_category[key] / total, abs=1e-12)
    assert to_pence(categories["Total"][0]) == total
    assert to_pence(categories["Total"][2]) == sum(line.new_pence for line in lines)
    assert to_pence(categories[L.NOT_LISTED][0]) == 0
    sources = table(summary, "By funding source")
    spent = sums((line.funding_source, line.amount_pence) for line in lines)
    received = sums((i.source, i.amount_pence) for i in income)
    for key in set(spent) | set(received):
        row = sources[cat.FUNDING_SOURCES[key]]
        assert to_pence(row[0]) == received.get(key, 0), key
        assert to_pence(row[1]) == spent.get(key, 0), key
        assert to_pence(row[2]) == received.get(key, 0) - spent.get(key, 0), key
    assert to_pence(sources["Total"][0]) == sum(i.amount_pence for i in income)
    assert to_pence(sources["Total"][1]) == total
    # The checklist says what placeplan's rules say, item by item; the plan passes every rule.
    done = checklist(wb["Cover"])
    assert {k: done[k] for k in expected_checklist(demo.findings)} == expected_checklist(
        demo.findings
    )
    assert not rules.blocking(demo.findings)
    assert done["Template"] == L.COMPLETE
    assert wb["Cover"]["A1"].value == "Better Care Fund Planning Template 2025-26"
    assert (wb["Income"]["B2"].value, wb["Expenditure"]["B2"].value) == (L.COMPLETE,) * 2
    # Leicestershire is two-tier: its DFG passes to its seven district councils in full.
    dfg = section(summary, "Disabled Facilities Grant passed to the district councils")
    assert dfg["Two-tier area"] == L.YES and len(demo.budget.districts) == 7
    assert to_pence(dfg["DFG passed to the district councils (£)"]) == received["dfg"]
    assert dfg["The DFG passes to the district councils in full, less agreed top-slices"] == L.YES


@needs_calc
def test_an_amount_changed_in_the_sheet_moves_the_total_and_the_checklist_says_no(demo):
    edited = demo.file("edited.xlsx")
    wb = load_workbook(edited)
    cell = wb["Expenditure"]["I5"]  # the first line's amount, as a lead would retype it
    first = demo.document.lines[0]
    assert to_pence(cell.value) == first.amount_pence and wb["Expenditure"]["G5"].value == (
        first.line_id
    )
    change = 1_234_56  # £1,234.56 more
    cell.value = (Decimal(first.amount_pence + change) / 100).quantize(Decimal("0.01"))
    wb.save(edited)
    before, after = (values(p) for p in recompute(demo.folder, demo.file("before.xlsx"), edited))
    total = {
        name: to_pence(table(wb["Summary"], "Expenditure by category")["Total"][0])
        for name, wb in (("before", before), ("after", after))
    }
    assert total["after"] - total["before"] == change
    source = cat.FUNDING_SOURCES[first.funding_source]
    gap = table(after["Summary"], "By funding source")[source][2]
    assert to_pence(gap) == -change
    done = checklist(after["Cover"])
    assert done["Income equals expenditure for each funding source"] == L.NO
    assert checklist(before["Cover"])["Income equals expenditure for each funding source"] == L.YES
    assert (done["Income"], done["Template"]) == (L.INCOMPLETE, L.INCOMPLETE)
    assert after["Income"]["B2"].value == L.INCOMPLETE
    assert after["Cover"]["A1"].value == L.INCOMPLETE_TITLE
    # placeplan, reading the same edited workbook, finds the same rule broken.
    report = validate_workbook(edited)
    assert {f["rule"] for f in report["findings"] if f["severity"] == "error"} == {
        "income-equals-expenditure"
    }


def _broken(document: BudgetDocument, line: int, **changes: Any) -> BudgetDocument:
    lines = list(document.lines)
    lines[line] = replace(lines[line], **changes)
    return replace(document, lines=tuple(lines))


def _cases() -> dict[str, tuple[BudgetDocument, Budget]]:
    """Budgets that each break a rule (tests/io's sample budget, lines as it numbers them)."""
    good = sample_document()

    def one_tier(document: BudgetDocument, **kw: Any) -> Budget:
        return Budget(2025, False, document.income, document.lines, document.top_slices, **kw)

    dfg_line = good.lines[3]  # S3-1: £450,000 of DFG, all the DFG income
    cases = {
        "passes": good,
        "unbalanced": sample_document(extra_nhs_income=1),
        "no provider": _broken(good, 1, provider=None),
        "joint, no share": _broken(good, 0, nhs_share=None),
        "other, no note": _broken(good, 4, description="  "),
        "no sub-type": _broken(good, 2, sub_type=None),
        "no output unit": _broken(good, 3, output_unit=None),
        "line id twice": _broken(good, 1, line_id="S1-1"),
        "new over amount": _broken(good, 2, new_pence=321_000_01),
        "DFG on home care": _broken(
            good, 3, scheme_id="S1", scheme_name="Home care", scheme_type=good.lines[0].scheme_type
        ),
    }
    budgets = {name: (doc, one_tier(doc)) for name, doc in cases.items()}
    # Two-tier: the line naming the district takes £440,000 of the £450,000 DFG, a line naming
    # none the £10,000 the partners agreed to keep back (the sample's top-slice).
    two_tier = _broken(good, 3, district="county", amount_pence=440_000_00)
    kept = replace(dfg_line, line_id="S3-2", amount_pence=10_000_00)
    two_tier = replace(two_tier, lines=(*two_tier.lines, kept))
    districts: dict[str, Any] = {"two_tier": True, "districts": ("county",)}
    budgets["two-tier, passed in full"] = (two_tier, replace(one_tier(two_tier), **districts))
    held = _broken(two_tier, 3, amount_pence=430_000_00)
    held = _broken(held, 5, amount_pence=20_000_00)  # £20,000 held back, only £10,000 agreed
    budgets["two-tier, held back"] = (held, replace(one_tier(held), **districts))
    # NHS minimum to social care: £1,234,567.89 planned (line S1-1); uplift 3.9% for 2025-26.
    # £1,188,227.03 * 1.039 = £1,234,567.884..., rounded up £1,234,567.89: just met;
    # £1,188,227.04 * 1.039 = £1,234,567.894..., rounded up £1,234,567.90: missed by a penny.
    uplift = Decimal(cat.NHS_ASC_UPLIFT[2025])
    for name, baseline in (("baseline met", 1_188_227_03), ("baseline missed", 1_188_227_04)):
        checked = one_tier(good, nhs_asc_baseline_pence=baseline, nhs_asc_uplift_percent=uplift)
        budgets[name] = (good, checked)
    return budgets


@needs_calc
def test_the_recomputed_checklist_agrees_with_placeplans_rules(tmp_path):
    cases = _cases()
    paths = []
    for n, (document, checked) in enumerate(cases.values()):
        path = tmp_path / f"case-{n}.xlsx"
        write_workbook(path, META, document, rules.check(checked), checked)
        paths.append(path)
    recomputed = recompute(tmp_path, *paths)
    broken: dict[str, set[str]] = {}
    for (name, (_, checked)), path in zip(cases.items(), recomputed, strict=True):
        findings = rules.check(checked)
        done = checklist(values(path)["Cover"])
        assert {k: done[k] for k in expected_checklist(findings)} == expected_checklist(findings), (
            name
        )
        broken[name] = {f.rule for f in findings if f.severity == "error"}
    # Pence survive the sums: the sample's lines add up to £2,505,568.89 (its stated total).
    summary = values(recomputed[0])["Summary"]
    total = to_pence(table(summary, "Expenditure by category")["Total"][0])
    assert total == sum(x.amount_pence for x in cases["passes"][0].lines) == 2_505_568_89
    # Each case breaks the rule it is named for (so every formula was seen to say No).
    assert broken == {
        "passes": set(),
        "unbalanced": {"income-equals-expenditure"},
        "no provider": {"line-fields"},
        "joint, no share": {"line-fields"},
        "other, no note": {"line-fields"},
        "no sub-type": {"line-fields"},
        "no output unit": {"line-fields"},
        "line id twice": {"unique-line-ids"},
        "new over amount": {"amount-bounds"},
        "DFG on home care": {"dfg-on-dfg-lines"},
        "two-tier, passed in full": set(),
        "two-tier, held back": {"dfg-passed-to-districts"},
        "baseline met": set(),
        "baseline missed": {"nhs-asc-minimum"},
    }


@needs_calc
def test_the_nhs_minimum_is_the_baseline_plus_the_uplift_rounded_up_to_the_penny(tmp_path):
    document = sample_document()
    uplift = Decimal(cat.NHS_ASC_UPLIFT[2025])
    # £1,188,227.03 * 1.039 = £1,234,567.88417, rounded up £1,234,567.89: just what is planned.
    baseline = 1_188_227_03
    required = rules.nhs_minimum_required_pence(baseline, uplift)
    assert required == 1_234_567_89
    checked = Budget(
        2025,
        False,
        document.income,
        document.lines,
        nhs_asc_baseline_pence=baseline,
        nhs_asc_uplift_percent=uplift,
    )
    path = tmp_path / "nhs.xlsx"
    write_workbook(path, META, document, rules.check(checked), checked)
    (copy,) = recompute(tmp_path, path)
    nhs = list(
        section(values(copy)["Summary"], "NHS minimum contribution to adult social care").values()
    )
    planned = sum(
        x.amount_pence
        for x in document.lines
        if x.funding_source == "nhs_minimum" and x.area_of_spend == "social_care"
    )
    # baseline, uplift, minimum required, planned, and whether it is met
    assert [to_pence(v) for v in (nhs[0], nhs[2], nhs[3])] == [baseline, required, planned]
    assert nhs[1] == 3.9 and nhs[4] == L.YES


# ---- byte-stable ---------------------------------------------------------------------------------


def test_exporting_twice_gives_identical_bytes_that_do_not_depend_on_the_clock(demo):
    assert demo.first == demo.second
    demo.file("times.xlsx")
    with zipfile.ZipFile(demo.folder / "times.xlsx") as package:
        assert {info.date_time for info in package.infolist()} == {FIXED_ZIP_TIME}
        core = package.read("docProps/core.xml")
    assert b"2020-01-01T00:00:00Z" in core


def test_export_import_export_gives_identical_bytes(sessions):
    world = build_world(sessions)
    with unit_of_work(sessions) as s:
        budget.load_document(s, operator(), world.plan_id, sample_document())
    with sessions() as s:
        first = budget.export_workbook(s, operator(), world.plan_id).content
    with unit_of_work(sessions) as s:
        budget.import_workbook(s, operator(), io.BytesIO(first), world.plan_id)
    with sessions() as s:
        second = budget.export_workbook(s, operator(), world.plan_id).content
    assert second == first


# ---- the import never trusts the Summary or the checklist --------------------------------------


def tamper(path: Path) -> Path:
    """Every formula overwritten with a value that lies: the Cover's checklist and statuses all
    "Yes", the Summary's figures all 0."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    summed = ws.title == L.SUMMARY and (
                        "SUM" in cell.value or "ROUND" in cell.value
                    )
                    cell.value = 0 if summed else L.YES
    wb["Cover"]["A1"] = "Better Care Fund Planning Template 2025-26"
    wb.save(path)
    return path


def test_a_tampered_summary_reads_and_validates_as_the_untampered_one(demo):
    honest = demo.file("honest.xlsx")
    lying = tamper(demo.file("lying.xlsx"))
    assert load_workbook(lying)["Summary"]["B10"].value == 0  # the total, overwritten
    assert read_workbook(lying) == read_workbook(honest)
    assert validate_workbook(lying) == validate_workbook(honest)


def test_a_summary_that_says_balanced_does_not_let_an_unbalanced_budget_in(sessions, tmp_path):
    world = build_world(sessions)
    document = sample_document(extra_nhs_income=5_00)  # £5.00 of NHS income unspent
    honest, lying = tmp_path / "honest.xlsx", tmp_path / "lying.xlsx"
    for path in (honest, lying):
        write_workbook(path, META, document, rules.check(default_budget(document)))
    tamper(lying)
    cover = load_workbook(lying)["Cover"]
    assert cover["A19"].value == "Income equals expenditure for each funding source"
    assert cover["B19"].value == L.YES  # so the tampered checklist says
    refusals = []
    for path in (honest, lying):
        with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
            budget.import_workbook(s, operator(), path, world.plan_id)
        refusals.append((caught.value.message, caught.value.sheet, caught.value.row))
    assert refusals[0] == refusals[1]
    assert refusals[0][0].startswith("[income-equals-expenditure]")


def test_a_tampered_workbook_imports_as_the_untampered_one(sessions, tmp_path):
    build_world(sessions)
    honest, lying = tmp_path / "honest.xlsx", tmp_path / "lying.xlsx"
    write_workbook(honest, META, sample_document(), [])
    shutil.copy(honest, lying)
    tamper(lying)
    imported = []
    for path in (honest, lying):
        with unit_of_work(sessions) as s:
            plan, warnings = budget.import_workbook(s, operator(), path)  # a new plan each
            plan_id = plan.id
        with sessions() as s:
            document = budget.view(s, operator(), plan_id).document
        imported.append((document, [w.rule for w in warnings]))
    assert imported[0] == imported[1]
    kept = imported[0][0]
    assert (kept.schemes, kept.lines) == (sample_document().schemes, sample_document().lines)
