"""Loads the LLR demo from the YAML data files, through the same services people use."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from placeplan.areas import service as areas
from placeplan.areas.models import System
from placeplan.budget import service as budget
from placeplan.budget.domain.document import document_from_mapping
from placeplan.capacity.service import load_demo_models, run_model
from placeplan.core.actor import Actor, operator
from placeplan.core.errors import InputError
from placeplan.demo.delivery import load_demo_delivery
from placeplan.demo.finance import load_demo_finance
from placeplan.demo.measures import load_demo_measures
from placeplan.demo.narrative import load_demo_narrative
from placeplan.demo.national import AreaJob, build_national, national_loaded
from placeplan.demo.pledges import load_demo_pledges
from placeplan.demo.returns import load_demo_returns
from placeplan.governance import service as governance
from placeplan.organisations import service as organisations
from placeplan.people import service as people
from placeplan.plans import service as plans
from placeplan.sources.models import Source
from placeplan.store.changes import add_recorded
from placeplan.store.uow import unit_of_work

DATA = Path(__file__).with_name("data")
LLR_FILE = DATA / "llr.yaml"
USERS_FILE = DATA / "users.yaml"
# Shared by every demo user and printed by `make demo`: this is demo data, not a secret.
DEMO_PASSWORD = "llr-demo-2025"


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _cite(item: dict[str, Any], titles: dict[str, str]) -> str | None:
    source = item.get("source")
    if not source:
        return None
    title = titles.get(source, source)
    return f"{title}{', ' + item['where'] if item.get('where') else ''}"


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=str(path),
            row=(mark.line + 1) if mark else None,
        ) from exc
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", file=str(path))
    return data


def _load_llr(
    session: Session, actor: Actor, data: dict[str, Any]
) -> tuple[list[tuple[int, dict[str, Any], list[Any]]], dict[str, int]]:
    """Load llr.yaml's sources, system, areas, organisations, bodies and plans, in that order (each
    names ones before it); returns the plans' sign-off still to take, and how many of each were
    loaded."""
    titles = _load_sources(session, actor, data.get("sources", []))
    system = data["system"]
    region = system.get("region")
    if region:
        areas.create_region(session, actor, region["code"], region["name"])
    areas.create_system(
        session, actor, system["code"], system["name"], region["code"] if region else None
    )
    _load_areas(session, actor, data["areas"], system["code"], titles)
    _load_organisations(session, actor, data["organisations"], system["code"], titles)
    _load_bodies(session, actor, data["bodies"], system["code"], titles)
    budgets = _budget_files()
    pending = [_load_plan(session, actor, item, titles, budgets) for item in data["plans"]]
    return pending, {
        "areas": len(data["areas"]),
        "organisations": len(data["organisations"]),
        "bodies": len(data["bodies"]),
        "plans": len(data["plans"]),
    }


def _load_sources(session: Session, actor: Actor, items: list[dict[str, Any]]) -> dict[str, str]:
    """Add the sources; returns each one's title by its key, to cite it by."""
    titles: dict[str, str] = {}
    for source in items:
        add_recorded(
            session,
            actor,
            "source",
            Source(key=source["id"], title=source["title"], file=source.get("file")),
        )
        titles[source["id"]] = source["title"]
    return titles


def _load_areas(
    session: Session,
    actor: Actor,
    items: list[dict[str, Any]],
    system_code: str,
    titles: dict[str, str],
) -> None:
    """Add the areas of the system, each with its populations."""
    for item in items:
        patients = item.get("registered_patients") or {}
        deprived = item.get("patients_in_most_deprived_20pct") or {}
        area = areas.create_area(
            session,
            actor,
            item["gss_code"],
            item["name"],
            system_code,
            registered_patients=patients.get("value"),
            patients_in_most_deprived_20pct=deprived.get("value"),
            patients_source=_cite(patients, titles),
        )
        for population in item.get("population", []):
            note = population.get("note") or ""
            areas.set_population(
                session,
                actor,
                area,
                int(population["year"]),
                population["bands"],
                illustrative=bool(population.get("illustrative")),
                source=note or None,
            )


def _load_organisations(
    session: Session,
    actor: Actor,
    items: list[dict[str, Any]],
    system_code: str,
    titles: dict[str, str],
) -> None:
    for item in items:
        organisations.create_organisation(
            session,
            actor,
            item["key"],
            item["name"],
            item["kind"],
            item.get("ods_code"),
            item.get("areas") or [],
            system_code if item.get("in_system") else None,
            _day(item.get("valid_from")),
            _day(item.get("valid_to")),
            _cite(item, titles),
        )


def _load_bodies(
    session: Session,
    actor: Actor,
    items: list[dict[str, Any]],
    system_code: str,
    titles: dict[str, str],
) -> None:
    """Add the governance bodies; one not in an area is the system's."""
    # Bodies may report to bodies listed after them: create in an order that respects that.
    pending = list(items)
    created: set[str] = set()
    while pending:
        ready = [b for b in pending if not b.get("reports_to") or b["reports_to"] in created]
        if not ready:
            raise InputError(
                "reporting lines form a loop or name a missing body: "
                + ", ".join(b["key"] for b in pending),
                file=str(LLR_FILE),
                field="bodies.reports_to",
            )
        for item in ready:
            governance.create_body(
                session,
                actor,
                item["key"],
                item["name"],
                item.get("short_name") or item["name"],
                area_code=item.get("area"),
                system_code=system_code if not item.get("area") else None,
                reports_to_key=item.get("reports_to"),
                member_keys=item.get("members") or [],
                may_approve=item.get("may_approve") or [],
                valid_from=_day(item.get("valid_from")),
                valid_to=_day(item.get("valid_to")),
                note=item.get("note"),
                source=_cite(item, titles),
            )
            created.add(item["key"])
            pending.remove(item)


def _budget_files() -> dict[str, tuple[Path, dict[str, Any]]]:
    found = {}
    for path in sorted(DATA.glob("budget_*.yaml")):
        data = read_yaml(path)
        found[str(data["plan"])] = (path, data)
    return found


def _load_budget(
    session: Session,
    actor: Actor,
    plan: Any,
    path: Path,
    data: dict[str, Any],
    titles: dict[str, str],
) -> None:

    asc = data.get("nhs_asc") or {}
    if asc.get("baseline_pence") is not None and plan.area_id is not None:
        budget.set_nhs_asc_baseline(
            session,
            actor,
            plan.area_id,
            plan.period_start,
            int(asc["baseline_pence"]),
            cited=_cite({"source": asc.get("source"), "where": asc.get("where")}, titles),
            illustrative=bool(asc.get("illustrative")),
        )
    # A stated figure cites its document by title and place, as every other citation does.
    stated = [{**item, "source": _cite(item, titles)} for item in data.get("stated") or []]
    document = document_from_mapping({**data, "stated": stated}, str(path))
    budget.load_document(session, actor, plan.id, document, str(path))


def _load_plan(
    session: Session,
    actor: Actor,
    item: dict[str, Any],
    titles: dict[str, str],
    budgets: dict[str, tuple[Path, dict[str, Any]]],
) -> tuple[int, dict[str, Any], list[Any]]:
    """Add a plan with its budget and sign-off chain; its status moves come later
    (_take_sign_off)."""
    plan = plans.create_plan(
        session,
        actor,
        item["kind"],
        item["title"],
        str(item["period"]),
        area_code=item.get("area"),
        system_code=item.get("system") if not item.get("area") else None,
        key=item["key"],
        summary=item.get("summary"),
        source=_cite(item, titles),
    )
    if item["key"] in budgets:
        _load_budget(session, actor, plan, *budgets[item["key"]], titles)
    decisions = []
    for step_item in item.get("sign_off") or []:
        signatory = step_item.get("signatory") or {}
        step = plans.add_step(
            session,
            actor,
            plan.id,
            body_key=step_item.get("body"),
            signatory_role=signatory.get("role"),
            organisation_key=signatory.get("organisation"),
            planned_date=_day(step_item.get("planned_date")),
            note=step_item.get("note"),
            source=_cite(step_item, titles),
        )
        if step_item.get("decision"):
            decisions.append((step.id, step_item))
    return plan.id, item, decisions


def _take_sign_off(
    session: Session, actor: Actor, plan_id: int, item: dict[str, Any], decisions: list[Any]
) -> None:
    """Submit, decide and publish a plan as the seeds report, once everything it holds (budget,
    ambitions) is loaded, so the decisions bind to the version that holds it all."""
    target = item.get("status", "draft")
    if target != "draft":
        # The seed's plan went in as it stood: what the template would flag is acknowledged, and
        # each decision it reports is then taken on the version submitted.
        plan = plans.get_plan(session, actor, plan_id)
        warned = plans.warning_keys(session, plan)
        plans.change_status(session, actor, plan_id, "submitted", None, warned)
    for step_id, step_item in decisions:
        plans.record_decision(
            session,
            actor,
            step_id,
            step_item["decision"],
            _day(step_item.get("actual_date")),
            note=step_item.get("decision_note"),
        )
    if target == "published":
        plans.change_status(session, actor, plan_id, "published", None)
    status = plans.get_plan(session, actor, plan_id).status
    if status != target:
        raise InputError(
            f"plan {item['key']} is marked {target} but its sign-off decisions make it {status}",
            file=str(LLR_FILE),
            field=f"plans.{item['key']}.status",
        )


def _load_users(session: Session, actor: Actor, data: dict[str, Any]) -> int:
    for item in data["users"]:
        people.add_user(
            session,
            actor,
            item["username"],
            item["name"],
            DEMO_PASSWORD,
            item["organisation"],
            item["role"],
        )
    return len(data["users"])


def demo_users() -> list[dict[str, Any]]:
    return list(read_yaml(USERS_FILE)["users"])


DEMO_RUN_REPLICATIONS = 200


def load_demo(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Load everything in one transaction: a fault anywhere leaves the database as it was."""
    actor = operator(name="demo-loader", via="system")
    with unit_of_work(sessions) as session:
        if session.scalar(select(func.count()).select_from(System).where(System.code == "LLR")):
            return {"loaded": False, "counts": {}}
        pending, counts = _load_llr(session, actor, read_yaml(LLR_FILE))
        counts["users"] = _load_users(session, actor, read_yaml(USERS_FILE))

        counts["measurements"] = load_demo_measures(session, actor)

        load_demo_delivery(session, actor)

        counts["pledges"] = load_demo_pledges(session, actor)["pledges"]
        counts["spend rows (illustrative)"] = sum(
            load_demo_returns(session, actor, read_yaml(path))
            for path in sorted(DATA.glob("actuals_*.yaml"))
        )
        load_demo_finance(session, actor)
        counts["financial models"] = 1
        counts["allocations"] = 1
        # Before the sign-off below: the decisions approve the plan with its narrative.
        counts |= load_demo_narrative(session, actor)
        for plan_id, item, decisions in pending:
            _take_sign_off(session, actor, plan_id, item, decisions)

        model = load_demo_models(session, actor)
        counts["capacity models"] = 1 if model is not None else 0
        if model is not None:
            # One finished run, so the model's page, its fan charts and the plan's predicted
            # discharge metric have something to show before anyone presses Run; 200
            # replications keep the load to about half a second.
            run_model(session, actor, model.id, replications=DEMO_RUN_REPLICATIONS, seed=1)
            counts["capacity runs"] = 1
    return {"loaded": True, "counts": counts}


def load_national(
    sessions: sessionmaker[Session],
    run_jobs: Callable[[list[AreaJob]], Iterable[list[int]]] | None = None,
) -> dict[str, Any]:
    """The synthetic national dataset beside the LLR demo (`demo.national`), one area per
    transaction (`run_jobs` may build them in parallel); nothing when it is already loaded."""
    with sessions() as session:
        if national_loaded(session):
            return {"loaded": False}
    started = time.monotonic()
    data = build_national(sessions, run_jobs=run_jobs)
    return {
        "loaded": True,
        "areas": len(data.gss_codes),
        "systems": data.systems,
        "plans": len(data.plan_ids),
        "seconds": round(time.monotonic() - started, 1),
    }
