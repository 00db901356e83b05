"""The BCF funding rules, checked as a plan is edited and on demand. Pure: Budget in, Findings out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_CEILING, Decimal

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain import fields
from placeplan.budget.domain.core import Budget, Finding
from placeplan.core.money import format_pence

Rule = Callable[[Budget], Iterable[Finding]]


def income_equals_expenditure(budget: Budget) -> Iterable[Finding]:
    income: dict[str, int] = defaultdict(int)
    spend: dict[str, int] = defaultdict(int)
    for i in budget.income:
        income[i.source] += i.amount_pence
    for line in budget.lines:
        spend[line.funding_source] += line.amount_pence
    for source in sorted(set(income) | set(spend)):
        if income[source] != spend[source]:
            gap = income[source] - spend[source]
            label = cat.FUNDING_SOURCES.get(source, source)
            yield Finding(
                "income-equals-expenditure",
                "error",
                f"{label}: income {format_pence(income[source])} but expenditure "
                f"{format_pence(spend[source])} ({'unallocated' if gap > 0 else 'overspent'} "
                f"{format_pence(abs(gap))})",
                field=source,
            )


def nhs_minimum_required_pence(baseline_pence: int, uplift_percent: Decimal) -> int:
    """The year's minimum NHS contribution to adult social care, rounded up to the penny."""
    exact = Decimal(baseline_pence) * (1 + uplift_percent / 100)
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def nhs_contribution_to_social_care(budget: Budget) -> Iterable[Finding]:
    if budget.nhs_asc_baseline_pence is None or budget.nhs_asc_uplift_percent is None:
        yield Finding(
            "nhs-asc-minimum",
            "warning",
            "No baseline for the NHS contribution to adult social care is configured for this area "
            "and year, so the minimum cannot be checked",
        )
        return
    required = nhs_minimum_required_pence(
        budget.nhs_asc_baseline_pence, budget.nhs_asc_uplift_percent
    )
    planned = sum(
        line.amount_pence
        for line in budget.lines
        if line.funding_source == "nhs_minimum" and line.area_of_spend == "social_care"
    )
    if planned < required:
        yield Finding(
            "nhs-asc-minimum",
            "error",
            f"NHS minimum contribution to adult social care is {format_pence(planned)}; at least "
            f"{format_pence(required)} is required ({format_pence(budget.nhs_asc_baseline_pence)} "
            f"+ {budget.nhs_asc_uplift_percent}%)",
            field="area_of_spend",
        )


def dfg_on_dfg_lines(budget: Budget) -> Iterable[Finding]:
    for line in budget.lines:
        if line.funding_source == "dfg" and line.scheme_type not in cat.DFG_TYPES:
            yield Finding(
                "dfg-on-dfg-lines",
                "error",
                f"line {line.line_id} spends DFG on "
                f"'{cat.SCHEME_TYPES.get(line.scheme_type, line.scheme_type)}': DFG may fund only "
                "DFG related or housing related schemes",
                line_id=line.line_id,
                field="funding_source",
            )


def dfg_passed_to_districts(budget: Budget) -> Iterable[Finding]:
    if not budget.two_tier:
        return
    dfg_in = sum(i.amount_pence for i in budget.income if i.source == "dfg")
    kept = sum(t.amount_pence for t in budget.top_slices)
    dfg_lines = [line for line in budget.lines if line.funding_source == "dfg"]
    passed = sum(line.amount_pence for line in dfg_lines if line.district in budget.districts)
    held = [line for line in dfg_lines if line.district not in budget.districts]
    if passed != dfg_in - kept:
        detail = f" less agreed top-slices of {format_pence(kept)}" if kept else ""
        yield Finding(
            "dfg-passed-to-districts",
            "error",
            f"in a two-tier area the DFG ({format_pence(dfg_in)}{detail}) passes to the district "
            f"councils in full, but lines naming a district carry {format_pence(passed)}; record "
            "a top-slice agreed by the partners for any part kept back",
            field="district",
        )
    if sum(line.amount_pence for line in held) > kept:
        for line in held:
            yield Finding(
                "dfg-passed-to-districts",
                "error",
                f"line {line.line_id} spends DFG without passing it to a district council, beyond "
                f"the {format_pence(kept)} of top-slices the partners agreed",
                line_id=line.line_id,
                field="district",
            )


def fields_each_type_needs(budget: Budget) -> Iterable[Finding]:
    for line in budget.lines:

        def missing(field: str, why: str, line_id: str = line.line_id) -> Finding:
            return Finding(
                "line-fields", "error", f"line {line_id}: {why}", line_id=line_id, field=field
            )

        checks = (
            ("scheme_type", cat.SCHEME_TYPES, line.scheme_type),
            ("category", cat.CATEGORIES, line.category),
            ("funding_source", cat.FUNDING_SOURCES, line.funding_source),
            ("area_of_spend", cat.AREAS_OF_SPEND, line.area_of_spend),
            ("commissioner", cat.COMMISSIONERS, line.commissioner),
            ("provider", cat.PROVIDERS, line.provider),
        )
        for name, allowed, value in checks:
            if value is None or value not in allowed:
                shown = "nothing" if value is None else f"'{value}'"
                yield missing(
                    name,
                    f"{name.replace('_', ' ')} is {shown}; expected one of {', '.join(allowed)}",
                )
        subtypes = cat.SUB_TYPES.get(line.scheme_type)
        if subtypes and line.sub_type not in subtypes:
            yield missing(
                "sub_type",
                f"a {cat.SCHEME_TYPES[line.scheme_type]} line needs a sub-type:"
                f" one of {', '.join(subtypes)}",
            )
        if line.scheme_type in cat.OUTPUT_UNITS and (
            line.planned_outputs is None or not line.output_unit
        ):
            yield missing(
                "planned_outputs",
                "planned outputs and their unit are needed for this type"
                f" (e.g. {cat.OUTPUT_UNITS[line.scheme_type]})",
            )
        if line.commissioner == "joint" and (
            line.nhs_share is None or not Decimal(0) <= line.nhs_share <= Decimal(100)
        ):
            yield missing("nhs_share", "joint commissioning needs the NHS share, 0 to 100 per cent")
        if line.scheme_type == "other" and not (line.description or "").strip():
            yield missing("description", "a scheme of type Other must say what it is")


def unique_line_ids(budget: Budget) -> Iterable[Finding]:
    seen: set[str] = set()
    for line in budget.lines:
        if line.line_id in seen:
            yield Finding(
                "unique-line-ids",
                "error",
                f"line id {line.line_id} is used more than once",
                line_id=line.line_id,
                field="line_id",
            )
        seen.add(line.line_id)


def amounts_in_bounds(budget: Budget) -> Iterable[Finding]:
    """Each line's amount and new investment, and each income's amount, as the line editor and
    the workbook's reader check them (budget.domain.fields)."""
    for line in budget.lines:
        values = {"amount_pence": line.amount_pence, "new_pence": line.new_pence}
        for name, message in fields.LINE.problems(values):
            yield Finding(
                "amount-bounds",
                "error",
                f"line {line.line_id}: {message}",
                line_id=line.line_id,
                field={"amount_pence": "amount", "new_pence": "new"}[name],
            )
    for income in budget.income:
        if (refused := fields.INCOME.problem(income.amount_pence)) is not None:
            yield Finding(
                "amount-bounds", "error", f"income from {income.source}: {refused}", field="income"
            )


RULES: dict[str, Rule] = {
    "income-equals-expenditure": income_equals_expenditure,
    "nhs-asc-minimum": nhs_contribution_to_social_care,
    "dfg-on-dfg-lines": dfg_on_dfg_lines,
    "dfg-passed-to-districts": dfg_passed_to_districts,
    "line-fields": fields_each_type_needs,
    "unique-line-ids": unique_line_ids,
    "amount-bounds": amounts_in_bounds,
}


def check(budget: Budget) -> list[Finding]:
    return [finding for rule in RULES.values() for finding in rule(budget)]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
