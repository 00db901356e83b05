"""Uploading measurements through the pages and the API: preview (nothing written), confirm (a
notice saying what changed, on the metric's page of the area written), a stale preview answered
409 with the new differences, bad rows named, and who may upload what.

The figures are the demo's (demo/data/measures.yaml), as in service/test_previews.py: Leicester's
Housing Enablement Team referrals in 2021-22 (seed 001), 901 in all and 173 from the Bradgate
Mental Health Unit. CSV keeps 901 (unchanged), makes Bradgate 175 (changed) and adds 950 for
2022-23 (added), by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.demo.measures import load_demo_measures
from placeplan.measures import service
from placeplan.measures.models import Measurement
from placeplan.people import service as people
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

CSV = (
    "area_code,period,numerator,breakdown,breakdown_value\n"
    f"{LEICESTER},2021-22,901,,\n"
    f"{LEICESTER},2021-22,175,referral_source,Bradgate Mental Health Unit\n"
    f"{LEICESTER},2022-23,950,,\n"
).encode()
SUMMARY = "1 measurement changed, 1 measurement added"
IMPORT = "/metrics/het_referrals/import"


@pytest.fixture
def demo(sessions, world):
    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())
    return world


def counts(sessions) -> tuple[int, int]:
    with sessions() as s:
        return (
            int(s.scalar(select(func.count()).select_from(Measurement)) or 0),
            int(
                s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.entity_kind != "sign_in")
                )
                or 0
            ),
        )


def upload(b, content: bytes = CSV, name: str = "het.csv"):
    b.get(IMPORT)
    return b.client.post(
        IMPORT,
        data={"csrf_token": b.token},
        files={"measurements": (name, content, "text/csv")},
        follow_redirects=False,
    )


def form_value(html: str, name: str) -> str:
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def test_upload_preview_confirm_and_the_notice(browser, sessions, demo):
    b = browser("city-editor")
    assert b.get(IMPORT).status_code == 200
    before = counts(sessions)
    shown = upload(b)
    assert shown.status_code == 200, shown.text[:500]
    assert SUMMARY in shown.text and "Nothing has been saved yet. 1 figure is already held" in (
        shown.text
    )
    assert "Leicester, 2021-22, Referral source: Bradgate Mental Health Unit" in shown.text
    assert counts(sessions) == before
    done = b.post(
        f"{IMPORT}/confirm",
        {"token": form_value(shown.text, "token"), "base": form_value(shown.text, "base")},
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/areas/{LEICESTER}/metrics/het_referrals"
    landed = b.get(done.headers["location"])
    assert f"Saved the measurements in het.csv: {SUMMARY}" in landed.text
    # One added; an event for the upload and one for each measurement it changed or added.
    assert counts(sessions) == (before[0] + 1, before[1] + 3)
    again = upload(b)
    assert again.status_code == 200 and "there is nothing to save" in again.text


def test_a_stale_confirmation_is_409_with_the_new_differences(browser, sessions, demo):
    b = browser("city-editor")
    token = form_value(upload(b).text, "token")
    with unit_of_work(sessions) as s:
        service.import_rows(
            s, operator(), "het_referrals", [(2, {"area_code": LEICESTER, "period": "2023-24",
                                                  "numerator": "990"})]
        )  # fmt: skip
    before = counts(sessions)
    stale = b.post(f"{IMPORT}/confirm", {"token": token})
    assert stale.status_code == 409 and "the measurements changed since your preview" in stale.text
    assert SUMMARY in stale.text and counts(sessions) == before
    other = browser("icb-editor")
    other.get(IMPORT)
    assert other.post(f"{IMPORT}/confirm", {"token": token}).status_code == 404


def test_a_bad_row_is_named_and_nothing_is_held(browser, sessions, demo):
    b = browser("city-editor")
    bad = CSV + f"{LEICESTER},2023-24,lots,,\n".encode()
    answer = upload(b, bad)
    assert answer.status_code == 400
    assert "Row 5, column numerator: &#39;lots&#39; is not a number" in answer.text
    assert upload(b, b"", "empty.csv").status_code == 400


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 403), ("county-viewer", 403), ("county-editor", 403), ("icb-admin", 200)],
)
def test_who_may_upload_leicesters_figures(browser, sessions, demo, user, status):
    b = browser(user)
    if user is None:
        assert b.get(IMPORT).status_code == 403
        return
    assert upload(b).status_code == status  # the county's editor is refused Leicester's rows


def test_the_api_previews_confirms_and_imports_at_once(client, sessions, demo):
    with unit_of_work(sessions) as s:
        key, _ = people.create_token(s, actor_for(s, "city-editor"), "script")
        county, _ = people.create_token(s, actor_for(s, "county-editor"), "script")
    auth = {"Authorization": f"Bearer {key}"}
    rows = [
        {"area_code": LEICESTER, "period": "2021-22", "numerator": "901"},
        {"area_code": LEICESTER, "period": "2022-23", "numerator": "950"},
    ]
    url = "/api/v1/metrics/het_referrals/measurements"
    before = counts(sessions)
    shown = client.post(f"{url}/preview", json={"rows": rows, "source": "a script"}, headers=auth)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert (body["summary"], body["unchanged"], body["areas"]) == (
        "1 measurement added",
        1,
        [LEICESTER],
    )
    assert counts(sessions) == before
    done = client.post(f"{url}/confirm", json={"token": body["token"]}, headers=auth)
    assert done.status_code == 200 and done.json()["token"] is None
    assert counts(sessions) == (before[0] + 1, before[1] + 2)  # the upload, the one added
    at_once = client.post(url, json={"rows": rows}, headers=auth)
    assert at_once.status_code == 201
    assert (at_once.json()["imported"], at_once.json()["unchanged"]) == (0, 2)
    assert counts(sessions) == (before[0] + 1, before[1] + 2)  # the same figures: nothing
    refused = client.post(
        f"{url}/preview",
        json={"rows": rows},
        headers={"Authorization": f"Bearer {county}"},
    )
    assert refused.status_code == 403
    theirs = [{"area_code": LEICESTERSHIRE, "period": "2021-22", "numerator": "5"}]
    assert client.post(url, json={"rows": theirs}, headers=auth).status_code == 403
