"""Money is integer pence; this is where it becomes text for people."""

from __future__ import annotations

from decimal import Decimal


def format_pence(pence: int, *, whole_pounds: bool = False) -> str:
    """`£5,600,000.00` for 560,000,000 pence; negative amounts lead with a minus sign."""
    sign = "-" if pence < 0 else ""
    pounds = Decimal(abs(pence)) / 100
    if whole_pounds:
        return f"{sign}£{pounds.quantize(Decimal(1)):,}"
    return f"{sign}£{pounds:,.2f}"
