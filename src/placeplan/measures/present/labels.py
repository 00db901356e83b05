"""How the measures' codes read on a page: units, SPC readings, standing colours."""

from __future__ import annotations

from placeplan.measures.domain.suppression import SUPPRESSED

__all__ = ["ASSURANCE", "STANDING_COLOUR", "SUPPRESSED", "UNIT_SUFFIX", "VARIATION"]

UNIT_SUFFIX = {
    "rate_per_100k": " per 100,000",
    "rate_per_100k_dsr": " per 100,000 (age-standardised)",
    "percentage": "%",
    "days": " days",
    "minutes": " minutes",
    "years": " years",
    "count": "",
}
VARIATION = {
    "common_cause": "Common cause variation",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
    "none": "Too few points",
}
STANDING_COLOUR = {
    "on_track": "green",
    "off_track": "red",
    "no_target": "grey",
    "not_applicable": "grey",
    "no_figure": "white",
}
ASSURANCE = {
    "pass": "Consistently meets the target",
    "fail": "Consistently misses the target",
    "inconsistent": "Hit and miss against the target",
    "none": "No target",
}
