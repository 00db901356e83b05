"""Capacity runs made in the background: the run page, its status API, fan charts, the predicted
metric on the plan's metrics page, and who may see each of the routes."""

from __future__ import annotations

import time
from typing import Any

import pytest

from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityRun
from placeplan.capacity.service.runner import runner_for
from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.store.changes import update_recorded
from placeplan.store.uow import unit_of_work
from tests.capacity.test_service import SMALL
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

STATUS_KEYS = {
    "id",
    "model_id",
    "replications",
    "seed",
    "status",
    "progress",
    "error",
    "started_at",
    "finished_at",
    "elapsed_seconds",
}


def wait_until_made(
    client: Any, run_id: int, headers: dict[str, str] | None = None, timeout: float = 60.0
) -> dict[str, Any]:
    """Poll the run's status API, as the page does, until it is finished or failed."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/v1/capacity/runs/{run_id}", headers=headers or {}).json()
        if body["status"] in ("finished", "failed"):
            return dict(body)
        assert time.monotonic() < deadline, f"run {run_id} still {body['status']}"
        time.sleep(0.05)


@pytest.fixture
def model_id(sessions, world) -> int:
    with unit_of_work(sessions) as s:
        return capacity.create_model(s, operator(), world.plan_id, "Base", SMALL).id


def test_a_run_from_the_page_is_queued_then_made_in_the_background(browser, app, model_id):
    ed = browser("county-editor")
    ran = ed.post(f"/capacity/{model_id}/runs", {"replications": "40", "seed": "3"})
    assert ran.status_code == 303
    url = ran.headers["location"]
    run_id = int(url.rsplit("/", 1)[1])
    assert url == f"/capacity/runs/{run_id}"
    # straight after the post the run is queued or running (or, on a quick machine, made): the
    # page says which, with a progress bar while it is not yet made
    first = ed.get(url)
    assert first.status_code == 200
    assert 'aria-live="polite"' in first.text
    if "Status: <strong" in first.text and ("Queued" in first.text or "Running" in first.text):
        assert '<progress id="run-progress" max="40"' in first.text
        assert 'for="run-progress"' in first.text
    status = wait_until_made(ed.client, run_id)
    assert set(status) >= STATUS_KEYS and status["status"] == "finished"
    # progress of a made run: all 40 replications (the number asked for)
    assert status["progress"] == {"done": 40, "total": 40, "fraction": 1.0}
    assert status["error"] is None and status["results"]["replications"] == 40
    page = ed.get(url)
    assert "Finished" in page.text and "<progress" not in page.text
    assert "ran 40 replications (random seed 3)" in page.text
    # fan charts with their tables and CSV
    assert 'class="pp-fan-chart"' in page.text and "P2: places occupied by month" in page.text
    assert "P2: people waiting by month across replications" in page.text
    fan = ed.get(f"{url}?format=csv&table=fan").text.splitlines()
    assert fan[0] == "service,measure,month,p2_5,p25,p50,p75,p97_5"
    assert len(fan) == 1 + 2 * 12  # P2's occupancy and queue, 12 months each (SMALL: 365 days)
    monthly = ed.get(f"{url}?format=csv").text.splitlines()
    assert monthly[0].startswith("service,month,capacity") and len(monthly) == 13
    # the waiting time distribution: a chart, its table and CSV (SMALL: 5 a day x 4 days = 20
    # places needed of 22, so the queue is stable and the distribution is shown)
    assert "P2: share of people starting within each number of days of being ready" in page.text
    waits = ed.get(f"{url}?format=csv&table=waits").text.splitlines()
    assert waits[0] == "service,within_days,share,low,high,p2_5,p97_5"
    assert [row.split(",")[1] for row in waits[1:]] == ["0.5", "1.0", "2.0", "7.0", "14.0", "28.0"]
    # the model page shows the made run's results too
    assert "ran 40 replications (random seed 3)" in ed.get(f"/capacity/{model_id}").text


def test_the_status_api_while_queued(client, sessions, world, model_id):
    """A queued run's status shape: progress 0 of its replications, no results, no error."""
    with unit_of_work(sessions) as s:
        run_id = capacity.queue_run(s, operator(), model_id, 25, 1).id
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-viewer"), "t")
    body = client.get(
        f"/api/v1/capacity/runs/{run_id}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert set(body) >= STATUS_KEYS
    assert body["status"] == "queued" and body["results"] is None and body["error"] is None
    assert body["progress"] == {"done": 0, "total": 25, "fraction": 0.0}


def test_a_queued_run_page_shows_a_labelled_progress_bar(browser, sessions, model_id):
    with unit_of_work(sessions) as s:
        run_id = capacity.queue_run(s, operator(), model_id, 25, 1).id
    page = browser("county-viewer").get(f"/capacity/runs/{run_id}")
    assert page.status_code == 200 and "Queued" in page.text
    assert '<label class="nhsuk-label" for="run-progress" id="run-progress-label">0 of 25' in (
        page.text
    )
    assert '<progress id="run-progress" max="25" value="0"' in page.text


def test_a_failed_run_shows_why(browser, app, sessions, model_id):
    with unit_of_work(sessions) as s:
        row = capacity.queue_run(s, operator(), model_id, 10, 1)
        # a run queued from a scenario the engine now refuses (a rate of -1)
        update_recorded(
            s,
            operator(),
            "capacity_run",
            row,
            {"scenario_yaml": SMALL.replace("arrivals_per_day: 5", "arrivals_per_day: -1")},
        )
        run_id = row.id
    runner_for(app).submit(run_id, 10, operator())
    runner_for(app).wait(run_id, timeout=60)
    ed = browser("county-editor")
    status = wait_until_made(ed.client, run_id)
    assert status["status"] == "failed" and status["results"] is None
    assert "services[0].arrivals_per_day" in status["error"]
    page = ed.get(f"/capacity/runs/{run_id}")
    assert "The run failed" in page.text and "services[0].arrivals_per_day" in page.text
    assert ed.get(f"/capacity/runs/{run_id}?format=csv").status_code == 400
    assert f"Run {run_id} failed" in ed.get(f"/capacity/{model_id}").text


def test_the_plan_metrics_page_shows_the_predicted_metric(browser, sessions, world, model_id):
    with unit_of_work(sessions) as s:
        run = capacity.run_model(s, operator(), model_id, 30, 2)
        run_id, dm = run.id, (run.results or {})["discharge_metric"]
    ed = browser("county-viewer")
    page = ed.get(f"/plans/{world.plan_id}/metrics")
    assert page.status_code == 200
    assert f"Capacity model Base, run {run_id}" in page.text
    assert f"{dm['average_delay_days']['value']:.2f}" in page.text
    rows = ed.get(f"/plans/{world.plan_id}/capacity/predicted?format=csv").text.splitlines()
    assert rows[0].startswith("model_id,model,run_id") and len(rows) == 2
    api = ed.client.get(f"/api/v1/plans/{world.plan_id}/capacity/predicted").json()
    assert [p["run_id"] for p in api["predicted"]] == [run_id]


def test_permissions_of_the_run_routes(browser, client, sessions, world, model_id):
    with unit_of_work(sessions) as s:
        run_id = capacity.run_model(s, operator(), model_id, 20, 1).id
    urls = [
        f"/capacity/runs/{run_id}",
        f"/capacity/runs/{run_id}?format=csv",
        f"/capacity/runs/{run_id}?format=csv&table=fan",
        f"/plans/{world.plan_id}/capacity/predicted?format=csv",
        f"/api/v1/capacity/runs/{run_id}?results=false",
        f"/api/v1/plans/{world.plan_id}/capacity/predicted",
    ]
    # the plan is a draft: signed out, it and its runs do not exist
    anon = browser()
    assert [anon.get(u).status_code for u in urls] == [404] * len(urls)
    for user in ("county-viewer", "icb-viewer", "county-editor"):
        b = browser(user)
        assert [b.get(u).status_code for u in urls] == [200] * len(urls), user
    # starting a run: editors of the plan only; the API needs a token or the CSRF header
    for user, code in (("county-viewer", 403), ("city-editor", 404), ("county-editor", 303)):
        assert (
            browser(user).post(f"/capacity/{model_id}/runs", {"replications": "5"}).status_code
            == code
        )
    assert client.post(f"/api/v1/capacity/models/{model_id}/runs", json={}).status_code == 401
    with unit_of_work(sessions) as s:
        viewer, _ = people.create_token(s, actor_for(s, "county-viewer"), "v")
        editor, _ = people.create_token(s, actor_for(s, "county-editor"), "e")
    as_viewer = client.post(
        f"/api/v1/capacity/models/{model_id}/runs",
        json={"replications": 5},
        headers={"Authorization": f"Bearer {viewer}"},
    )
    assert as_viewer.status_code == 403
    as_editor = client.post(
        f"/api/v1/capacity/models/{model_id}/runs",
        json={"replications": 5},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert as_editor.status_code == 201 and as_editor.json()["status"] in (
        "queued",
        "running",
        "finished",
    )
    made = wait_until_made(client, as_editor.json()["id"], {"Authorization": f"Bearer {editor}"})
    assert made["status"] == "finished"


def test_a_run_row_is_audited_queued_running_finished(browser, sessions, model_id):
    from sqlalchemy import select

    from placeplan.store.audit import AuditEvent

    ed = browser("county-editor")
    ran = ed.post(f"/capacity/{model_id}/runs", {"replications": "10", "seed": "1"})
    run_id = int(ran.headers["location"].rsplit("/", 1)[1])
    wait_until_made(ed.client, run_id)
    with sessions() as s:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_kind == "capacity_run", AuditEvent.entity_id == run_id)
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.after or {}).get("status") for e in events] == ["queued", "running", "finished"]
        assert len({e.action_id for e in events}) == 1  # one user action
        assert s.get(CapacityRun, run_id).status == "finished"


def test_only_finished_runs_are_listed_and_compared(browser, sessions, world, model_id):
    with unit_of_work(sessions) as s:
        made = capacity.run_model(s, operator(), model_id, 10, 1).id
        queued = capacity.queue_run(s, operator(), model_id, 10, 2).id
    ed = browser("county-viewer")
    listing = ed.get(f"/plans/{world.plan_id}/capacity").text
    assert f"Run {made}:" in listing and f"run {queued}" not in listing
    compared = ed.client.get(
        f"/api/v1/plans/{world.plan_id}/capacity/compare", params={"runs": f"{made},{queued}"}
    )
    assert compared.status_code == 400
    assert f"run {queued} is queued" in compared.json()["error"]["message"]


TRUTHFUL = """\
name: two wards
start: 2025-04
days: 365
warm_up_days: 30
acute_discharges_per_day: 50
acute_bed_day_cost: 450
interim:
  temporary_place: {name: temporary residential placement, cost_per_day: 110,
                    time_to_arrange: {distribution: fixed, mean: 3}}
services:
  - id: P2
    name: bedded discharge to assess
    kind: beds
    arrivals_per_day: 1.2
    length_of_stay: {distribution: exponential, mean: 20}
    capacity: [30, 30, 30, 30, 30, 15, 30, 30, 30, 30, 30, 30]
    when_full: {interim: temporary_place}
  - id: WARD
    name: community ward
    kind: beds
    arrivals_per_day: 2
    length_of_stay: {distribution: exponential, mean: 10}
    capacity: 12
"""


def test_the_run_page_tells_what_each_delay_counts(browser, sessions, world):
    with unit_of_work(sessions) as s:
        model = capacity.create_model(s, operator(), world.plan_id, "Truthful", TRUTHFUL)
        run_id = capacity.run_model(s, operator(), model.id, 30, 1).id
    ed = browser("county-viewer")
    page = ed.get(f"/capacity/runs/{run_id}").text
    # plain names, not ids, head each service
    assert ">bedded discharge to assess</h3>" in page and ">community ward</h3>" in page
    assert "delayed bed days a month" in page and "interim days a month" in page
    assert "while temporary residential placement is arranged (fixed (mean 3 days))" in page
    # 20 a day of load on 12 places, waiting in acute beds: the metric has no steady figure
    assert "Grows without bound: no steady figure" in page
    # the fall from 30 to 15 places in September: the reading used, and utilisation over 100%
    assert "Closing places empty gradually (this run's reading" in page
    assert "Above 100% in 2025-09" in page and "keep their occupants" in page
    metrics = ed.get(f"/plans/{world.plan_id}/metrics").text
    assert "Grows without bound: no steady figure" in metrics
    assert "Interim days a month" in metrics


# Issue 18 item 11 on a care-at-home service: carers' slots cut from 75 to 37.5 a day (30 to 15
# packages of 2.5 visits) in September, read as a count that holds new starts, and a December
# surge of 5 packages.
HELD = """\
name: fewer carers
start: 2025-04
days: 365
warm_up_days: 60
services:
  - id: HOME
    name: reablement at home
    kind: visits
    arrivals_per_day: 1.2
    length_of_stay: {distribution: exponential, mean: 20}
    visit_slots_per_day: [75, 75, 75, 75, 75, 37.5, 75, 75, 75, 75, 75, 75]
    visits_per_day: 2.5
    surge: {months: ["2025-12"], extra: 5}
    when_capacity_falls: hold_new_starts
"""


def test_the_run_page_and_command_say_which_reading_of_a_fall_a_run_used(
    browser, sessions, world, tmp_path
):
    from click.testing import CliRunner

    from placeplan.capacity.cli import capacity as capacity_cli

    with unit_of_work(sessions) as s:
        model = capacity.create_model(s, operator(), world.plan_id, "Fewer carers", HELD)
        run_id = capacity.run_model(s, operator(), model.id, 30, 1).id
    page = browser("county-viewer").get(f"/capacity/runs/{run_id}").text
    assert "Capacity is a count that holds new starts (this run's reading" in page
    assert "the other is closing places empty gradually" in page
    # the 24 or so in care when September's count halves stay until they finish
    assert "Above 100% in 2025-09" in page and "nobody new starts while" in page
    assert "A surge on a care-at-home service adds packages" in page
    path = tmp_path / "held.yaml"
    path.write_text(HELD, encoding="utf-8")
    text = CliRunner().invoke(capacity_cli, ["run", str(path), "-n", "30"]).stdout
    assert "when capacity falls: capacity is a count that holds new starts" in text
    assert "utilisation above 100% in 2025-09" in text
    assert "adds packages (people cared for at once), not visit slots" in text
