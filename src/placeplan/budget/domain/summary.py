"""Budget summaries: by category (the 2025-26 plan's table), type, source and provider; changes
from the previous plan. Pure: expenditure lines in, totals in pence and exact shares out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import ExpenditureLine


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    total_pence: int
    new_pence: int
    share: Decimal  # fraction of the whole budget, exact


@dataclass(frozen=True)
class Summary:
    total_pence: int
    new_pence: int
    categories: list[Share]
    by_type: list[Share]
    by_source: list[Share]
    by_provider: list[Share]

    def as_json(self) -> dict[str, Any]:
        def rows(shares: list[Share], key_name: str) -> list[dict[str, Any]]:
            return [
                {
                    key_name: s.key,
                    "label": s.label,
                    "total_pence": s.total_pence,
                    "new_pence": s.new_pence,
                    "share": float(round(s.share, 6)),
                }
                for s in shares
            ]

        return {
            "total_pence": self.total_pence,
            "new_pence": self.new_pence,
            "categories": rows(self.categories, "category"),
            "by_type": rows(self.by_type, "key"),
            "by_source": rows(self.by_source, "key"),
            "by_provider": rows(self.by_provider, "key"),
        }


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) if whole else Decimal(0)


def _group(
    lines: Sequence[ExpenditureLine],
    key: Callable[[ExpenditureLine], str | None],
    labels: dict[str, str],
    total: int,
    keep_order: bool = False,
) -> list[Share]:
    totals: dict[str, int] = defaultdict(int)
    new: dict[str, int] = defaultdict(int)
    for line in lines:
        k = key(line) or "unknown"
        totals[k] += line.amount_pence
        new[k] += line.new_pence
    keys = [k for k in labels if k in totals] + [k for k in totals if k not in labels]
    if not keep_order:
        keys.sort(key=lambda k: -totals[k])
    return [Share(k, labels.get(k, k), totals[k], new[k], _share(totals[k], total)) for k in keys]


def summarise(lines: Sequence[ExpenditureLine]) -> Summary:
    total = sum(line.amount_pence for line in lines)
    categories = _group(lines, lambda x: x.category, cat.CATEGORIES, total, keep_order=True)
    present = {s.key for s in categories}
    categories += [
        Share(k, v, 0, 0, Decimal(0)) for k, v in cat.CATEGORIES.items() if k not in present
    ]
    order = list(cat.CATEGORIES)
    categories.sort(key=lambda s: order.index(s.key) if s.key in order else len(order))
    return Summary(
        total_pence=total,
        new_pence=sum(line.new_pence for line in lines),
        categories=categories,
        by_type=_group(lines, lambda x: x.scheme_type, cat.SCHEME_TYPES, total),
        by_source=_group(lines, lambda x: x.funding_source, cat.FUNDING_SOURCES, total),
        by_provider=_group(lines, lambda x: x.provider, cat.PROVIDERS, total),
    )


@dataclass(frozen=True)
class SchemeChange:
    scheme: str
    change: str  # new | stopped | grown | shrunk | unchanged
    before_pence: int
    after_pence: int


def _scheme_totals(lines: Iterable[ExpenditureLine]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        totals[" ".join(line.scheme_name.lower().split())] += line.amount_pence
    return totals


def compare(
    previous: Iterable[ExpenditureLine], current: Iterable[ExpenditureLine]
) -> list[SchemeChange]:
    """Schemes matched by name (ids are local to each year's plan)."""
    before, after = _scheme_totals(previous), _scheme_totals(current)
    names = {" ".join(line.scheme_name.lower().split()): line.scheme_name for line in current}
    names |= {" ".join(line.scheme_name.lower().split()): line.scheme_name for line in previous}
    changes = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if b is None:
            kind = "new"
        elif a is None:
            kind = "stopped"
        elif a > b:
            kind = "grown"
        elif a < b:
            kind = "shrunk"
        else:
            kind = "unchanged"
        changes.append(SchemeChange(names.get(key, key), kind, b or 0, a or 0))
    return changes
