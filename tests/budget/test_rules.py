"""Each BCF rule with a budget that passes it and one that fails it; summaries; stated figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from placeplan.budget.domain import rules
from placeplan.budget.domain.core import Budget, ExpenditureLine, IncomeLine, TopSlice
from placeplan.budget.domain.stated import check_money, check_percent
from placeplan.budget.domain.summary import compare, summarise
from placeplan.core.errors import InputError

DISTRICTS = ("blaby-dc", "melton-bc")


def line(
    line_id: str, source: str = "nhs_minimum", amount: int = 100_000_00, **kw
) -> ExpenditureLine:
    base = dict(
        line_id=line_id,
        scheme_id=line_id,
        scheme_name=f"Scheme {line_id}",
        scheme_type="community_based_schemes",
        category="community_and_prevention",
        funding_source=source,
        amount_pence=amount,
        area_of_spend="social_care",
        commissioner="la",
        provider="local_authority",
    )
    base.update(kw)
    return ExpenditureLine(**base)


def dfg_line(line_id: str, district: str | None, amount: int) -> ExpenditureLine:
    return line(
        line_id,
        "dfg",
        amount,
        scheme_type="dfg_related_schemes",
        district=district,
        planned_outputs=Decimal(10),
        output_unit="adaptations",
        area_of_spend="other",
    )


def good_budget() -> Budget:
    return Budget(
        year_start=2025,
        two_tier=True,
        districts=DISTRICTS,
        income=(
            IncomeLine("nhs_minimum", 300_000_00),
            IncomeLine("dfg", 60_000_00, "blaby-dc"),
            IncomeLine("dfg", 40_000_00, "melton-bc"),
        ),
        lines=(
            line("A", amount=200_000_00),
            line("B", amount=100_000_00, area_of_spend="community_health"),
            dfg_line("D1", "blaby-dc", 60_000_00),
            dfg_line("D2", "melton-bc", 40_000_00),
        ),
        nhs_asc_baseline_pence=192_000_00,
        nhs_asc_uplift_percent=Decimal("3.9"),
    )


def ids(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_the_good_budget_passes_every_rule():
    assert rules.check(good_budget()) == []


def test_income_must_equal_expenditure_for_each_source():
    budget = replace(
        good_budget(), income=(IncomeLine("nhs_minimum", 300_000_01),) + good_budget().income[1:]
    )
    found = ids(rules.check(budget), "income-equals-expenditure")
    assert len(found) == 1 and "unallocated £0.01" in found[0].message


def test_nhs_minimum_to_social_care():
    # £192,000 + 3.9% = £199,488.00 exactly by hand; line A gives £200,000 to social care.
    assert rules.nhs_minimum_required_pence(192_000_00, Decimal("3.9")) == 199_488_00
    short = replace(good_budget(), nhs_asc_baseline_pence=193_000_00)  # needs £200,527
    found = ids(rules.check(short), "nhs-asc-minimum")
    assert found and found[0].severity == "error" and "£200,527.00" in found[0].message
    unset = replace(good_budget(), nhs_asc_baseline_pence=None)
    assert ids(rules.check(unset), "nhs-asc-minimum")[0].severity == "warning"


def test_minimum_rounds_up_to_the_penny():
    # 1 penny x 1.039 = 1.039p: the minimum is 2p, never a fraction below the rule.
    assert rules.nhs_minimum_required_pence(1, Decimal("3.9")) == 2


def test_dfg_only_on_dfg_lines():
    budget = good_budget()
    wrong = replace(
        budget,
        lines=budget.lines[:2]
        + (replace(budget.lines[2], scheme_type="carers_services", output_unit="beneficiaries"),)
        + budget.lines[3:],
    )
    assert [f.line_id for f in ids(rules.check(wrong), "dfg-on-dfg-lines")] == ["D1"]


def test_dfg_passes_to_districts_in_full_unless_top_sliced():
    budget = good_budget()
    kept_back = replace(
        budget,
        lines=budget.lines[:3]
        + (
            dfg_line("D2", "melton-bc", 30_000_00),
            line("H", "dfg", 10_000_00, scheme_type="housing_related_schemes"),
        ),
    )
    found = ids(rules.check(kept_back), "dfg-passed-to-districts")
    assert found and any(f.line_id == "H" for f in found)
    agreed = replace(
        kept_back,
        top_slices=(TopSlice("leics-hwb", date(2025, 3, 27), 10_000_00, "wider housing schemes"),),
    )
    # £10,000 kept back by the partners' recorded agreement and spent on line H: every rule holds.
    assert rules.check(agreed) == []
    one_tier = replace(kept_back, two_tier=False)
    assert not ids(rules.check(one_tier), "dfg-passed-to-districts")


def test_each_line_has_the_fields_its_type_needs():
    budget = good_budget()
    bad = replace(
        budget,
        lines=(
            line(
                "A", amount=200_000_00, scheme_type="bed_based_intermediate_care"
            ),  # no sub-type, outputs
            line("B", amount=100_000_00, commissioner="joint"),  # no NHS share
            line("C", amount=0, scheme_type="other"),  # no description
            line("E", amount=0, provider="a friend"),
        )
        + budget.lines[2:],
    )
    found = {(f.line_id, f.field) for f in ids(rules.check(bad), "line-fields")}
    assert {
        ("A", "sub_type"),
        ("A", "planned_outputs"),
        ("B", "nhs_share"),
        ("C", "description"),
        ("E", "provider"),
    } <= found
    fixed = replace(
        bad.lines[0], sub_type="step_down_p2", planned_outputs=Decimal(28), output_unit="placements"
    )
    assert not [f for f in ids(rules.check(replace(bad, lines=(fixed,))), "line-fields")]


def test_line_ids_are_unique():
    budget = good_budget()
    dup = replace(budget, lines=budget.lines + (replace(budget.lines[0], amount_pence=0),))
    assert [f.line_id for f in ids(rules.check(dup), "unique-line-ids")] == ["A"]


def test_amounts_from_zero_to_a_billion():
    budget = good_budget()
    big = replace(
        budget, lines=(replace(budget.lines[0], amount_pence=100_000_000_001),) + budget.lines[1:]
    )
    neg = replace(
        budget, lines=(replace(budget.lines[0], new_pence=budget.lines[0].amount_pence + 1),)
    )
    assert ids(rules.check(big), "amount-bounds")
    assert ids(rules.check(neg), "amount-bounds")
    at_limit = replace(budget, lines=(replace(budget.lines[0], amount_pence=100_000_000_000),))
    assert not ids(rules.check(at_limit), "amount-bounds")


def test_summary_by_category_with_exact_shares():
    lines = [
        line("A", amount=2_045_173_00, category="acute", new_pence=867_192_00),
        line(
            "I",
            amount=19_604_623_00,
            category="intermediate_care_and_discharge",
            new_pence=2_395_100_00,
        ),
        line("C", amount=56_423_342_00, new_pence=675_129_00),
    ]
    s = summarise(lines)
    # Seed 000's table: £78,073,138 in all.
    assert s.total_pence == 78_073_138_00
    assert [c.total_pence for c in s.categories] == [2_045_173_00, 19_604_623_00, 56_423_342_00]
    assert s.new_pence == 867_192_00 + 2_395_100_00 + 675_129_00
    assert s.categories[2].share == Decimal(56_423_342) / Decimal(78_073_138)
    assert check_percent("72.3%", s.categories[2].share).agrees  # 72.2692...% at one place
    assert not check_percent("72.4%", s.categories[2].share).agrees
    assert s.as_json()["categories"][0]["category"] == "acute"


def test_stated_figures_are_checked_at_their_precision():
    assert not check_percent("72.4%", Decimal("0.7227")).agrees
    assert check_percent("25%", Decimal("0.2511")).agrees
    assert check_money("£78,073,138", 78_073_138_00).agrees
    assert not check_money("£78,073,139", 78_073_138_00).agrees
    assert check_money("£78.1m", 78_073_138_00).agrees
    assert check_money("£2m", 2_045_173_00).agrees
    with pytest.raises(InputError):
        check_percent("about a quarter", Decimal("0.25"))


def test_changes_from_the_previous_plan():
    before = [line("A", amount=100), line("B", amount=100), line("C", amount=100)]
    after = [line("A", amount=150), line("B", amount=50), line("D", amount=10)]
    kinds = {c.scheme: c.change for c in compare(before, after)}
    assert kinds == {
        "Scheme A": "grown",
        "Scheme B": "shrunk",
        "Scheme C": "stopped",
        "Scheme D": "new",
    }
