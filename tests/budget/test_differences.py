"""A budget's differences in names and pounds. Every figure below is read by hand from the demo's
Leicestershire 2025-26 budget (src/placeplan/demo/data/budget_leics_2025_26.yaml, the budget the
planning workbook of that plan carries): STROKE-1 is £600,000 and TA-CH-1 £240,000, both acute and
from the NHS minimum contribution; PCC-ED-1 is £60,000; the NHS minimum income is £53,183,342 and
the acute total £2,045,173 (seed 000's spend table)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from placeplan.budget.domain.core import BudgetDocument, StatedFigure, TopSlice
from placeplan.budget.domain.differences import Names, budget_sections
from placeplan.budget.domain.document import document_from_mapping
from placeplan.core.differences import differences
from placeplan.demo.loader import DATA, read_yaml

NAMES = Names(
    organisations={"llr-icb": "NHS Leicester, Leicestershire and Rutland Integrated Care Board"},
    bodies={"leics-hwb": "Leicestershire Health and Wellbeing Board"},
)


def demo() -> BudgetDocument:
    return document_from_mapping(read_yaml(DATA / "budget_leics_2025_26.yaml"))


def with_amounts(document: BudgetDocument, **pence: int) -> BudgetDocument:
    lines = tuple(
        replace(line, amount_pence=pence[line.line_id.replace("-", "_")])
        if line.line_id.replace("-", "_") in pence
        else line
        for line in document.lines
    )
    return replace(document, lines=lines)


def test_an_unchanged_budget_has_no_differences():
    assert differences(budget_sections(demo(), demo(), NAMES)).summary() == "No changes"


def test_two_amounts_moved_within_a_category_are_two_line_changes_and_nothing_else():
    before = demo()
    # £1,000 moved from TA-CH-1 (£240,000 -> £239,000) to STROKE-1 (£600,000 -> £601,000): both
    # acute and NHS minimum, so no total moves.
    after = with_amounts(before, STROKE_1=601_000_00, TA_CH_1=239_000_00)
    sections = budget_sections(before, after, NAMES)
    assert [s.title for s in sections] == [
        "Schemes",
        "Expenditure lines",
        "Income by source",
        "Category totals",
    ]
    result = differences(sections)
    assert result.summary() == "2 lines changed"
    lines = sections[1].changes
    assert [
        (c.name, [(f.label, f.before.text, f.after.text) for f in c.fields]) for c in lines
    ] == [
        ("Line STROKE-1 of Integrated stroke services", [("Amount", "£600,000.00", "£601,000.00")]),
        (
            "Line TA-CH-1 of Trusted assessors for care homes",
            [("Amount", "£240,000.00", "£239,000.00")],
        ),
    ]
    assert result.as_json()["sections"][0]["changes"][0]["fields"][0]["after"] == 601_000_00


def test_a_scheme_dropped_with_its_income_shows_in_names_and_pounds():
    before = demo()
    # Drop PCC-ED (one line, £60,000, acute, NHS minimum) and the same from the NHS income:
    # income £53,183,342 -> £53,123,342; acute £2,045,173 -> £1,985,173.
    income = tuple(
        replace(i, amount_pence=i.amount_pence - 60_000_00) if i.source == "nhs_minimum" else i
        for i in before.income
    )
    after = replace(
        before,
        schemes=tuple(s for s in before.schemes if s.scheme_id != "PCC-ED"),
        lines=tuple(li for li in before.lines if li.scheme_id != "PCC-ED"),
        income=income,
    )
    sections = budget_sections(before, after, NAMES)
    assert differences(sections).summary() == (
        "1 scheme removed, 1 line removed, 1 income figure changed, 1 category total changed"
    )
    schemes, lines, income_section, categories = sections
    assert schemes.changes[0].name == "Primary Care Co-ordinator in the hospitals"
    removed = {f.label: f.before.text for f in lines.changes[0].fields}
    assert removed["Amount"] == "£60,000.00"
    assert removed["Funding source"] == "NHS minimum contribution"
    assert removed["Provider"] == "NHS acute provider"
    [figure] = income_section.changes
    assert figure.name == (
        "NHS minimum contribution from NHS Leicester, Leicestershire and Rutland Integrated Care"
        " Board"
    )
    assert [(f.before.text, f.after.text) for f in figure.fields] == [
        ("£53,183,342.00", "£53,123,342.00")
    ]
    [acute] = categories.changes
    assert acute.name == "Acute"
    assert [(f.label, f.before.text, f.after.text) for f in acute.fields] == [
        ("Total", "£2,045,173.00", "£1,985,173.00")
    ]


def test_no_budget_before_is_everything_added():
    after = demo()
    sections = budget_sections(None, after, NAMES)
    assert sections[0].count("added") == len(after.schemes)
    assert sections[1].count("added") == len(after.lines)
    # Nine income figures: the NHS minimum, the Better Care Grant and seven districts' DFG.
    assert sections[2].count("added") == 9
    assert budget_sections(after, None, NAMES)[1].count("removed") == len(after.lines)


def test_stated_figures_and_top_slices_appear_only_when_they_change():
    before = demo()
    stated = tuple(
        StatedFigure(f.what, "72.3%", f.source) if f.what == "share:community_and_prevention" else f
        for f in before.stated
    )
    top = TopSlice("leics-hwb", date(2025, 3, 27), 140_000_00, "Hoarding support")
    after = replace(before, stated=stated, top_slices=(top,))
    sections = budget_sections(before, after, NAMES)
    assert [s.title for s in sections][-2:] == ["DFG top-slices", "Figures the plan states"]
    [added] = sections[-2].changes
    assert added.name == (
        "DFG top-slice agreed by Leicestershire Health and Wellbeing Board on 27 March 2025"
    )
    assert [(f.label, f.after.text) for f in added.fields] == [
        ("Purpose", "Hoarding support"),
        ("Amount", "£140,000.00"),
    ]
    [figure] = sections[-1].changes
    assert figure.name == "Share of the budget for Community and prevention"
    assert [(f.before.text, f.after.text) for f in figure.fields] == [("72.4%", "72.3%")]
