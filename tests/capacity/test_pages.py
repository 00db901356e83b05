"""The capacity pages and API: who may do what, and what the pages show."""

from __future__ import annotations

import re
import time

import pytest

from placeplan.capacity import service as capacity
from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.capacity.test_runner_pages import wait_until_made
from tests.capacity.test_service import SMALL, small
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.fixture
def model_id(sessions, world) -> int:
    with unit_of_work(sessions) as s:
        return capacity.create_model(s, operator(), world.plan_id, "Base", SMALL).id


def two_runs(sessions, model_id) -> list[int]:
    with unit_of_work(sessions) as s:
        return [capacity.run_model(s, operator(), model_id, 20, seed).id for seed in (1, 2)]


def test_signed_out_sees_nothing_of_a_draft_plan(browser, sessions, world, model_id):
    a, b = two_runs(sessions, model_id)
    anon = browser()
    urls = [
        f"/plans/{world.plan_id}/capacity",
        f"/capacity/{model_id}",
        f"/capacity/{model_id}?format=csv",
        f"/plans/{world.plan_id}/capacity/compare?runs={a},{b}",
        f"/api/v1/plans/{world.plan_id}/capacity/models",
        f"/api/v1/capacity/models/{model_id}",
        f"/api/v1/capacity/runs/{a}",
        f"/api/v1/plans/{world.plan_id}/capacity/compare?runs={a},{b}",
    ]
    assert [anon.get(u).status_code for u in urls] == [404] * len(urls)
    posts = [
        anon.post(f"/plans/{world.plan_id}/capacity", {"name": "x", "source": "demo"}),
        anon.post(f"/capacity/{model_id}", {"name": "x", "scenario_yaml": SMALL, "version": "1"}),
        anon.post(f"/capacity/{model_id}/runs", {"replications": "10"}),
    ]
    assert [r.status_code for r in posts] == [404, 404, 404]


@pytest.mark.parametrize("user", ["county-viewer", "icb-approver"])  # read the draft, not run
def test_others_read_but_cannot_write(browser, sessions, world, model_id, user):
    a, b = two_runs(sessions, model_id)
    b_ = browser(user)
    page = b_.get(f"/capacity/{model_id}")
    assert page.status_code == 200 and "Run the model" not in page.text and "read only" in page.text
    assert b_.get(f"/plans/{world.plan_id}/capacity").status_code == 200
    assert b_.get(f"/plans/{world.plan_id}/capacity/compare?runs={a},{b}").status_code == 200
    posts = [
        b_.post(f"/plans/{world.plan_id}/capacity", {"name": "x", "source": "demo"}),
        b_.post(f"/capacity/{model_id}", {"name": "x", "scenario_yaml": SMALL, "version": "1"}),
        b_.post(f"/capacity/{model_id}/runs", {"replications": "10"}),
    ]
    assert [r.status_code for r in posts] == [403, 403, 403]


def sizing_section(text: str) -> str:
    """The sizing part of a model page, for a failing assertion to show."""
    start = text.find('id="sizing-body"')
    return text[start : start + 3000] if start >= 0 else text[:3000]


def sized(ed, url: str, params: dict[str, str], timeout: float = 60.0):
    """Ask for a sizing as the form does and follow its page, as its script does, until the
    answer (or the refusal) is shown."""
    asked = ed.get(url, params=params)
    if asked.status_code != 303:
        return asked  # refused at once
    follow = asked.headers["location"].split("#")[0]
    deadline = time.monotonic() + timeout
    while True:
        page = ed.get(follow)
        if page.status_code != 200 or 'data-done="true"' in page.text:
            return page
        assert 'id="sizing-progress"' in page.text  # the progress is shown meanwhile
        assert time.monotonic() < deadline, "the sizing did not finish"
        time.sleep(0.05)


def test_editor_adds_runs_sizes_downloads_and_compares(browser, world):
    ed = browser("county-editor")
    listing = ed.get(f"/plans/{world.plan_id}/capacity")
    assert listing.status_code == 200 and "Add a model" in listing.text
    added = ed.post(
        f"/plans/{world.plan_id}/capacity",
        {"name": "Winter", "source": "pasted", "scenario_yaml": SMALL},
    )
    assert added.status_code == 303
    url = added.headers["location"]
    model_id = int(url.rsplit("/", 1)[1])
    assert "not been run yet" in ed.get(url).text
    for seed in ("1", "2"):
        ran = ed.post(f"{url}/runs", {"replications": "30", "seed": seed})
        assert ran.status_code == 303
        # runs are made in the background: wait for each before the next
        wait_until_made(ed.client, int(ran.headers["location"].rsplit("/", 1)[1]))
    page = ed.get(ran.headers["location"])
    assert page.status_code == 200
    assert "ran 30 replications (random seed 2)" in page.text
    assert "P2 by month" in page.text and "<svg" in page.text and "<polygon" in page.text
    assert "Predicted BCF discharge delay metric" in page.text
    # the chart of places needed against capacity names each mark in a legend
    for mark in ("places needed", "capacity", "mean occupancy", "95% of replications"):
        assert f">{mark}</text>" in page.text
    # the scenario starts in April 2025: its months are named with their year, in the table too
    assert re.search(r">Apr<tspan[^>]*>2025</tspan>", page.text)
    assert '<th scope="row" class="nhsuk-table__cell">Mar 2026</th>' in page.text
    csv = ed.get(f"{url}?format=csv").text.splitlines()
    assert csv[0].startswith("service,month,capacity") and len(csv) == 13
    sized_page = sized(ed, url, {"service_id": "P2", "target": "mean_wait_days<=0.5"})
    assert sized_page.status_code == 200 and "Capacity needed" in sized_page.text, sizing_section(
        sized_page.text
    )
    assert "Gap" in sized_page.text, sizing_section(sized_page.text)
    bad = sized(ed, url, {"service_id": "P2", "target": "nonsense"})
    assert bad.status_code == 400 and 'href="#measure"' in bad.text
    # a sizing page whose job the server no longer holds says so, and the form is there to ask
    gone = ed.get(f"{url}?sizing=not-a-job")
    assert gone.status_code == 404 and "no longer held" in gone.text and 'id="measure"' in gone.text
    # the form's target, picked from lists: "mean wait less than 2 days" is the example
    picked = sized(
        ed,
        url,
        {"service_id": "P2", "measure": "mean_wait_days", "comparison": "<", "value": "2"},
    )
    assert picked.status_code == 200 and "mean wait less than 2 days" in picked.text
    share = sized(
        ed,
        url,
        {
            "service_id": "P2",
            "measure": "p_start_within_2_days",
            "comparison": ">=",
            "value": "95",
        },
    )
    assert "share of people starting within 2 days at least 95%" in share.text
    wrong_way = sized(
        ed,
        url,
        {"service_id": "P2", "measure": "mean_wait_days", "comparison": ">", "value": "2"},
    )
    assert wrong_way.status_code == 400 and 'href="#comparison"' in wrong_way.text
    not_number = sized(
        ed,
        url,
        {"service_id": "P2", "measure": "mean_wait_days", "comparison": "<", "value": "two"},
    )
    assert not_number.status_code == 400 and "&#39;two&#39; is not a number" in not_number.text
    listing = ed.get(f"/plans/{world.plan_id}/capacity").text
    assert "Compare side by side" in listing
    run_ids = [int(x) for x in re.findall(r'name="run" type="checkbox" value="(\d+)"', listing)]
    compared = ed.get(f"/plans/{world.plan_id}/capacity/compare?runs={run_ids[0]},{run_ids[1]}")
    # services by their names (this model's P2 has none but its id), with acute delays and
    # interim care side by side
    assert compared.status_code == 200 and ">P2</caption>" in compared.text
    assert "Interim placements a month" in compared.text and "Interim days a month" in compared.text
    saved = ed.post(url, {"name": "Winter", "scenario_yaml": small(capacity=30), "version": "1"})
    assert saved.status_code == 303
    assert model_id


def test_demo_source_and_bad_yaml(browser, world):
    ed = browser("county-editor")
    added = ed.post(f"/plans/{world.plan_id}/capacity", {"name": "LLR", "source": "demo"})
    assert added.status_code == 303
    page = ed.get(added.headers["location"]).text
    assert "HART reablement" in page
    bad = ed.post(
        f"/plans/{world.plan_id}/capacity",
        {"name": "Bad", "source": "pasted", "scenario_yaml": small(arrivals_per_day=-2)},
    )
    assert bad.status_code == 400
    assert "services[0].arrivals_per_day" in bad.text and "arrivals_per_day: -2" in bad.text


def test_a_stale_save_is_409_keeping_what_was_typed(browser, world, model_id):
    ed = browser("county-editor")
    first = ed.post(
        f"/capacity/{model_id}", {"name": "One", "scenario_yaml": SMALL, "version": "1"}
    )
    assert first.status_code == 303
    mine = small(capacity=31)
    stale = ed.post(f"/capacity/{model_id}", {"name": "Two", "scenario_yaml": mine, "version": "1"})
    assert stale.status_code == 409
    assert "capacity: 31" in stale.text and 'value="Two"' in stale.text
    assert 'name="version" value="2"' in stale.text


@pytest.mark.parametrize("user", [None, "county-viewer", "county-editor"])
def test_api(client, sessions, world, model_id, user):
    headers = {}
    if user:
        with unit_of_work(sessions) as s:
            token, _ = people.create_token(s, actor_for(s, user), "t")
        headers = {"Authorization": f"Bearer {token}"}
    created = client.post(
        f"/api/v1/plans/{world.plan_id}/capacity/models",
        json={"name": "API", "scenario_yaml": SMALL},
        headers=headers,
    )
    patched = client.patch(
        f"/api/v1/capacity/models/{model_id}", json={"version": 1, "name": "B"}, headers=headers
    )
    ran = client.post(
        f"/api/v1/capacity/models/{model_id}/runs",
        json={"replications": 20, "seed": 5},
        headers=headers,
    )
    codes = [created.status_code, patched.status_code, ran.status_code]
    if user is None:
        assert codes == [401, 401, 401]
        return
    if user == "county-viewer":
        assert codes == [403, 403, 403]
        return
    assert codes == [201, 200, 201], [r.text for r in (created, patched, ran)]
    run = wait_until_made(client, ran.json()["id"], headers)  # made in the background
    assert run["results"]["services"]["P2"]["monthly"][0]["month"] == "2025-04"
    assert client.get(f"/api/v1/capacity/runs/{run['id']}", headers=headers).json()["seed"] == 5
    listing = client.get(f"/api/v1/plans/{world.plan_id}/capacity/models", headers=headers)
    assert sorted(m["name"] for m in listing.json()["models"]) == ["API", "B"]
    stale = client.patch(
        f"/api/v1/capacity/models/{model_id}", json={"version": 1, "name": "C"}, headers=headers
    )
    assert stale.status_code == 409 and stale.json()["error"]["current_version"] == 2
    sized = client.get(
        f"/api/v1/capacity/models/{model_id}/size",
        params={"service_id": "P2", "target": "mean_wait_days<=0.5", "replications": 20},
        headers=headers,
    )
    assert sized.status_code == 200 and sized.json()["capacity_now"] == 22
    second = client.post(
        f"/api/v1/capacity/models/{model_id}/runs", json={"replications": 20}, headers=headers
    ).json()
    wait_until_made(client, second["id"], headers)
    compared = client.get(
        f"/api/v1/plans/{world.plan_id}/capacity/compare",
        params={"runs": f"{run['id']},{second['id']}"},
        headers=headers,
    )
    assert compared.status_code == 200
    assert len(compared.json()["services"]["P2"]["mean_wait_days"]) == 2


def test_the_cheapest_capacity_page_csv_and_api(browser, world, model_id):
    viewer = browser("county-viewer")
    page = viewer.get(f"/capacity/{model_id}?cheapest=P2")
    assert page.status_code == 200
    assert "Cheapest capacity" in page.text and "Cost against capacity" in page.text
    assert "<svg" in page.text and "(cheapest)" in page.text
    rows = viewer.get(f"/capacity/{model_id}?format=csv&cheapest=P2").text.splitlines()
    assert rows[0].startswith("capacity,capacity_cost_pence") and len(rows) > 5
    months = viewer.get(f"/capacity/{model_id}?format=csv&table=months&cheapest=P2").text
    assert len(months.splitlines()) == 13
    api = viewer.client.get(
        f"/api/v1/capacity/models/{model_id}/cheapest?service_id=P2&replications=20"
    ).json()
    # the optimum is the capacity of least mean total cost among those tried
    totals = {tuple(p["capacity"]): p["total_cost_pence"]["value"] for p in api["points"]}
    assert totals[tuple(api["optimum"]["capacity"])] == min(totals.values())
    assert viewer.get(f"/capacity/{model_id}?cheapest=NOPE").status_code == 400
