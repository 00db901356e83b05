"""Wiring: later concepts provide what earlier ones declared they need (placeplan.core.hooks).

Run by each composition root (the app factory, the command line, the tests) before any service;
running it again changes nothing. It imports no concept: each answer is named as
"module:function" and imported on its hook's first call.
"""

from __future__ import annotations

from placeplan.core.hooks import provide

ANSWERS: dict[str, str] = {
    "audit.record_kinds": "placeplan.app.audit_kinds:record_kinds",
    "audit.readable_plan_query": "placeplan.plans.service:readable_plan_query",
    "areas.organisations_in_area": "placeplan.organisations.service:organisations_in_area",
    "areas.plans_about_area": "placeplan.plans.service:plans_in_area",
    "areas.metrics_about_area": "placeplan.measures.service:metrics_with_data",
    "delivery.house_style": "placeplan.narrative.service.styles:composer_for",
    "measures.linked_interventions": (
        "placeplan.pledges.service.chart_links:interventions_for_metric"
    ),
    "organisations.bodies_with_member": "placeplan.governance.service:bodies_with_member",
    "plans.submission_problems": "placeplan.budget.service:submission_problems",
    "plans.submission_warnings": "placeplan.app.plan_content:warnings",
    "plans.content_parts": "placeplan.app.plan_content:parts",
    "plans.content_token": "placeplan.app.plan_content:token",
    "plans.part_sections": "placeplan.app.plan_content:sections",
    "web.actor_for_token": "placeplan.people.service:actor_for_token",
    "web.actor_for_session": "placeplan.people.service:actor_for_session",
}


def wire() -> None:
    for name, answer in ANSWERS.items():
        provide(name, answer)
