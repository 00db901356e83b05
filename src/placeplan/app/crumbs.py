"""Breadcrumbs: the trail to a page, worked out from its address and the records it shows.

Each step up the address (`/plans/7/budget` -> `/plans/7` -> `/plans`) is a crumb when it names
a page (a GET route answers it) and can be named in the record's language: a fixed label for a
collection or part (Plans, Budget, Delivery tracker), or the name of the record the page was
given (the plan's title, the area's name). A step that cannot be named is left out rather than
shown as an id. A page may pass its own `crumbs` instead.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.routing import Match

HOME = ("/", "Home")
LABELS: dict[str, str] = {
    "areas": "Areas",
    "organisations": "Organisations",
    "bodies": "Governance",
    "plans": "Plans",
    "board": "Measures",
    "metrics": "Metrics",
    "audit": "Audit",
    "search": "Search",
    "account": "Your account",
    "capacity": "Capacity",
    "budget": "Budget",
    "delivery": "Delivery tracker",
    "pledges": "Pledges",
    "interventions": "Interventions",
    "differences": "Differences",
    "versions": "Versions",
    "highlight": "Highlight report",
    "exception": "Exception report",
    "on-a-page": "Plan on a page",
    "history": "Ratings by period",
}
# A record's page under a collection, and the names (in the page's context) it may be given as.
RECORDS: dict[str, tuple[str, ...]] = {
    "plans": ("plan",),
    "areas": ("area",),
    "organisations": ("organisation",),
    "bodies": ("body",),
    "pledges": ("pledge",),
    "metrics": ("metric",),
    "capacity": ("model",),
    "systems": ("system",),
}
# Pages whose address does not run through their parents: where they sit instead.
PARENTS: dict[str, str | None] = {"schemes": "budget", "public": None, "capacity": "capacity"}


def _attr(record: Any, name: str) -> Any:
    """A record's field, whether the page was given the record or a plain mapping of it."""
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def _name(record: Any) -> str | None:
    for attribute in ("title", "name"):
        value = _attr(record, attribute)
        if isinstance(value, str) and value:
            return value
    return None


def _record_name(ctx: Context, collection: str, segment: str) -> str | None:
    for variable in RECORDS.get(collection, ()):
        record = ctx.get(variable)
        if record is None:
            continue
        if str(_attr(record, "id")) == segment or str(_attr(record, "ref")) == segment:
            return _name(record)
        if collection == "areas" and _attr(record, "gss_code") == segment:
            return _name(record)
        if collection == "metrics" and _attr(record, "key") == segment:
            return _name(record)
    return None


# Whether a GET route answers an address depends only on the app's routes, fixed once it is built,
# and matching walks them all (half a millisecond for an address answered late): kept per app, the
# lot dropped when it reaches this many addresses (ancestors name records by id).
ANSWERS_KEPT = 4096


def _answers(request: Any, path: str) -> bool:
    state = request.app.state
    kept: dict[str, bool] | None = getattr(state, "crumb_answers", None)
    if kept is None:
        kept = state.crumb_answers = {}
    found = kept.get(path)
    if found is None:
        scope = {"type": "http", "path": path, "method": "GET"}
        found = any(route.matches(scope)[0] == Match.FULL for route in request.app.routes)
        if len(kept) >= ANSWERS_KEPT:
            kept.clear()
        kept[path] = found
    return found


def _plan_trail(ctx: Context, part: str | None, segments: list[str]) -> list[tuple[str, str]]:
    """The trail of a page that sits under a plan without its address saying so: a scheme
    (under the budget), a public view, a capacity model or run (under the plan's capacity)."""
    plan = ctx.get("plan")
    if plan is None or not _name(plan):
        return [HOME, ("/plans", "Plans")]
    plan_id = _attr(plan, "id")
    trail = [HOME, ("/plans", "Plans"), (f"/plans/{plan_id}", _name(plan) or "")]
    if part:
        trail.append((f"/plans/{plan_id}/{part}", LABELS[part]))
    model = ctx.get("model")
    if part == "capacity" and segments[1:2] == ["runs"] and model is not None and _name(model):
        trail.append((f"/capacity/{_attr(model, 'id')}", _name(model) or ""))
    return trail


def trail_for(ctx: Context, request: Any) -> list[tuple[str, str]]:
    segments = [s for s in request.url.path.split("/") if s]
    if not segments:
        return []
    if segments[0] in PARENTS:
        return _plan_trail(ctx, PARENTS[segments[0]], segments)
    trail = [HOME]
    for depth in range(1, len(segments)):
        path = "/" + "/".join(segments[:depth])
        last = segments[depth - 1]
        collection = segments[depth - 2] if depth >= 2 else ""
        label = LABELS.get(last) if last in LABELS else _record_name(ctx, collection, last)
        if label and _answers(request, path):
            trail.append((path, label))
    return trail


@pass_context
def breadcrumbs(ctx: Context) -> list[tuple[str, str]]:
    request = ctx.get("request")
    return trail_for(ctx, request) if request is not None else []
