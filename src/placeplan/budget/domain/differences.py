"""What changed between two versions of a budget, in the record's language: schemes, expenditure
lines, income by source, category totals, DFG top-slices and stated figures, each record by its
stable key (a scheme's or line's id; income by source and contributor; a top-slice by who agreed
it, when and for what; a stated figure by what it states), named and valued for people: names not
keys, pounds not pence, labels not codes. Pure: the caller resolves organisation and body keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import (
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.budget.domain.summary import summarise
from placeplan.core.differences import Record, Section, Value, compare
from placeplan.core.money import format_pence

T = TypeVar("T")


@dataclass(frozen=True)
class Names:
    """The names of the organisations and governance bodies a budget names by key."""

    organisations: Mapping[str, str] = field(default_factory=dict)
    bodies: Mapping[str, str] = field(default_factory=dict)

    def organisation(self, key: str | None) -> str:
        return "" if key is None else self.organisations.get(key, key)

    def body(self, key: str | None) -> str:
        return "" if key is None else self.bodies.get(key, key)


def money(pence: int) -> Value:
    return Value(pence, format_pence(pence))


def text(value: str | None) -> Value:
    return Value(value or None, value or "")


def label(key: str | None, labels: Mapping[str, str]) -> Value:
    return Value(key or None, labels.get(key, key) if key else "")


def day(value: date | None) -> Value:
    if value is None:
        return Value(None, "")
    return Value(value.isoformat(), f"{value.day} {value:%B %Y}")


def number(value: Decimal | None, unit: str = "") -> Value:
    if value is None:
        return Value(None, "")
    plain = format(value.normalize(), "f")
    return Value(plain, f"{value.normalize():,f}{unit}")


def yes_no(value: bool) -> Value:
    return Value(bool(value), "Yes" if value else "No")


def listed(keys: Iterable[str], labels: Mapping[str, str] | None = None) -> Value:
    items = list(keys)
    shown = [labels.get(k, k) if labels else k for k in items]
    return Value(items, "; ".join(shown))


def keyed(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
    """Items by their key; a key met again gets " #2", " #3" so nothing is lost."""
    out: dict[str, T] = {}
    for item in items:
        k, n = key(item), 1
        while (k if n == 1 else f"{k} #{n}") in out:
            n += 1
        out[k if n == 1 else f"{k} #{n}"] = item
    return out


def income_key(income: IncomeLine) -> str:
    return f"{income.source}|{income.contributor or ''}"


def top_slice_key(top: TopSlice) -> str:
    return f"{top.body}|{top.decided_on.isoformat()}|{top.purpose}"


def _scheme(scheme: SchemeInfo) -> Record:
    return Record(
        scheme.name,
        {
            "Scheme type": label(scheme.scheme_type, cat.SCHEME_TYPES),
            "Category": label(scheme.category, cat.CATEGORIES),
            "Description": text(scheme.description),
            "Start date": day(scheme.start_date),
            "End date": day(scheme.end_date),
            "Desired outcomes": text(scheme.desired_outcomes),
            "Metrics": listed(scheme.metrics, cat.NATIONAL_METRICS),
            "Priorities": listed(scheme.priorities),
            "Illustrative": yes_no(scheme.illustrative),
        },
    )


def line_name(line: ExpenditureLine) -> str:
    return f"Line {line.line_id} of {line.scheme_name}"


def _line(line: ExpenditureLine, names: Names) -> Record:
    return Record(
        line_name(line),
        {
            "Scheme": Value(line.scheme_id, line.scheme_name),
            "Funding source": label(line.funding_source, cat.FUNDING_SOURCES),
            "Amount": money(line.amount_pence),
            "New investment": money(line.new_pence),
            "Sub-type": label(line.sub_type, cat.SUB_TYPES.get(line.scheme_type, {})),
            "Area of spend": label(line.area_of_spend, cat.AREAS_OF_SPEND),
            "Commissioner": label(line.commissioner, cat.COMMISSIONERS),
            "NHS share": number(line.nhs_share, "%"),
            "Provider": label(line.provider, cat.PROVIDERS),
            "District": Value(line.district, names.organisation(line.district)),
            "Planned outputs": number(line.planned_outputs),
            "Output unit": text(line.output_unit),
            "Note": text(line.description),
            "Illustrative": yes_no(line.illustrative),
        },
    )


def income_name(income: IncomeLine, names: Names) -> str:
    source = cat.FUNDING_SOURCES.get(income.source, income.source)
    if income.contributor is None:
        return source
    return f"{source} from {names.organisation(income.contributor)}"


def _income(income: IncomeLine, names: Names) -> Record:
    return Record(
        income_name(income, names),
        {
            "Amount": money(income.amount_pence),
            "Note": text(income.note),
            "Illustrative": yes_no(income.illustrative),
        },
    )


def _top_slice(top: TopSlice, names: Names) -> Record:
    return Record(
        f"DFG top-slice agreed by {names.body(top.body)} on {day(top.decided_on).text}",
        {"Purpose": text(top.purpose), "Amount": money(top.amount_pence)},
    )


def stated_name(what: str, document: BudgetDocument) -> str:
    """ "Total budget", "New investment in Acute", "Share of Community and prevention", ..."""
    kind, _, key = what.partition(":")
    schemes = {s.scheme_id: s.name for s in document.schemes}
    if kind == "total":
        return "Total budget"
    if kind == "new" and not key:
        return "Total new investment"
    category = cat.CATEGORIES.get(key, key)
    if kind == "category":
        return f"Total for {category}"
    if kind == "new":
        return f"New investment in {category}"
    if kind == "share":
        return f"Share of the budget for {category}"
    if kind in ("scheme", "schemes"):
        return "Total for " + " and ".join(schemes.get(s, s) for s in key.split("+"))
    if kind == "new_in_scheme":
        return f"New investment in {schemes.get(key, key)}"
    if kind == "scheme_source":
        scheme, _, source = key.partition(":")
        funding = cat.FUNDING_SOURCES.get(source, source.replace("_", " "))
        return f"{schemes.get(scheme, scheme)}: {funding}"
    if kind == "llr_wide":
        return f"LLR-wide investment in {schemes.get(key, key)}"
    if kind == "non_bcf":
        return f"Spending outside the BCF: {_NON_BCF.get(key, key.replace('_', ' '))}"
    return what.replace("_", " ")


# What a stated figure outside the fund's lines (what: "non_bcf:<key>") is about.
_NON_BCF = {"bed_based_ic": "bed-based intermediate care"}


def _stated(figure: StatedFigure, document: BudgetDocument) -> Record:
    return Record(
        stated_name(figure.what, document),
        {"As stated": text(figure.text), "Source": text(figure.source)},
    )


def _categories(document: BudgetDocument | None) -> dict[str, Record]:
    if document is None:
        return {}
    return {
        share.key: Record(
            share.label,
            {"Total": money(share.total_pence), "New investment": money(share.new_pence)},
        )
        for share in summarise(document.lines).categories
    }


def budget_sections(
    before: BudgetDocument | None, after: BudgetDocument | None, names: Names
) -> list[Section]:
    """The differences from `before` to `after` (None: no budget), one section per kind of
    record: schemes, expenditure lines, income by source and category totals always (perhaps
    without changes), DFG top-slices and stated figures only where they changed."""

    def both(records: Callable[[BudgetDocument], dict[str, Record]]) -> list[dict[str, Record]]:
        return [records(d) if d is not None else {} for d in (before, after)]

    sections = [
        compare(
            "Schemes",
            "scheme",
            *both(lambda d: {k: _scheme(s) for k, s in keyed(d.schemes, _scheme_id).items()}),
        ),
        compare(
            "Expenditure lines",
            "line",
            *both(lambda d: {k: _line(x, names) for k, x in keyed(d.lines, _line_id).items()}),
        ),
        compare(
            "Income by source",
            "income figure",
            *both(lambda d: {k: _income(i, names) for k, i in keyed(d.income, income_key).items()}),
        ),
        compare("Category totals", "category total", _categories(before), _categories(after)),
    ]
    optional = [
        compare(
            "DFG top-slices",
            "top-slice",
            *both(
                lambda d: {
                    k: _top_slice(t, names) for k, t in keyed(d.top_slices, top_slice_key).items()
                }
            ),
        ),
        compare(
            "Figures the plan states",
            "stated figure",
            *both(lambda d: {k: _stated(f, d) for k, f in keyed(d.stated, _what).items()}),
        ),
    ]
    return sections + [s for s in optional if s.changes]


def _scheme_id(scheme: SchemeInfo) -> str:
    return scheme.scheme_id


def _line_id(line: ExpenditureLine) -> str:
    return line.line_id


def _what(figure: StatedFigure) -> str:
    return figure.what
