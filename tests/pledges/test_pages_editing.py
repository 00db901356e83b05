"""A permission test for every pledge-editing route (pages and API): signed out, another
organisation, and each role. Only editors of the plan's area or system (the rule that lets them
record a latest value) change pledges; stale and bad forms are shown again with what was typed."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.pledges.models import Pledge, PledgeMeasure
from placeplan.pledges.service import editing
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.pledges.conftest import PledgeWorld, make_pledge_plan
from tests.pledges.test_pages_reading import RECORDERS, USERS, _publish

PAGES = [
    "/plans/{plan}/pledges/new",
    "/plans/{plan}/pledges/1/edit",
    "/plans/{plan}/pledges/1/measures/new",
    "/plans/{plan}/pledges/1/measures/1.1/edit",
    "/plans/{plan}/pledges/1/measures/1.2/remove",
]
PLEDGE_FORM = {
    "title": "Fewer long waits",
    "statement": "Reduce waits for planned treatment",
    "partner-0-body": "",
    "partner-0-name": "Planned Care Partnership",
}
MEASURE_FORM = {
    "name": "Waiting 18 weeks or more",
    "unit": "people",
    "direction": "lower",
    "baseline_value": "1000",
    "baseline_period": "2023-24",
    "target_value": "600",
    "target_period": "2025-26",
}


@pytest.fixture
def pledges(sessions, world) -> PledgeWorld:
    return make_pledge_plan(sessions)


def _refused(user: str | None) -> int:
    """403 for a role without the right; 404 where the draft is not there to them at all (the
    city has no part in the county's plan)."""
    return 404 if user is None or user.startswith("city-") else 403


def _token(sessions, user: str) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, user), "test")
    return {"Authorization": f"Bearer {token}"}


def test_the_edit_pages_are_for_editors_of_the_plans_area(browser, pledges):
    for path in PAGES:
        url = path.format(plan=pledges.plan_id)
        # The plan is unpublished: signed out, it does not exist.
        assert browser(None).get(url).status_code == 404, url
        for user in USERS:
            expected = 200 if user in RECORDERS else _refused(user)
            assert browser(user).get(url).status_code == expected, (user, url)
    # The pledge and list pages link to them only for those who may use them.
    for user in USERS:
        page = browser(user).get(f"/plans/{pledges.plan_id}/pledges/1").text
        assert ("/pledges/1/measures/new" in page) == (user in RECORDERS), user
        listing = browser(user).get(f"/plans/{pledges.plan_id}/pledges").text
        assert (f"/plans/{pledges.plan_id}/pledges/new" in listing) == (user in RECORDERS), user


def test_the_edit_forms_save_for_editors_only(browser, pledges, sessions):
    plan = pledges.plan_id

    def now(model, ref: str) -> str:
        """The record's version as the form would carry it: each editor saves in turn."""
        with sessions() as s:
            return str(
                s.scalar(select(model.version).where(model.plan_id == plan, model.ref == ref))
            )

    posts = [
        (f"/plans/{plan}/pledges/new", PLEDGE_FORM),
        (f"/plans/{plan}/pledges/2/edit", {**PLEDGE_FORM, "version": (Pledge, "2")}),
        (f"/plans/{plan}/pledges/2/measures/new", {**MEASURE_FORM, "name": "Another"}),
        (
            f"/plans/{plan}/pledges/2/measures/2.1/edit",
            {**MEASURE_FORM, "version": (PledgeMeasure, "2.1")},
        ),
    ]
    for path, given in posts:

        def form(given=given) -> dict:
            found = given.get("version")
            return {**given, "version": now(*found)} if isinstance(found, tuple) else given

        assert browser(None).post(path, form()).status_code == 404, path
        for user in USERS:
            b = browser(user)
            b.get(f"/plans/{plan}/pledges")
            expected = 303 if user in RECORDERS else _refused(user)
            assert b.post(path, form()).status_code == expected, (user, path)
        assert browser("county-editor").post(path, form(), csrf=False).status_code == 403
    # Each of the three editors added a measure to pledge 2 (2.2, 2.3, 2.4): each removes one.
    for n, user in enumerate(sorted(RECORDERS), start=2):
        for other in set(USERS) - RECORDERS:
            response = browser(other).post(
                f"/plans/{plan}/pledges/2/measures/2.{n}/remove",
                {"version": now(PledgeMeasure, f"2.{n}")},
            )
            assert response.status_code == _refused(other), other
        b = browser(user)
        response = b.post(
            f"/plans/{plan}/pledges/2/measures/2.{n}/remove",
            {"version": now(PledgeMeasure, f"2.{n}")},
        )
        assert response.status_code == 303, (user, response.text[:300])


def test_use_this_figure_is_for_editors_only(browser, pledges):
    path = f"/plans/{pledges.plan_id}/pledges/1/measures/1.1/use-stored"
    assert browser(None).post(path, {"version": "1"}).status_code == 404
    for user in USERS:
        response = browser(user).post(path, {"version": "1"})
        # Measure 1.1 links no metric: editors are told there is no figure (400), others 403.
        assert response.status_code == (400 if user in RECORDERS else _refused(user)), user
        if user in RECORDERS:
            assert 'href="#stored-1-1"' in response.text and 'id="stored-1-1"' in response.text


def test_a_stale_or_bad_measure_form_is_shown_again_with_what_was_typed(browser, pledges):
    b = browser("county-editor")
    path = f"/plans/{pledges.plan_id}/pledges/2/measures/2.1/edit"
    b.get(path)
    assert b.post(path, {**MEASURE_FORM, "version": "1", "target_value": "800"}).status_code == 303
    stale = b.post(path, {**MEASURE_FORM, "version": "1", "target_value": "700"})
    assert stale.status_code == 409
    # It names the field that moved, what it was and what it is now, and keeps the 700 typed.
    assert "Someone else changed this measure" in stale.text
    assert "target value" in stale.text and ">600<" in stale.text and ">800<" in stale.text
    assert 'id="target_value" name="target_value" type="text" inputmode="decimal" value="700"' in (
        stale.text
    )
    # Saving again from the conflict page carries the current version, so it replaces theirs.
    assert 'name="version" value="2"' in stale.text
    bad = b.post(path, {**MEASURE_FORM, "version": "2", "target_value": "1200"})
    assert bad.status_code == 400
    assert 'href="#target_value"' in bad.text and 'value="1200"' in bad.text
    assert "nhsuk-input--error" in bad.text


def test_a_bad_partnership_links_to_its_field(browser, pledges):
    b = browser("county-editor")
    path = f"/plans/{pledges.plan_id}/pledges/1/edit"
    b.get(path)
    response = b.post(
        path,
        {
            "version": "1",
            "title": "Faster A&E",
            "statement": "Reduce waiting times in A&E",
            "partner-0-body": "",
            "partner-0-name": "",
        },
    )
    assert response.status_code == 400
    assert 'href="#partner-0-body"' in response.text and 'id="partner-0-body"' in response.text


def test_api_writes_need_an_editors_token(client, sessions, pledges):
    plan = pledges.plan_id
    base = f"/api/v1/plans/{plan}/pledges"
    pledge = {
        "title": "Healthy homes",
        "statement": "Fewer cold, damp homes",
        "accountable": [{"name": "Housing Partnership"}],
    }
    measure = {"name": "Homes improved", "direction": "higher"}
    calls = [
        ("post", base, pledge, 201),
        ("put", f"{base}/2", {**pledge, "version": 0}, 409),
        ("post", f"{base}/1/measures", measure, 201),
        ("put", f"{base}/2/measures/2.1/definition", {**measure, "version": 0}, 409),
        ("delete", f"{base}/1/measures/1.2?version=0", None, 409),
        ("post", f"{base}/1/measures/1.1/use-stored-figure", {"version": 0}, 409),
    ]
    for method, path, body, allowed in calls:
        kw = {"json": body} if body is not None else {}
        assert client.request(method, path, **kw).status_code == 401, path
        for user in USERS:
            response = client.request(method, path, headers=_token(sessions, user), **kw)
            # Version 0 is stale for everyone allowed to write: 409; adding works (201).
            expected = allowed if user in RECORDERS else _refused(user)
            assert response.status_code == expected, (user, path, response.text)


def test_the_api_edits_and_is_version_checked(client, sessions, pledges):
    headers = _token(sessions, "county-editor")
    base = f"/api/v1/plans/{pledges.plan_id}/pledges"
    with unit_of_work(sessions) as s:
        hwb = editing.bodies_for(s, editing.editable_plan(s, operator(), pledges.plan_id))[0]
        hwb_id, hwb_name = hwb.id, hwb.name
    saved = client.put(
        f"{base}/2",
        json={
            "version": 1,
            "title": "Fewer long waits",
            "statement": "Reduce waits for planned treatment",
            "accountable": [{"body_id": hwb_id}],
        },
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["accountable"] == [{"name": hwb_name, "body_id": hwb_id, "body": hwb_name}]
    assert saved.json()["version"] == 2
    # 1,000 -> 800 over 2023-24 to 2025-26: the line stands at 900 in 2024-25 and 850 is
    # better (lower): on track (it was off track against 600).
    changed = client.put(
        f"{base}/2/measures/2.1/definition",
        json={
            "version": 1,
            "name": "Waiting 18 weeks or more",
            "direction": "lower",
            "baseline_value": "1000",
            "baseline_period": "2023-24",
            "target_value": "800",
            "target_period": "2025-26",
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["version"]) == ("on_track", 2)
    stale = client.put(
        f"{base}/2/measures/2.1/definition",
        json={"version": 1, "name": "Long waits", "direction": "lower"},
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["current_version"] == 2
    bad = client.post(
        f"{base}/1/measures",
        json={"name": "M", "direction": "higher", "target_value": "5"},
        headers=headers,
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "target_period"
    last = client.delete(f"{base}/2/measures/2.1?version=2", headers=headers)
    assert last.status_code == 400 and last.json()["error"]["field"] == "measure"
    removed = client.delete(f"{base}/1/measures/1.2?version=1", headers=headers)
    assert removed.status_code == 200, removed.text
    left = client.get(f"{base}/1", headers=headers).json()["measures"]
    assert [m["ref"] for m in left] == ["1.1"]


def test_a_signed_in_browser_writes_with_its_csrf_header(browser, pledges):
    b = browser("county-editor")
    b.get(f"/plans/{pledges.plan_id}/pledges")
    path = f"/api/v1/plans/{pledges.plan_id}/pledges/1/measures"
    body = {"name": "Seen within an hour", "direction": "higher"}
    assert b.client.post(path, json=body).status_code == 403
    response = b.client.post(path, json=body, headers={"X-CSRF-Token": b.token})
    assert response.status_code == 201 and response.json()["ref"] == "1.3"


def test_the_table_downloads_as_xlsx_with_text_as_text(browser, sessions, pledges):
    with unit_of_work(sessions) as s:
        editing.update_measure(
            s,
            operator(),
            pledges.plan_id,
            "2",
            "2.1",
            None,
            {**MEASURE_FORM, "name": "=1+1 waiting"},
        )
    for path in (f"/plans/{pledges.plan_id}/pledges", f"/plans/{pledges.plan_id}/pledges/2"):
        response = browser("county-viewer").get(path + "?format=xlsx")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        rows = {row[4].value: row for row in sheet.iter_rows(min_row=2)}
        name = rows["2.1"][header.index("measure_name")]
        # A name that starts with "=" stays text, never a formula.
        assert (name.value, name.data_type) == ("=1+1 waiting", "s")
        # Figures are numbers: 1,000 and 600 (conftest), 850 latest.
        assert [rows["2.1"][header.index(k)].value for k in ("baseline", "target", "latest")] == [
            1000,
            600,
            850,
        ]
    # The same bytes for the same table.
    again = browser("county-viewer").get(f"/plans/{pledges.plan_id}/pledges?format=xlsx")
    assert (
        again.content
        == browser("county-viewer").get(f"/plans/{pledges.plan_id}/pledges?format=xlsx").content
    )


def test_signed_out_readers_of_a_published_plan_may_read_but_not_edit(browser, sessions, pledges):
    _publish(sessions, pledges.plan_id)
    anonymous = browser(None)
    assert anonymous.get(f"/plans/{pledges.plan_id}/pledges?format=xlsx").status_code == 200
    for path in PAGES:
        response = anonymous.get(path.format(plan=pledges.plan_id))
        assert response.status_code in (401, 403), path
