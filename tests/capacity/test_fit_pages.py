"""Fitting a service's length of stay on the pages: upload observed stays, see both fits with
their chart, table and CSV, confirm one into the model (version-checked, audited); bad files are
refused naming the row, nothing written; only the model's editors may fit. And the trial run on
the model page."""

from __future__ import annotations

import csv
import io
import math
import re
import statistics

import numpy as np
import pytest
import yaml
from sqlalchemy import select

from placeplan.capacity import service as capacity
from placeplan.capacity.models import CapacityModel
from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.capacity.test_service import SMALL
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

# 60 seeded stays, lognormal (log-mean 1.5, log-sd 0.5: a mean of about 5 days)
STAYS = np.round(np.random.default_rng(13).lognormal(1.5, 0.5, 60), 2)


def stays_csv(values: list[str] | None = None) -> bytes:
    rows = values if values is not None else [f"{v:g}" for v in STAYS]
    return "\n".join(["Length of stay (days)", *rows]).encode()


@pytest.fixture
def model_id(sessions, world) -> int:
    with unit_of_work(sessions) as s:
        return capacity.create_model(s, operator(), world.plan_id, "Base", SMALL).id


def upload(b, model_id: int, content: bytes, service: str = "P2"):
    b.get(f"/capacity/{model_id}/stays")
    return b.client.post(
        f"/capacity/{model_id}/stays",
        data={"csrf_token": b.token, "service": service},
        files={"stays": ("ward stays.csv", content, "text/csv")},
        follow_redirects=False,
    )


def form_action(html: str) -> str:
    """The confirmation form's address (the held file's own)."""
    found = re.search(r'<form method="post" action="(/capacity/\d+/stays/[^"]+)"', html)
    assert found is not None, html[:800]
    return found[1]


def stored(sessions, model_id: int) -> CapacityModel:
    with sessions() as s:
        model = s.get(CapacityModel, model_id)
        assert model is not None
        s.expunge(model)
        return model


def fit_events(sessions, model_id: int) -> list[AuditEvent]:
    with sessions() as s:
        return list(
            s.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity_kind == "capacity_model",
                    AuditEvent.entity_id == model_id,
                    AuditEvent.action == "fit_length_of_stay",
                )
            )
        )


def test_upload_preview_then_confirm_a_fit(browser, sessions, model_id):
    b = browser("county-editor")
    before = stored(sessions, model_id)
    shown = upload(b, model_id, stays_csv())
    assert shown.status_code == 200, shown.text[:800]
    assert "Lognormal" in shown.text and "Gamma" in shown.text
    assert "Kolmogorov-Smirnov statistic" in shown.text and "<svg" in shown.text
    # the closed-form lognormal MLE of the same stays, computed here: shown to 2 places
    logs = [math.log(v) for v in STAYS]
    mu, sigma = statistics.fmean(logs), statistics.pstdev(logs)
    mean = math.exp(mu + sigma**2 / 2)
    assert f"{mean:.2f}" in shown.text
    assert stored(sessions, model_id).version == before.version  # nothing written yet
    action = form_action(shown.text)
    # the table beside the chart, as CSV: the observed share at 0 days is 0 and at the top 1
    table = list(csv.reader(io.StringIO(b.get(action + "?format=csv").text)))
    assert table[0] == ["days", "observed_share_at_most", "lognormal_cdf", "gamma_cdf"]
    assert float(table[1][1]) == 0.0 and float(table[-1][1]) == 1.0
    done = b.post(action, {"fit": "lognormal", "version": str(before.version)})
    assert done.status_code == 303 and done.headers["location"] == f"/capacity/{model_id}"
    after = stored(sessions, model_id)
    los = yaml.safe_load(after.scenario_yaml)["services"][0]["length_of_stay"]
    assert los == {
        "distribution": "lognormal",
        "mean": float(f"{mean:.4g}"),
        "sd": float(f"{mean * math.sqrt(math.expm1(sigma**2)):.4g}"),
    }
    assert "fitted by maximum likelihood to 60 observed stays (ward stays.csv)" in (
        after.scenario_yaml
    )
    assert after.version == before.version + 1
    [event] = fit_events(sessions, model_id)
    assert event.after is not None and event.after["observations"] == 60
    # the audit history reads it in words
    history = b.get("/audit").text
    assert "fitted a length of stay for" in history and "ward stays.csv" in history
    # the preview is spent
    assert b.get(action).status_code == 404


def test_a_stale_confirmation_is_refused_and_nothing_written(browser, sessions, model_id):
    b = browser("county-editor")
    shown = upload(b, model_id, stays_csv())
    action = form_action(shown.text)
    version = stored(sessions, model_id).version
    with unit_of_work(sessions) as s:  # someone else renames the model meanwhile
        capacity.update_model(s, operator(), model_id, version, name="Renamed")
    answer = b.post(action, {"fit": "gamma", "version": str(version)})
    assert answer.status_code == 409
    assert "Someone else changed this model" in answer.text
    model = stored(sessions, model_id)
    assert model.scenario_yaml == SMALL and fit_events(sessions, model_id) == []
    # confirming again from the page shown (it carries the current version) goes ahead
    again = b.post(action, {"fit": "gamma", "version": str(model.version)})
    assert again.status_code == 303
    assert "distribution: gamma" in stored(sessions, model_id).scenario_yaml


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            [*(f"{v:g}" for v in STAYS[:9]), "about a week", *(f"{v:g}" for v in STAYS[9:])],
            "Row 11",
        ),
        ([*(f"{v:g}" for v in STAYS[:3]), "-4", *(f"{v:g}" for v in STAYS[3:])], "Row 5"),
        ([f"{v:g}" for v in STAYS[:29]], "at least 30"),
    ],
)
def test_a_bad_file_is_refused_naming_the_row(browser, sessions, model_id, rows, said):
    b = browser("county-editor")
    answer = upload(b, model_id, stays_csv(rows))
    assert answer.status_code == 400
    assert said in answer.text and "Nothing was changed" in answer.text
    assert stored(sessions, model_id).scenario_yaml == SMALL


def test_only_the_models_editors_may_fit(browser, model_id):
    viewer = browser("county-viewer")
    assert viewer.get(f"/capacity/{model_id}/stays").status_code == 403
    assert upload(viewer, model_id, stays_csv()).status_code == 403


def test_the_trial_run_shows_on_the_model_page(browser, model_id):
    b = browser("county-editor")
    page = b.get(f"/capacity/{model_id}?trial=yes&replications=2000")
    assert page.status_code == 200
    assert "Suggested warm-up:" in page.text and "A full run of 2,000 replications" in page.text
    assert page.text.index('id="trial-result"') < page.text.index('id="run"')
    assert browser("county-viewer").get(f"/capacity/{model_id}?trial=yes").status_code == 403


def test_the_api_previews_confirms_and_refuses_as_the_pages_do(client, sessions, model_id):
    """The JSON twin: the same fits (the closed-form lognormal MLE computed here), the same
    refusal naming the row, a stale version refused with 409, then a confirmation; and the trial
    run's estimate."""
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/capacity/models/{model_id}/stays?service=P2"
    bad = [*(f"{v:g}" for v in STAYS[:3]), "-4", *(f"{v:g}" for v in STAYS[3:])]
    refused = client.post(url, files={"file": ("ward.csv", stays_csv(bad))}, headers=auth)
    assert refused.status_code == 400
    assert refused.json()["error"] == {
        "message": "a length of stay cannot be negative, got -4",
        "field": "days",
        "file": "ward.csv",
        "row": 5,
    }
    shown = client.post(url, files={"file": ("ward.csv", stays_csv())}, headers=auth)
    assert shown.status_code == 200, shown.text
    got = shown.json()
    logs = [math.log(v) for v in STAYS]
    mu, sigma = statistics.fmean(logs), statistics.pstdev(logs)
    assert got["observations"] == 60 and got["service_name"]
    assert got["fits"]["lognormal"]["parameters"]["mu"] == pytest.approx(mu, rel=1e-9)
    assert got["fits"]["lognormal"]["parameters"]["sigma"] == pytest.approx(sigma, rel=1e-9)
    version = got["model_version"]
    assert stored(sessions, model_id).version == version  # nothing written by the preview
    stale = client.post(
        got["confirm_url"], json={"fit": "gamma", "version": version - 1}, headers=auth
    )
    assert stale.status_code == 409 and stored(sessions, model_id).scenario_yaml == SMALL
    done = client.post(
        got["confirm_url"], json={"fit": "lognormal", "version": version}, headers=auth
    )
    assert done.status_code == 200, done.text
    assert done.json()["version"] == version + 1
    assert "distribution: lognormal" in stored(sessions, model_id).scenario_yaml
    trial = client.get(f"/api/v1/capacity/models/{model_id}/trial?replications=2000", headers=auth)
    assert trial.status_code == 200, trial.text
    t = trial.json()
    assert t["full_replications"] == 2000 and t["estimated_seconds"] > 0
    assert [s["service_name"] for s in t["services"]]
