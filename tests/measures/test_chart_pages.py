"""A chart's recalculations and annotations changed and removed on their own pages, the baseline
removed on the settings page, and all of it through the JSON API: versioned, refused in the
fields' own words, and each write kept in the audit."""

from __future__ import annotations

import html
import re

import pytest

from placeplan.core.actor import operator
from placeplan.measures import service
from placeplan.store import audit
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE
from tests.measures.service.test_spc_marks import METRIC, MONTHS, VALUES

PAGE = f"/areas/{LEICESTERSHIRE}/metrics/admissions"
API = f"/api/v1/areas/{LEICESTERSHIRE}/metrics/admissions"

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.fixture
def figures(sessions, world):
    # The STEP series of tests/measures/service/test_spc_marks.py: 24 months, 2024-01 to 2025-12.
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), METRIC)
        rows = [
            (n, {"area_code": LEICESTERSHIRE, "period": m, "value": str(v)})
            for n, (m, v) in enumerate(zip(MONTHS, VALUES, strict=True), start=2)
        ]
        service.import_rows(s, operator(), "admissions", rows)
    return world


def _added(editor, what: str, data: dict[str, str]) -> int:
    saved = editor.post(f"{PAGE}/chart/{what}", data)
    assert saved.status_code == 303, saved.text
    settings = editor.get(f"{PAGE}/chart").text
    (ident,) = re.findall(rf"/chart/{what}/(\d+)", settings)
    return int(ident)


def test_a_recalculation_is_changed_then_removed_for_a_reason_on_its_page(
    browser, sessions, figures
):
    editor = browser("county-editor")
    ident = _added(editor, "rebase", {"period": "2024-07", "reason": "Hub"})
    page = editor.get(f"{PAGE}/chart/rebase/{ident}")
    assert page.status_code == 200 and "Change or remove the recalculation" in page.text
    saved = editor.post(
        f"{PAGE}/chart/rebase/{ident}",
        {"period": "2025-01", "reason": "Discharge hub opened", "version": "1"},
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}/chart"
    stale = editor.post(f"{PAGE}/chart/rebase/{ident}", {"period": "2024-09", "version": "1"})
    assert stale.status_code == 409 and "Someone else changed this recalculation" in stale.text
    unexplained = editor.post(f"{PAGE}/chart/rebase/{ident}/remove", {"version": "2"})
    assert unexplained.status_code == 400
    assert 'href="#removal_reason"' in unexplained.text
    assert 'id="removal_reason-error"' in unexplained.text
    removed = editor.post(
        f"{PAGE}/chart/rebase/{ident}/remove",
        {"version": "2", "removal_reason": "Recorded on the wrong chart"},
    )
    assert removed.status_code == 303
    assert editor.get(f"{PAGE}/chart/rebase/{ident}").status_code == 404
    history = html.unescape(editor.get("/audit").text)
    assert "Why it was removed" in history and "Recorded on the wrong chart" in history
    with unit_of_work(sessions) as s:
        (last, *_) = audit.history(s, "spc_rebase", ident)
        assert last.action == "delete"
        assert last.after["removal_reason"] == "Recorded on the wrong chart"


def test_an_annotation_is_changed_and_removed_and_a_long_one_refused(browser, figures):
    editor = browser("county-editor")
    ident = _added(editor, "annotation", {"period": "2024-06", "text": "Pilot"})
    too_long = editor.post(
        f"{PAGE}/chart/annotation/{ident}", {"period": "2024-06", "text": "x" * 301, "version": "1"}
    )
    assert too_long.status_code == 400
    assert "The annotation must be 300 characters or fewer (it is 301)" in too_long.text
    assert 'value="' + "x" * 301 + '"' in too_long.text  # what was typed is kept
    saved = editor.post(
        f"{PAGE}/chart/annotation/{ident}",
        {"period": "2024-09", "text": "Home first pilot", "version": "1"},
    )
    assert saved.status_code == 303
    assert "Sep 2024: Home first pilot" in editor.get(f"{PAGE}/chart").text
    assert (
        editor.post(f"{PAGE}/chart/annotation/{ident}/remove", {"version": "2"}).status_code == 303
    )
    assert "No annotations yet" in editor.get(f"{PAGE}/chart").text


def test_others_may_not_open_or_change_a_mark(browser, figures):
    ident = _added(browser("county-editor"), "annotation", {"period": "2024-06", "text": "Pilot"})
    assert browser("county-viewer").get(f"{PAGE}/chart/annotation/{ident}").status_code == 403
    city = browser("city-editor")
    assert city.post(f"{PAGE}/chart/annotation/{ident}/remove", {"version": "1"}).status_code == 403
    assert browser("county-editor").get(f"{PAGE}/chart/nonsense/{ident}").status_code == 404


def test_the_baseline_is_removed_on_the_settings_page(browser, figures):
    editor = browser("county-editor")
    assert (
        editor.post(f"{PAGE}/chart/baseline", {"baseline_points": "12", "version": "0"}).status_code
        == 303
    )
    assert "Remove the baseline" in editor.get(f"{PAGE}/chart").text
    removed = editor.post(f"{PAGE}/chart/baseline", {"baseline_points": "", "version": "1"})
    assert removed.status_code == 303
    assert "Remove the baseline" not in editor.get(f"{PAGE}/chart").text


def test_the_api_lists_adds_changes_and_removes_each_mark(browser, client, figures):
    editor = browser("county-editor")
    headers = {"X-CSRF-Token": editor.token}
    api = editor.client
    added = api.post(f"{API}/rebases", json={"period": "2024-07", "reason": "Hub"}, headers=headers)
    assert added.status_code == 201, added.text
    rebase = added.json()
    assert (rebase["version"], rebase["url"]) == (1, f"{API}/rebases/{rebase['id']}")
    moved = api.patch(rebase["url"], json={"period": "2025-01", "version": 1}, headers=headers)
    assert moved.status_code == 200 and moved.json()["period"] == "2025-01"
    stale = api.patch(rebase["url"], json={"reason": "Again", "version": 1}, headers=headers)
    assert stale.status_code == 409 and "error" in stale.json()
    note = api.post(
        f"{API}/annotations", json={"period": "2024-06", "text": "Pilot"}, headers=headers
    ).json()
    baseline = api.put(f"{API}/baseline", json={"points": 12, "version": 0}, headers=headers)
    assert baseline.json()["points"] == 12 and baseline.json()["version"] == 1

    public = client.get(f"{API}/chart-marks").json()
    assert [r["period"] for r in public["rebases"]] == ["2025-01"]
    assert public["rebases"][0]["recorded_by"] is None  # who recorded it: signed in only
    assert [a["text"] for a in public["annotations"]] == ["Pilot"]
    assert public["baseline"]["points"] == 12
    assert [r["id"] for r in client.get(f"{API}/rebases").json()] == [rebase["id"]]
    assert len(client.get(f"{API}/annotations").json()) == 1

    unexplained = api.delete(f"{rebase['url']}?version=2", headers=headers)
    assert unexplained.status_code == 400
    assert unexplained.json()["error"]["field"] == "removal_reason"
    gone = api.delete(f"{rebase['url']}?version=2&reason=Wrong+chart", headers=headers)
    assert gone.status_code == 200 and gone.json()["removed"] == rebase["id"]
    assert api.delete(f"{note['url']}?version=1", headers=headers).status_code == 200
    cleared = api.delete(f"{API}/baseline?version=1", headers=headers)
    assert cleared.status_code == 200 and cleared.json()["points"] is None
    after = client.get(f"{API}/chart-marks").json()
    assert (after["rebases"], after["annotations"]) == ([], [])
    refused = browser("county-viewer")
    denied = refused.client.post(
        f"{API}/annotations",
        json={"period": "2024-06", "text": "No"},
        headers={"X-CSRF-Token": refused.token},
    )
    assert denied.status_code == 403
