"""Building and changing a capacity model on forms: who may, what the pages show, what a save
stores (the scenario's YAML, audited, versioned) and how a refusal is shown."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from sqlalchemy import select

from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityModel
from placeplan.core.actor import operator
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.capacity.conftest import DEMO

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

P2 = "bedded discharge to assess (therapy-led D2A and community hospital therapy beds)"


@pytest.fixture
def model_id(sessions, world) -> int:
    with unit_of_work(sessions) as s:
        text = DEMO.read_text(encoding="utf-8")
        return capacity.create_model(s, operator(), world.plan_id, "LLR", text).id


def stored(sessions, model_id: int) -> tuple[dict, int]:
    with unit_of_work(sessions) as s:
        model = s.get(CapacityModel, model_id)
        return yaml.safe_load(model.scenario_yaml), model.version


def form_of(page: str) -> dict[str, str]:
    """What a browser would send from the page's form as it is shown: text inputs, the checked
    radios and boxes, the selected options, the text areas."""
    sent: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name:
            continue
        if 'type="radio"' in tag or 'type="checkbox"' in tag:
            if " checked" not in tag:
                continue
            if name[1] in sent and name[1] == "surge_months":
                sent[name[1]] += "," + html.unescape(value[1] if value else "")
                continue
        sent[name[1]] = html.unescape(value[1] if value else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        sent[name] = html.unescape(chosen[1]) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        sent[name] = html.unescape(body)
    return sent


def post(ed, url: str, fields: dict[str, str]):
    """A form post, with the surge's months as the several values a browser sends."""
    data: dict[str, str | list[str]] = {k: v for k, v in fields.items() if k != "surge_months"}
    data["surge_months"] = [m for m in fields.get("surge_months", "").split(",") if m]
    ed.get(url)  # the CSRF token of this page
    data["csrf_token"] = ed.token
    return ed.client.post(url, data=data, follow_redirects=False)


def test_the_services_are_listed_by_name_and_a_viewer_may_not_change_them(browser, model_id):
    viewer = browser("county-viewer")
    page = viewer.get(f"/capacity/{model_id}/scenario")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Bedded discharge to assess" in text and "HART reablement at home" in text
    assert "5.1 people a day" in text and "64 places; 20 more in December 2025" in text
    assert "Temporary residential care placement" in text and "/services/P2" not in text
    assert viewer.get(f"/capacity/{model_id}/services/P2").status_code == 403
    assert viewer.post(f"/capacity/{model_id}/services/P2", {"version": "1"}).status_code == 403
    assert browser().get(f"/capacity/{model_id}/scenario").status_code == 404  # a draft plan


def test_an_editor_changes_p2_s_capacity_by_month_on_its_form(browser, sessions, model_id):
    ed = browser("county-editor")
    page = ed.get(f"/capacity/{model_id}/services/P2")
    assert page.status_code == 200
    assert '<label class="nhsuk-label" for="capacity_4">July 2025 (capacity)</label>' in page.text
    fields = form_of(page.text)
    assert fields["capacity"] == "64" and fields["onward-P3"] == "10"
    steps = [64, 64, 64, 75, 86, 97, 108, 119, 130, 141, 152, 152]  # the demo notes' example
    fields |= {"capacity_by": "month"} | {f"capacity_{i + 1}": str(v) for i, v in enumerate(steps)}
    saved = post(ed, f"/capacity/{model_id}/services/P2", fields)
    assert saved.status_code == 303, saved.text
    data, version = stored(sessions, model_id)
    assert data["services"][1]["capacity"] == steps and version == 2
    # the rest of the service and of the model are as they were
    before = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    before["services"][1]["capacity"] = steps
    assert data == before
    shown = html.unescape(ed.get(f"/capacity/{model_id}/scenario").text)
    assert "64 to 152 places by month; 20 more in December 2025" in shown
    with unit_of_work(sessions) as s:
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_kind == "capacity_model", AuditEvent.action == "update"
            )
        ).all()
        assert len(events) == 1 and "capacity: [64, 64, 64, 75" in events[0].after["scenario_yaml"]


def test_a_bad_month_is_refused_at_its_field_keeping_what_was_typed(browser, sessions, model_id):
    ed = browser("county-editor")
    fields = form_of(ed.get(f"/capacity/{model_id}/services/P2").text)
    fields |= {"capacity_by": "month"} | {f"capacity_{i}": "64" for i in range(1, 13)}
    fields["capacity_4"] = "-5"
    refused = post(ed, f"/capacity/{model_id}/services/P2", fields)
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert '<a href="#capacity_4">Capacity in July 2025 must be at least 0, got -5</a>' in text
    assert 'id="capacity_4-error"' in text and 'value="-5"' in text
    assert stored(sessions, model_id)[1] == 1  # nothing saved


def test_a_stale_save_is_409_keeping_what_was_typed(browser, sessions, model_id):
    ed = browser("county-editor")
    fields = form_of(ed.get(f"/capacity/{model_id}/services/P3").text)
    assert (
        post(ed, f"/capacity/{model_id}/services/P3", fields | {"capacity": "50"}).status_code
        == 303
    )
    stale = post(ed, f"/capacity/{model_id}/services/P3", fields | {"capacity": "55"})
    assert stale.status_code == 409
    assert "Someone else changed this model" in stale.text and 'value="55"' in stale.text
    assert 'name="version" value="2"' in stale.text
    assert stored(sessions, model_id)[0]["services"][2]["capacity"] == 50


def test_add_and_remove_a_service_and_an_interim_option(browser, sessions, model_id):
    ed = browser("county-editor")
    new = form_of(ed.get(f"/capacity/{model_id}/services/new").text)
    new |= {
        "service_name": "urgent community response",
        "source": "step_up",
        "arrivals": "3",
        "los_distribution": "exponential",
        "los_mean": "2",
        "capacity": "10",
    }
    added = post(ed, f"/capacity/{model_id}/services/new", new)
    assert added.status_code == 303, html.unescape(added.text)[:3000]
    data, _ = stored(sessions, model_id)
    assert data["services"][-1] == {
        "id": "urgent-community-response",
        "name": "urgent community response",
        "kind": "beds",
        "source": "step_up",
        "arrivals_per_day": 3,
        "length_of_stay": {"distribution": "exponential", "mean": 2},
        "capacity": 10,
    }
    # P2 routes 10% on to P3: removing P3 removes the route, and says so first
    asked = ed.get(f"/capacity/{model_id}/services/P3/remove")
    assert "People routed to it from bedded discharge to assess" in html.unescape(asked.text)
    assert (
        post(ed, f"/capacity/{model_id}/services/P3/remove", form_of(asked.text)).status_code == 303
    )
    data, _ = stored(sessions, model_id)
    assert "P3" not in [s["id"] for s in data["services"]] and "onward" not in data["services"][1]
    # an interim option used when full cannot go; a new one can be added and removed
    used = ed.get(f"/capacity/{model_id}/interim/temporary_residential_place/remove")
    refused = post(
        ed, f"/capacity/{model_id}/interim/temporary_residential_place/remove", form_of(used.text)
    )
    assert refused.status_code == 400 and 'href="#remove"' in refused.text
    hotel = form_of(ed.get(f"/capacity/{model_id}/interim/new").text)
    hotel |= {
        "interim_name": "care hotel",
        "interim_cost": "95",
        "arrange_distribution": "fixed",
        "arrange_mean": "2",
    }
    assert post(ed, f"/capacity/{model_id}/interim/new", hotel).status_code == 303
    data, _ = stored(sessions, model_id)
    assert data["interim"]["care-hotel"] == {
        "name": "care hotel",
        "cost_per_day": 95,
        "time_to_arrange": {"distribution": "fixed", "mean": 2},
    }
    assert list(data)[-1] == "services"


def test_the_settings_form_saves_and_refuses_at_its_field(browser, sessions, model_id):
    ed = browser("county-editor")
    fields = form_of(ed.get(f"/capacity/{model_id}/settings").text)
    assert fields["start_month"] == "4" and fields["start_year"] == "2025"
    bad = post(ed, f"/capacity/{model_id}/settings", fields | {"warm_up_days": "-1"})
    assert bad.status_code == 400
    assert '<a href="#warm_up_days">The warm-up must be at least 0, got -1</a>' in bad.text
    saved = post(ed, f"/capacity/{model_id}/settings", fields | {"acute_bed_day_cost": "500"})
    assert saved.status_code == 303
    data, _ = stored(sessions, model_id)
    assert data["acute_bed_day_cost"] == 500
    assert data["notes"] == yaml.safe_load(DEMO.read_text(encoding="utf-8"))["notes"]


def test_a_model_changed_on_forms_still_runs(browser, sessions, model_id):
    ed = browser("county-editor")
    fields = form_of(ed.get(f"/capacity/{model_id}/services/STEPUP").text)
    assert (
        post(ed, f"/capacity/{model_id}/services/STEPUP", fields | {"capacity": "30"}).status_code
        == 303
    )
    with unit_of_work(sessions) as s:
        run = capacity.run_model(s, operator(), model_id, 10, 1)
        assert run.results["services"]["STEPUP"]["name"] == "community step-up beds"


def test_a_model_built_on_forms_from_its_first_service(browser, sessions, world):
    ed = browser("county-editor")
    assert browser("county-viewer").get(f"/plans/{world.plan_id}/capacity/new").status_code == 403
    page = ed.get(f"/plans/{world.plan_id}/capacity/new")
    assert page.status_code == 200
    fields = form_of(page.text)
    refused = post(ed, f"/plans/{world.plan_id}/capacity/new", fields)
    assert (
        refused.status_code == 400 and '<a href="#name">Give the model a name</a>' in refused.text
    )
    fields |= {
        "name": "Winter",
        "start_month": "4",
        "start_year": "2025",
        "service_name": "community step-up beds",
        "code": "STEPUP",
        "source": "step_up",
        "arrivals": "1.5",
        "los_distribution": "exponential",
        "los_mean": "14",
        "capacity": "",
    }
    no_capacity = post(ed, f"/plans/{world.plan_id}/capacity/new", fields)
    # the schema's own refusal: a service of beds needs its capacity
    assert no_capacity.status_code == 400
    assert '<a href="#capacity">Capacity is required</a>' in no_capacity.text
    added = post(ed, f"/plans/{world.plan_id}/capacity/new", fields | {"capacity": "24"})
    assert added.status_code == 303
    model_id = int(added.headers["location"].split("/")[2])
    data, version = stored(sessions, model_id)
    # the demo's step-up beds (demo file), built on the form, with the form's 365 days and
    # 60-day warm-up
    demo = yaml.safe_load(DEMO.read_text(encoding="utf-8"))["services"][3]
    assert data == {
        "name": "Winter",
        "start": "2025-04",
        "days": 365,
        "warm_up_days": 60,
        "services": [{k: v for k, v in demo.items() if k != "cost_per_day"}],
    }
    assert version == 1
