"""The national BCF lists: scheme types and sub-types, funding sources, categories and the rest.

Labels follow the national planning template's wording (REFERENCE.md: recalled for 2023-25, so
kept here in one place that is easy to change)."""

from __future__ import annotations

from placeplan.core.fields import MAX_MONEY_PENCE

CATEGORIES: dict[str, str] = {
    "acute": "Acute",
    "intermediate_care_and_discharge": "Intermediate care and discharge support",
    "community_and_prevention": "Community and prevention",
}

FUNDING_SOURCES: dict[str, str] = {
    "nhs_minimum": "NHS minimum contribution",
    "better_care_grant": "Local Authority Better Care Grant",
    "ibcf": "Improved Better Care Fund (iBCF)",
    "la_discharge": "Local authority discharge funding",
    "icb_discharge": "ICB discharge funding",
    "dfg": "Disabled Facilities Grant",
    "additional_la": "Additional local authority contribution",
    "additional_nhs": "Additional NHS contribution",
}

# Which sources exist in which years: 2025-26 folded iBCF and both discharge funds away.
SOURCES_FROM_2025 = ("nhs_minimum", "better_care_grant", "dfg", "additional_la", "additional_nhs")
SOURCES_BEFORE_2025 = (
    "nhs_minimum",
    "ibcf",
    "la_discharge",
    "icb_discharge",
    "dfg",
    "additional_la",
    "additional_nhs",
)

SCHEME_TYPES: dict[str, str] = {
    "assistive_technologies_and_equipment": "Assistive technologies and equipment",
    "care_act_implementation_related_duties": "Care Act implementation related duties",
    "carers_services": "Carers services",
    "community_based_schemes": "Community based schemes",
    "dfg_related_schemes": "DFG related schemes",
    "enablers_for_integration": "Enablers for integration",
    "high_impact_change_model": "High impact change model for managing transfer of care",
    "home_care_or_domiciliary_care": "Home care or domiciliary care",
    "housing_related_schemes": "Housing related schemes",
    "integrated_care_planning_and_navigation": "Integrated care planning and navigation",
    "bed_based_intermediate_care": "Bed-based intermediate care",
    "home_based_intermediate_care": "Home-based intermediate care",
    "urgent_community_response": "Urgent community response",
    "personalised_budgeting_and_commissioning": "Personalised budgeting and commissioning",
    "personalised_care_at_home": "Personalised care at home",
    "prevention_early_intervention": "Prevention / early intervention",
    "residential_placements": "Residential placements",
    "workforce_recruitment_and_retention": "Workforce recruitment and retention",
    "other": "Other",
}

SUB_TYPES: dict[str, dict[str, str]] = {
    "bed_based_intermediate_care": {
        "step_down_p2": "Step down (discharge to assess pathway 2)",
        "step_up": "Step up",
        "rapid_crisis": "Rapid or crisis response",
        "other": "Other",
    },
    "home_based_intermediate_care": {
        "reablement_step_down": "Reablement, step down",
        "reablement_step_up": "Reablement, step up",
        "rehabilitation_step_down": "Rehabilitation, step down",
        "rehabilitation_step_up": "Rehabilitation, step up",
        "joint_step_down": "Joint reablement and rehabilitation, step down",
        "joint_step_up": "Joint reablement and rehabilitation, step up",
    },
    "high_impact_change_model": {
        "early_discharge_planning": "Early discharge planning",
        "monitoring_demand_capacity": "Monitoring and responding to system demand and capacity",
        "multidisciplinary_discharge_teams": "Multi-disciplinary discharge teams",
        "home_first_d2a": "Home first / discharge to assess",
        "seven_day_working": "Seven-day working",
        "trusted_assessment": "Trusted assessment",
        "engagement_and_choice": "Engagement and choice",
        "improved_discharge_to_care_homes": "Improved discharge to care homes",
        "housing_and_related_services": "Housing and related services",
        "red_bag": "Red bag scheme",
    },
}

# Types whose lines must say how much they deliver, and in what unit.
OUTPUT_UNITS: dict[str, str] = {
    "home_care_or_domiciliary_care": "hours of care",
    "residential_placements": "placements",
    "dfg_related_schemes": "adaptations",
    "carers_services": "beneficiaries",
    "bed_based_intermediate_care": "placements",
    "home_based_intermediate_care": "packages",
    "assistive_technologies_and_equipment": "beneficiaries",
}

DFG_TYPES = frozenset({"dfg_related_schemes", "housing_related_schemes"})

AREAS_OF_SPEND: dict[str, str] = {
    "social_care": "Social care",
    "community_health": "Community health",
    "continuing_care": "Continuing care",
    "primary_care": "Primary care",
    "mental_health": "Mental health",
    "acute": "Acute",
    "other": "Other",
}

COMMISSIONERS: dict[str, str] = {"la": "Local authority", "nhs": "NHS", "joint": "Joint"}

PROVIDERS: dict[str, str] = {
    "local_authority": "Local authority",
    "nhs_community": "NHS community provider",
    "nhs_acute": "NHS acute provider",
    "nhs_mental_health": "NHS mental health provider",
    "private_sector": "Private sector",
    "charity_voluntary": "Charity or voluntary sector",
}

NATIONAL_METRICS: dict[str, str] = {
    "emergency_admissions_65_plus": "Emergency admissions, people aged 65+, per 100,000",
    "discharge_delay": "Average length of discharge delay",
    "long_term_admissions_65_plus": "Long-term admissions to residential and nursing care, 65+, per 100,000",
}

# The minimum NHS contribution to adult social care grows each year by a nationally set uplift.
NHS_ASC_UPLIFT: dict[int, str] = {2022: "5.66", 2023: "5.66", 2024: "5.66", 2025: "3.9"}

MAX_AMOUNT_PENCE = MAX_MONEY_PENCE  # £1bn: the national template's bound on a numeric input
