"""Key lines of enquiry: the parts a scheme's review rates, the ratings and recommendations, and
the check a review passes before it is recorded. Pure."""

from __future__ import annotations

from datetime import date

from placeplan.core.errors import InputError

KLOE_PARTS: dict[str, str] = {
    "value_for_money": "Value for money",
    "return_on_investment": "Return on investment",
    "outcomes": "Outcomes for people",
    "staffing": "Staffing",
    "contracting": "Contracting",
    "business_case": "Business case",
    "performance": "Performance",
    "demand_and_capacity": "Demand and capacity",
}
KLOE_RATINGS = ("good", "adequate", "requires improvement", "inadequate")
RECOMMENDATIONS = ("continue", "redesign", "recommission", "decommission")


def check_review(
    parts: dict[str, dict[str, str]], recommendation: str, reviewed_on: date, today: date
) -> None:
    """Raise InputError naming the field unless the review rates every part and recommends one
    of RECOMMENDATIONS, on a day not after `today`."""
    if recommendation not in RECOMMENDATIONS:
        raise InputError(
            f"'{recommendation}' is not a recommendation: expected one of "
            f"{', '.join(RECOMMENDATIONS)}",
            field="recommendation",
        )
    for part, answer in parts.items():
        if part not in KLOE_PARTS:
            raise InputError(f"'{part}' is not a line of enquiry", field="parts")
        if answer.get("rating") not in KLOE_RATINGS:
            raise InputError(
                f"{KLOE_PARTS[part]}: rate it one of {', '.join(KLOE_RATINGS)}",
                field=f"parts.{part}.rating",
            )
    missing = [KLOE_PARTS[p] for p in KLOE_PARTS if p not in parts]
    if missing:
        raise InputError(
            f"a review rates every line of enquiry; missing {', '.join(missing)}", field="parts"
        )
    if reviewed_on > today:
        raise InputError("a review date cannot be in the future", field="reviewed_on")
