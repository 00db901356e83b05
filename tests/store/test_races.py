"""Lost races are conflicts, never 500s (issue 15): 50 saves of one record from the same version,
at the same moment, through the API on PostgreSQL, give one 200 and 49 409s in the error shape,
and one audit event, for each kind of record the API edits. Simultaneous first saves of a record
that does not exist yet (a period's first report, commentary, narrative, spend or baseline) give
one success and 49 409s, never a unique-key 500. Each save is its own request on its own thread
and database connection, released at once on a barrier.

Every body differs from what is stored and from the others (it carries the thread's number): a
body equal to what is stored has nothing to write and rightly answers 200, so it would be no race.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from placeplan.app.factory import create_app
from placeplan.areas.models import Area
from placeplan.assurance.models import AssuranceRecord
from placeplan.budget.models import ActualSpendRow, ExpenditureLineRow
from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityModel
from placeplan.config import Settings
from placeplan.core.actor import operator
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone, DeliveryUpdate
from placeplan.finance import service as finance
from placeplan.finance.models import FinanceAllocation, FinanceModel
from placeplan.measures import service as measures
from placeplan.measures.models import MetricCommentary, SpcAnnotation, SpcRebase, SpcSetting
from placeplan.measures.service import spc_marks
from placeplan.narrative.models import NarrativeBlock
from placeplan.people import service as people
from placeplan.plans.models import Plan, SignOffStep
from placeplan.pledges.models import Pledge, PledgeMeasure
from placeplan.store.audit import AuditEvent
from placeplan.store.db import make_engine
from placeplan.store.uow import unit_of_work
from tests.app.test_route_access import app_routes
from tests.capacity.test_service import SMALL
from tests.delivery.conftest import make_delivery_plan
from tests.factories import LEICESTERSHIRE, PASSWORD, actor_for, add_budget, submit
from tests.finance.factory import one_year_document, two_areas
from tests.finance.test_allocation_api import BODY as ALLOCATION
from tests.pledges.conftest import make_pledge_plan

SAVES = 50
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
METRIC = "/api/v1/areas/E10000018/metrics/admissions"


@dataclass
class Race:
    """One round: `body(i, version)` is thread i's body, `version` the record's version just
    before the round (0 when it does not exist yet). `first`: the record does not exist, so the
    winner may answer 201. `audit`: the events one winning save writes."""

    name: str
    method: str
    url: str
    body: Callable[[int, int], dict[str, Any]]
    version: Callable[[], int]
    who: str = "county-editor"
    first: bool = False
    audit: int = 1
    form: bool = False  # a page's form (303 on success) rather than the API's JSON


def _version_of(sessions, model, *where) -> Callable[[], int]:
    def read() -> int:
        with sessions() as s:
            return s.scalar(select(model.version).where(*where)) or 0

    return read


def _audit(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


# ---- the records, each kind's rounds ------------------------------------------------------------


def plans_and_budget(sessions, world) -> list[Race]:
    add_budget(sessions, world)
    return [
        Race(
            "plan",
            "PATCH",
            f"/api/v1/plans/{world.plan_id}",
            lambda i, v: {"version": v, "title": f"Plan {i}"},
            _version_of(sessions, Plan, Plan.id == world.plan_id),
        ),
        Race(
            "budget line",
            "PATCH",
            f"/api/v1/lines/{world.line_id}",
            # the line's new investment is £0 to begin with, so every body changes it
            lambda i, v: {"version": v, "new_pence": i + 1},
            _version_of(sessions, ExpenditureLineRow, ExpenditureLineRow.id == world.line_id),
        ),
    ]


def spend(sessions, world) -> list[Race]:
    add_budget(sessions, world)
    with sessions() as s:
        line = s.get(ExpenditureLineRow, world.line_id)
        ref = line.ref
    url = f"/api/v1/plans/{world.plan_id}/spend/lines/{ref}/2025-26-Q1"
    version = _version_of(sessions, ActualSpendRow, ActualSpendRow.line_id == world.line_id)
    body = lambda i, v: {"version": v, "actual_pence": i + 1}  # noqa: E731
    return [
        Race("first spend of a quarter", "PUT", url, body, version, first=True),
        Race("spend of a quarter", "PUT", url, lambda i, v: body(i + 100, v), version),
    ]


def sign_off(sessions, world) -> list[Race]:
    with unit_of_work(sessions) as s:
        submit(s, operator("test-factory"), world.plan_id)
    return [
        Race(
            "sign-off decision",
            "POST",
            f"/api/v1/steps/{world.hwb_step_id}/decision",
            lambda i, v: {
                "decision": "approved",
                "actual_date": "2025-03-27",
                "version": v,
                "note": f"Approved at meeting {i}",
            },
            _version_of(sessions, SignOffStep, SignOffStep.id == world.hwb_step_id),
            who="county-approver",
        )
    ]


def delivery(sessions, world) -> list[Race]:
    plan = make_delivery_plan(sessions)
    action = plan.action_ids["HP2.1"]
    # the document reports on 2025-26 Q1 and Q2 (tests/delivery/conftest.py): Q3 is new
    url = f"/api/v1/delivery/actions/{action}/updates/2025-26%20Q3"
    report = _version_of(
        sessions,
        DeliveryUpdate,
        DeliveryUpdate.action_id == action,
        DeliveryUpdate.period == "2025-26 Q3",
    )

    def update(i: int, v: int) -> dict[str, Any]:
        return {"version": v, "overall_rag": "green", "internal_commentary": f"Report {i}"}

    return [
        Race(
            "delivery action",
            "PATCH",
            f"/api/v1/delivery/actions/{action}",
            lambda i, v: {"version": v, "we_will": f"Develop neighbourhood team {i}"},
            _version_of(sessions, DeliveryAction, DeliveryAction.id == action),
        ),
        Race("first period report", "PUT", url, update, report, first=True),
        Race("period report", "PUT", url, lambda i, v: update(i + 100, v), report),
    ]


def _signed_in(client: TestClient, username: str) -> str:
    """Sign `client` in as `username`; the CSRF token its forms carry."""
    token = CSRF.search(client.get("/sign-in").text)[1]  # type: ignore[index]
    answer = client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return CSRF.search(client.get("/").text)[1]  # type: ignore[index]


def milestones(sessions, world) -> list[Race]:
    # Milestones are edited on pages only: the race is run through the page's form.
    plan = make_delivery_plan(sessions)
    action = plan.action_ids["HP2.1"]
    with sessions() as s:
        milestone = s.scalars(
            select(DeliveryMilestone.id)
            .where(DeliveryMilestone.action_id == action)
            .order_by(DeliveryMilestone.id)
        ).first()
    return [
        Race(
            "milestone",
            "POST",
            f"/plans/{plan.plan_id}/delivery/milestones/{milestone}/edit",
            lambda i, v: {
                "version": str(v),
                "ref": "1",
                "by_text": f"Agree the approach, step {i}",
                "due_date-day": "31",
                "due_date-month": "5",
                "due_date-year": "2025",
            },
            _version_of(sessions, DeliveryMilestone, DeliveryMilestone.id == milestone),
            form=True,
        )
    ]


def chart_and_commentary(sessions, world) -> list[Race]:
    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            op,
            {
                "key": "admissions",
                "name": "Admissions 65+",
                "unit": "rate_per_100k",
                "direction": "lower",
                "frequency": "month",
            },
        )
        measures.import_rows(
            s,
            op,
            "admissions",
            [
                (
                    n,
                    {
                        "area_code": LEICESTERSHIRE,
                        "period": f"{2023 + m // 12}-{m % 12 + 1:02d}",
                        "value": str(150 - m),
                    },
                )
                for n, m in enumerate(range(24), start=2)
            ],
        )
        county = actor_for(s, "county-editor")
        rebase = spc_marks.add_rebase(s, county, LEICESTERSHIRE, "admissions", "2024-05", "Hub")
        note = spc_marks.add_annotation(s, county, LEICESTERSHIRE, "admissions", "2024-04", "Pilot")
        rebase_id, note_id = rebase.id, note.id
    commentary = f"{METRIC}/commentary/2024-04"
    said = _version_of(sessions, MetricCommentary, MetricCommentary.period == "2024-04")
    baseline = _version_of(sessions, SpcSetting)
    return [
        Race(
            "first commentary",
            "PUT",
            commentary,
            lambda i, v: {"text": f"Winter pressures {i}", "version": v},
            said,
            first=True,
        ),
        Race(
            "commentary",
            "PUT",
            commentary,
            lambda i, v: {"text": f"Winter pressures, revised {i}", "version": v},
            said,
        ),
        Race(
            "recalculation",
            "PATCH",
            f"{METRIC}/rebases/{rebase_id}",
            lambda i, v: {"version": v, "reason": f"Hub opened {i}"},
            _version_of(sessions, SpcRebase, SpcRebase.id == rebase_id),
        ),
        Race(
            "annotation",
            "PATCH",
            f"{METRIC}/annotations/{note_id}",
            lambda i, v: {"version": v, "text": f"Pilot {i}"},
            _version_of(sessions, SpcAnnotation, SpcAnnotation.id == note_id),
        ),
        # at least 12 points; the chart has 24
        Race(
            "first baseline",
            "PUT",
            f"{METRIC}/baseline",
            lambda i, v: {"points": 12 + i % 12, "version": v},
            baseline,
            first=True,
        ),
    ]


def baseline_edit(sessions, world) -> list[Race]:
    races = chart_and_commentary(sessions, world)
    first = races[-1]
    with unit_of_work(sessions) as s:
        spc_marks.set_baseline(
            s, actor_for(s, "county-editor"), LEICESTERSHIRE, "admissions", 12, 0
        )
    # 50 different bodies need 50 different numbers of points: 13 to 24, then none, repeating,
    # all but the stored 12
    return [
        Race(
            "baseline",
            "PUT",
            first.url,
            lambda i, v: {"points": (13 + i % 13) if i % 13 != 12 else None, "version": v},
            first.version,
        )
    ]


def narrative(sessions, world) -> list[Race]:
    url = f"/api/v1/plans/{world.plan_id}/narrative/overview"
    version = _version_of(sessions, NarrativeBlock, NarrativeBlock.plan_id == world.plan_id)
    return [
        Race(
            "first narrative",
            "PUT",
            url,
            lambda i, v: {"text": f"What the plan is for, draft {i}", "version": v},
            version,
            first=True,
        ),
        Race(
            "narrative",
            "PUT",
            url,
            lambda i, v: {"text": f"What the plan is for, revised {i}", "version": v},
            version,
        ),
    ]


def finance_and_capacity(sessions, world) -> list[Race]:
    op = operator("test-factory")
    with unit_of_work(sessions) as s:
        money = finance.create_model(s, op, world.plan_id, "Base", one_year_document("2025-26"))
        model = capacity.create_model(s, op, world.plan_id, "Base", SMALL)
        shares = finance.create_allocation(s, op, world.plan_id, "Shares", two_areas())
        money_id, model_id, shares_id = money.id, model.id, shares.id
    return [
        Race(
            "finance assumption",
            "PATCH",
            f"/api/v1/finance/{money_id}/lines/inflation",
            lambda i, v: {"version": v, "values": {"amount_2025": str(11 + i)}},
            _version_of(sessions, FinanceModel, FinanceModel.id == money_id),
        ),
        Race(
            "need-weighted allocation",
            "PUT",
            f"/api/v1/finance/allocations/{shares_id}",
            # tests/finance/test_allocation_api.py's allocation over the plan's one year (2025-26),
            # under a name of its own
            lambda i, v: {
                **ALLOCATION,
                "first_year": "2025-26",
                "totals_pence": [100_00],
                "name": f"Shares {i}",
                "version": v,
            },
            _version_of(sessions, FinanceAllocation, FinanceAllocation.id == shares_id),
        ),
        Race(
            "capacity model",
            "PATCH",
            f"/api/v1/capacity/models/{model_id}",
            lambda i, v: {"version": v, "name": f"Base {i}"},
            _version_of(sessions, CapacityModel, CapacityModel.id == model_id),
        ),
    ]


def pledges(sessions, world) -> list[Race]:
    plan = make_pledge_plan(sessions)
    # pledge 2 has one partnership (tests/pledges/conftest.py), sent unchanged: a save changes
    # the pledge alone, one audit event
    base = f"/api/v1/plans/{plan.plan_id}/pledges/2"
    measure = plan.measures["1.1"]
    with sessions() as s:
        pledge_id = s.scalar(
            select(Pledge.id).where(Pledge.plan_id == plan.plan_id, Pledge.ref == "2")
        )
    return [
        Race(
            "pledge",
            "PUT",
            base,
            lambda i, v: {
                "version": v,
                "title": f"Pledge {i}",
                "statement": f"We will do thing {i}",
                "accountable": [{"name": "Planned Care Partnership"}],
            },
            _version_of(sessions, Pledge, Pledge.id == pledge_id),
        ),
        Race(
            "pledge measure's latest value",
            "PUT",
            f"/api/v1/plans/{plan.plan_id}/pledges/1/measures/1.1",
            lambda i, v: {"version": v, "value": f"{i}.5", "period": "2024-25"},
            _version_of(sessions, PledgeMeasure, PledgeMeasure.id == measure),
        ),
    ]


def assurance(sessions, world) -> list[Race]:
    # Assurance records are kept by an assurer on a page and through the API: both are raced.
    with unit_of_work(sessions) as s:
        people.add_user(
            s, operator("test-factory"), "assurer", "Assurer", PASSWORD, "icb", "national_assurer"
        )
    url = f"/assurance/plans/{world.plan_id}"
    version = _version_of(sessions, AssuranceRecord, AssuranceRecord.plan_id == world.plan_id)

    def body(i: int, v: int) -> dict[str, str]:
        return {"version": str(v), "rating": "", "comments": f"Read at review {i}"}

    return [
        Race("first assurance record", "POST", url, body, version, "assurer", True, form=True),
        Race(
            "assurance record",
            "POST",
            url,
            lambda i, v: body(i + 100, v),
            version,
            "assurer",
            form=True,
        ),
        Race(
            "assurance record through the API",
            "PUT",
            f"/api/v1{url}",
            lambda i, v: {"version": v, "comments": f"Read by a script {i}"},
            version,
            "assurer",
        ),
    ]


def areas(sessions, world) -> list[Race]:
    return [
        Race(
            "area",
            "PATCH",
            f"/api/v1/areas/{LEICESTERSHIRE}",
            lambda i, v: {"version": v, "name": f"Leicestershire {i}"},
            _version_of(sessions, Area, Area.gss_code == LEICESTERSHIRE),
            who="county-admin",
        )
    ]


KINDS: dict[str, Callable[..., list[Race]]] = {
    "plans-and-budget": plans_and_budget,
    "spend": spend,
    "sign-off": sign_off,
    "delivery": delivery,
    "milestones": milestones,
    "chart-and-commentary": chart_and_commentary,
    "baseline": baseline_edit,
    "narrative": narrative,
    "finance-and-capacity": finance_and_capacity,
    "pledges": pledges,
    "assurance": assurance,
    "areas": areas,
}


# ---- the race ------------------------------------------------------------------------------------


@pytest.fixture
def racing_app(engine, world) -> Iterator[Any]:
    # its own engine: a pool as wide as the race, so each save waits for its row, not a connection
    racing = make_engine(
        str(engine.url.render_as_string(hide_password=False)), pool_size=SAVES, pool_timeout=30
    )
    yield create_app(Settings(database_url=str(engine.url)), engine=racing)
    racing.dispose()


def _run(
    app, race: Race, credential: dict[str, Any], version: int
) -> tuple[Counter[int], list[str]]:
    """The statuses of the 50 saves, and what any answer other than a success or 409 said."""
    start = threading.Barrier(SAVES)
    odd: list[str] = []

    def save(i: int) -> int:
        client = TestClient(app, base_url="https://testserver", cookies=credential.get("cookies"))
        body = race.body(i, version)
        start.wait()
        if race.form:
            answer = client.post(
                race.url, data={**body, "csrf_token": credential["csrf"]}, follow_redirects=False
            )
        else:
            answer = client.request(race.method, race.url, json=body, headers=credential["headers"])
        if answer.status_code == 409 and not race.form:
            assert "error" in answer.json()
        if answer.status_code not in (200, 201, 303, 409):
            odd.append(answer.text[:300])
        return answer.status_code

    with ThreadPoolExecutor(SAVES) as pool:
        return Counter(pool.map(save, range(SAVES))), odd


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
@pytest.mark.parametrize("kind", list(KINDS))
def test_fifty_same_version_saves_give_one_success_and_49_409s(
    engine, sessions, world, racing_app, kind
):
    races = KINDS[kind](sessions, world)
    credentials: dict[tuple[str, bool], dict[str, Any]] = {}
    for race in races:
        if (race.who, race.form) in credentials:
            continue
        if race.form:
            client = TestClient(racing_app, base_url="https://testserver")
            csrf = _signed_in(client, race.who)
            credentials[race.who, True] = {"cookies": dict(client.cookies), "csrf": csrf}
        else:
            with unit_of_work(sessions) as s:
                token, _ = people.create_token(s, actor_for(s, race.who), "races")
            credentials[race.who, False] = {"headers": {"Authorization": f"Bearer {token}"}}
    for race in races:
        version = race.version()
        assert (version == 0) == race.first, (race.name, version)
        before = _audit(sessions)
        counts, odd = _run(racing_app, race, credentials[race.who, race.form], version)
        won = 303 if race.form else (201 if race.first and 201 in counts else 200)
        assert counts == Counter({won: 1, 409: SAVES - 1}), (race.name, counts, odd[:1])
        assert _audit(sessions) == before + race.audit, race.name
        assert race.version() == (version + 1 if version else 1), race.name


def test_the_races_cover_every_kind_the_api_edits():
    """The kinds of record raced above, against the API's edits of a stored record (its PATCH
    and PUT routes): a new one fails here until it is raced."""
    app = create_app(Settings(database_url="sqlite://"))
    edits = sorted(
        path
        for method, path in app_routes(app)
        if path.startswith("/api/") and method in ("PATCH", "PUT")
    )
    raced = {  # each route, and the kind of KINDS whose rounds race it
        "/api/v1/plans/{plan_id}": "plans-and-budget",
        "/api/v1/lines/{line_id}": "plans-and-budget",
        "/api/v1/plans/{plan_id}/spend/lines/{line_ref}/{quarter}": "spend",
        "/api/v1/delivery/actions/{action_id}": "delivery",
        "/api/v1/delivery/actions/{action_id}/updates/{period}": "delivery",
        "/api/v1/areas/{gss_code}/metrics/{key}/commentary/{period}": "chart-and-commentary",
        "/api/v1/areas/{gss_code}/metrics/{key}/rebases/{rebase_id}": "chart-and-commentary",
        "/api/v1/areas/{gss_code}/metrics/{key}/annotations/{annotation_id}": (
            "chart-and-commentary"
        ),
        "/api/v1/areas/{gss_code}/metrics/{key}/baseline": "baseline",
        "/api/v1/plans/{plan_id}/narrative/{heading}": "narrative",
        "/api/v1/finance/{finance_id}/lines/{line}": "finance-and-capacity",
        "/api/v1/capacity/models/{model_id}": "finance-and-capacity",
        "/api/v1/finance/allocations/{allocation_id}": "finance-and-capacity",
        "/api/v1/plans/{plan_id}/pledges/{ref}": "pledges",
        "/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}": "pledges",
        "/api/v1/areas/{gss_code}": "areas",
        "/api/v1/assurance/plans/{plan_id}": "assurance",
        # a whole budget replaced from a document, as an upload is: not one record's edit
        "/api/v1/plans/{plan_id}/budget": None,
        # a measure's definition: raced as the measure's latest value, the same row and version
        "/api/v1/plans/{plan_id}/pledges/{ref}/measures/{measure_ref}/definition": None,
    }
    assert {kind for kind in raced.values() if kind} <= set(KINDS)
    assert sorted(raced) == edits


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_save_without_its_version_is_refused_naming_it(engine, sessions, world, kind):
    """Every edit raced above, first saves included, sent without the version it started from:
    refused naming `version` (the API's 422 for a field missing from the body, in the error
    shape; a page's 400), and nothing written."""
    app = create_app(Settings(database_url=str(engine.url)), engine=engine)
    for race in KINDS[kind](sessions, world):
        client = TestClient(app, base_url="https://testserver")
        body = {k: v for k, v in race.body(1, race.version()).items() if k != "version"}
        before = _audit(sessions)
        if race.form:
            csrf = _signed_in(client, race.who)
            before = _audit(sessions)  # signing in is audited
            answer = client.post(race.url, data={**body, "csrf_token": csrf})
            assert answer.status_code == 400, (race.name, answer.status_code)
            assert "which version of the record it was opened at" in answer.text, race.name
        else:
            with unit_of_work(sessions) as s:
                token, _ = people.create_token(s, actor_for(s, race.who), "refused")
            before = _audit(sessions)
            answer = client.request(
                race.method, race.url, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 422, (race.name, answer.text)
            assert answer.json()["error"]["field"] == "version", race.name
            assert answer.json()["error"]["message"] == "version is required", race.name
        assert _audit(sessions) == before, race.name
