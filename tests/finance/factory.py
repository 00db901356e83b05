"""A small financial model whose results are worked out by hand in the tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def small_document(**changes: Any) -> dict[str, Any]:
    """Two years, 2024-25 and 2025-26: an opening deficit of £100 (a £40 plan deficit less £60
    of non-recurrent help), inflation of £10 then £20, an allocation increase of £30 each year,
    a one-off £5 repayment in the first year, and a proposal of 10% efficiency on a cost base of
    £200 then £300 with a 5% uplift rate on cost removed in the second year."""
    document: dict[str, Any] = {
        "first_year": "2024-25",
        "last_year": "2025-26",
        "opening": {"plan_position": -40, "non_recurrent": 60, "source": "hand"},
        "cost_base": {
            "source": "hand",
            "entries": [{"year": "2024-25", "amount": 200}, {"year": "2025-26", "amount": 300}],
        },
        "uplift_on_removed": {
            "source": "hand",
            "entries": [{"year": "2025-26", "rate": Decimal(5)}],
        },
        "lines": [
            {
                "key": "inflation",
                "kind": "tariff_inflation",
                "name": "Tariff inflation",
                "stage": "do_nothing",
                "recurrent": True,
                "source": "hand",
                "entries": [{"year": "2024-25", "amount": 10}, {"year": "2025-26", "amount": 20}],
            },
            {
                "key": "allocation",
                "kind": "allocation",
                "name": "Allocation increase",
                "stage": "do_nothing",
                "recurrent": True,
                "source": "hand",
                "entries": [{"year": "2024-25", "amount": 30}, {"year": "2025-26", "amount": 30}],
            },
            {
                "key": "repayment",
                "kind": "deficit_repayment",
                "name": "Deficit repayment",
                "stage": "do_nothing",
                "recurrent": False,
                "source": "hand",
                "entries": [{"year": "2024-25", "amount": 5}],
            },
            {
                "key": "efficiency",
                "kind": "efficiency",
                "name": "10% efficiency",
                "stage": "proposal",
                "recurrent": True,
                "source": "hand",
                "entries": [
                    {"year": "2024-25", "rate": "10", "base": "cost_base"},
                    {"year": "2025-26", "rate": "10", "base": "cost_base"},
                ],
            },
        ],
    }
    document.update(changes)
    return document


def one_year_document(year: str) -> dict[str, Any]:
    """The small model's do-nothing inflation line alone, over one year (`year`, "2025-26")."""
    return {
        "first_year": year,
        "last_year": year,
        "opening": {"plan_position": -40, "non_recurrent": 60, "source": "hand"},
        "lines": [
            {
                "key": "inflation",
                "kind": "tariff_inflation",
                "name": "Tariff inflation",
                "stage": "do_nothing",
                "recurrent": True,
                "source": "hand",
                "entries": [{"year": year, "amount": 10}],
            }
        ],
    }


def two_areas(**changes: Any) -> dict[str, Any]:
    """A and B, 100 people each, deprivation 3 and 1; £100 a year for three years; both spend
    £50 today; no area loses more than 10% a year."""
    document: dict[str, Any] = {
        "first_year": "2024-25",
        "areas": [
            {"name": "A", "population": 100, "current": 50},
            {"name": "B", "population": 100, "current": 50},
        ],
        "components": [
            {"name": "Deprivation", "weight": 1, "values": {"A": 3, "B": 1}, "source": "hand"}
        ],
        "totals": [100, 100, 100],
        "max_loss": 10,
    }
    document.update(changes)
    return document
