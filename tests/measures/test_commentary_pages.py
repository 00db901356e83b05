"""The commentary form and API: who may write, who reads what (internal notes stay off public
pages, CSVs and API answers), CSRF, and a stale form refused with the other writer's text kept."""

from __future__ import annotations

import csv
import io

import pytest

from placeplan.core.actor import operator
from placeplan.measures import service
from placeplan.store.uow import unit_of_work

METRIC = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "rate_per_100k",
    "direction": "lower",
    "frequency": "month",
}
PAGE = "/areas/E10000018/metrics/admissions"
FORM = PAGE + "/commentary"
API = "/api/v1/areas/E10000018/metrics/admissions/commentary"


@pytest.fixture
def figures(sessions, world):
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), METRIC)
        service.import_rows(
            s,
            operator(),
            "admissions",
            [
                (2, {"area_code": "E10000018", "period": "2025-04", "value": "150"}),
                (3, {"area_code": "E10000018", "period": "2025-05", "value": "160"}),
            ],
        )
    return world


pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("user", "status"),
    [
        (None, 401),
        ("county-viewer", 403),
        ("county-approver", 403),
        ("city-editor", 403),
        ("county-editor", 200),
        ("icb-admin", 200),
    ],
)
def test_who_may_open_the_commentary_form(browser, figures, user, status):
    page = browser(user).get(FORM + "?period=2025-04")
    assert page.status_code in ((status,) if status != 401 else (401, 303, 403)), page.status_code
    if status == 200:
        assert 'name="csrf_token"' in page.text and "2025-04" in page.text


def test_an_editor_writes_an_internal_and_a_public_note(browser, figures):
    editor = browser("county-editor")
    editor.get(FORM + "?period=2025-04")
    saved = editor.post(
        FORM, {"period": "2025-04", "text": "Internal: a data lag.", "version": "0"}
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith(PAGE)
    editor.get(FORM + "?period=2025-05")
    saved = editor.post(
        FORM,
        {"period": "2025-05", "text": "Rise after a cold snap.", "public": "yes", "version": "0"},
    )
    assert saved.status_code == 303
    mine = editor.get(PAGE).text
    assert "Internal: a data lag." in mine and "(internal)" in mine
    public = browser(None)
    page = public.get(PAGE).text
    assert "Rise after a cold snap." in page and "a data lag" not in page
    rows = {
        r["period"]: r for r in csv.DictReader(io.StringIO(public.get(PAGE + "?format=csv").text))
    }
    assert rows["2025-05"]["commentary"] == "Rise after a cold snap."
    assert rows["2025-04"]["commentary"] == ""
    answer = public.get(API).json()["commentary"]
    assert [n["period"] for n in answer] == ["2025-05"]
    assert [n["period"] for n in editor.get(API).json()["commentary"]] == ["2025-04", "2025-05"]


def test_a_stale_form_is_refused_and_keeps_what_was_typed(browser, figures):
    first, second = browser("county-editor"), browser("icb-admin")
    first.get(FORM)
    second.get(FORM)
    assert (
        second.post(FORM, {"period": "2025-05", "text": "ICB view.", "version": "0"}).status_code
        == 303
    )
    refused = first.post(FORM, {"period": "2025-05", "text": "County view.", "version": "0"})
    assert refused.status_code == 409
    assert "County view." in refused.text and "ICB view." in refused.text
    assert "ICB view." in browser("county-editor").get(PAGE).text


def test_bad_input_and_a_missing_token_write_nothing(browser, figures):
    editor = browser("county-editor")
    editor.get(FORM)
    empty = editor.post(FORM, {"period": "2025-05", "text": "  ", "version": "0"})
    assert empty.status_code == 400 and 'href="#text"' in empty.text
    forged = editor.post(FORM, {"period": "2025-05", "text": "Forged.", "version": "0"}, csrf=False)
    assert forged.status_code == 403
    assert editor.get(API).json()["commentary"] == []


def test_the_api_writes_with_a_csrf_header_and_refuses_others(browser, figures):
    editor = browser("county-editor")
    editor.get(PAGE)
    url = API + "/2025-05"
    assert editor.client.put(url, json={"text": "Via the API."}).status_code == 403
    saved = editor.client.put(
        url,
        json={"text": "Via the API.", "public": True, "version": 0},
        headers={"X-CSRF-Token": editor.token},
    )
    assert saved.status_code == 200 and saved.json()["version"] == 1
    # the version is required: a save without one cannot overwrite the note unseen
    blind = editor.client.put(url, json={"text": "Blind."}, headers={"X-CSRF-Token": editor.token})
    assert blind.status_code == 422 and blind.json()["error"]["field"] == "version"
    stale = editor.client.put(
        url, json={"text": "Again.", "version": 0}, headers={"X-CSRF-Token": editor.token}
    )
    assert stale.status_code == 409
    viewer = browser("county-viewer")
    viewer.get(PAGE)
    refused = viewer.client.put(
        url, json={"text": "No.", "version": 1}, headers={"X-CSRF-Token": viewer.token}
    )
    assert refused.status_code == 403
    assert browser(None).client.put(url, json={"text": "No."}).status_code == 401
