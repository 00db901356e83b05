"""Delivery pages and API: who may see and change what; the public view leaks nothing internal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.delivery.conftest import SECRETS, make_delivery_plan
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

USERS = [None, "county-viewer", "city-viewer", "city-editor", "county-editor"]


def _token(sessions, user):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, user), "t")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("user", USERS)
def test_internal_pages_need_a_sign_in(browser, delivery, user):
    b = browser(user)
    urls = [
        f"/plans/{delivery.plan_id}/delivery",
        f"/plans/{delivery.plan_id}/delivery/highlight",
        f"/api/v1/plans/{delivery.plan_id}/delivery",
        f"/api/v1/plans/{delivery.plan_id}/delivery/highlight",
        f"/public/plans/{delivery.plan_id}",
    ]
    codes = [b.get(u).status_code for u in urls]
    if user is None or user.startswith("city-"):
        # a draft plan does not exist for the public, nor for an organisation with no part in it
        assert codes == [404, 404, 404, 404, 404]
    else:
        assert codes == [200, 200, 200, 200, 404]  # not published: no public view yet


@pytest.mark.parametrize("user", USERS)
def test_update_form_by_role(browser, delivery, user):
    b = browser(user)
    form = b.get(f"/plans/{delivery.plan_id}/delivery/update?period=2025-26+Q3")
    hp21, hp22 = delivery.action_ids["HP2.1"], delivery.action_ids["HP2.2"]
    post = b.post(
        f"/plans/{delivery.plan_id}/delivery/update",
        {
            "period": "2025-26 Q3",
            "action": str(hp21),
            f"version-{hp21}": "0",
            f"overall-{hp21}": "amber",
            f"public-{hp21}": "Going well",
        },
    )
    expected = {
        None: (404, 404),
        "county-viewer": (200, 303),  # leads HP2.1
        "city-viewer": (404, 404),  # another organisation's draft: not there to them
        "city-editor": (404, 404),
        "county-editor": (200, 303),
    }[user]
    assert (form.status_code, post.status_code) == expected, post.text[:400]
    if user == "county-viewer":
        assert f'id="overall-{hp21}"' in form.text and f'id="overall-{hp22}"' not in form.text
    if user == "county-editor":
        assert f'id="overall-{hp22}"' in form.text  # every action on one page
        assert "Save updates for 2025-26 Q3" in form.text


def test_update_form_errors_and_conflicts_keep_what_was_typed(browser, delivery):
    b = browser("county-editor")
    b.get(f"/plans/{delivery.plan_id}/delivery/update?period=2025-26+Q3")
    hp22 = delivery.action_ids["HP2.2"]
    base = {"period": "2025-26 Q3", "action": str(hp22), f"version-{hp22}": "0"}
    bad = b.post(
        f"/plans/{delivery.plan_id}/delivery/update",
        {**base, f"internal-{hp22}": "typed words"},
    )
    assert bad.status_code == 400 and "typed words" in bad.text and "overall RAG" in bad.text
    ok = b.post(f"/plans/{delivery.plan_id}/delivery/update", {**base, f"overall-{hp22}": "green"})
    assert ok.status_code == 303
    stale = b.post(
        f"/plans/{delivery.plan_id}/delivery/update",
        {**base, f"overall-{hp22}": "red", f"internal-{hp22}": "my view"},
    )
    assert stale.status_code == 409 and "my view" in stale.text
    tracker = b.get(f"/plans/{delivery.plan_id}/delivery?period=2025-26+Q3").text
    assert "What the RAG ratings mean" in tracker and "Off track: needs the board" in tracker
    csv = b.get(f"/plans/{delivery.plan_id}/delivery?format=csv&period=2025-26+Q3").text
    assert csv.splitlines()[0].startswith("ref,theme") and len(csv.splitlines()) == 4


def test_highlight_page_shows_reds_changes_overdue(browser, delivery):
    page = browser("county-viewer").get(f"/plans/{delivery.plan_id}/delivery/highlight").text
    assert "Highlight report: 2025-26 Q2" in page
    assert "Worsened" in page and "Agree the INT approach" in page and SECRETS["decision"] in page
    exception = (
        browser("county-viewer")
        .get(f"/plans/{delivery.plan_id}/delivery/highlight?reds_only=true&period=2025-26+Q1")
        .text
    )
    assert "Exception report" in exception and "Enable digital literacy" in exception


@pytest.mark.parametrize("user", USERS)
def test_api_writes_by_role(client, sessions, delivery, user):
    headers = _token(sessions, user) if user else {}
    hp22 = delivery.action_ids["HP2.2"]
    patch = client.patch(
        f"/api/v1/delivery/actions/{hp22}",
        json={"version": 1, "stage": "delivery"},
        headers=headers,
    )
    put = client.put(
        f"/api/v1/delivery/actions/{hp22}/updates/2025-26 Q3",
        json={"version": 0, "overall_rag": "green"},
        headers=headers,
    )
    codes = (patch.status_code, put.status_code)
    if user is None:
        assert codes == (401, 401)
    elif user == "county-editor":
        assert codes == (200, 200), put.text
        again = client.patch(
            f"/api/v1/delivery/actions/{hp22}",
            json={"version": 1, "stage": "complete"},
            headers=headers,
        )
        assert again.status_code == 409 and again.json()["error"]["changes"]["stage"]
    elif user.startswith("city-"):
        assert codes == (404, 404)  # another organisation's draft is not there to them
    else:
        assert codes == (403, 403)


def test_public_view_shows_a_published_plan_and_nothing_internal(sessions, world, client, browser):
    published = make_delivery_plan(sessions, publish=True)
    page = client.get(f"/public/plans/{published.plan_id}")
    api = client.get(f"/api/v1/public/plans/{published.plan_id}")
    assert page.status_code == 200 and api.status_code == 200
    for header in ("Ambition", "We will", "By", "I will"):
        assert f">{header}</th>" in page.text
    assert "I will receive the right support" in page.text
    assert "Teams are being set up across the city" in page.text
    # Every internal field's value, on the page and from every API a signed-out client can call.
    signed_out = [page.text, api.text]
    for url in (
        f"/api/v1/plans/{published.plan_id}/delivery",
        f"/api/v1/plans/{published.plan_id}/delivery/highlight",
        f"/plans/{published.plan_id}/delivery",
        f"/plans/{published.plan_id}/delivery/highlight",
        f"/plans/{published.plan_id}/delivery/update",
    ):
        response = client.get(url)
        assert response.status_code in (401, 403, 404), url
        signed_out.append(response.text)
    for text in signed_out:
        for secret in SECRETS.values():
            assert secret not in text
        for rating in ("Red", "Amber", "Green", '"red"', '"amber"', '"green"', "RAG"):
            assert rating not in text
    assert browser("city-viewer").get(f"/public/plans/{published.plan_id}").status_code == 200


def test_cli_highlight_json(tmp_path, monkeypatch, engine, sessions, delivery):
    from placeplan.delivery.cli import delivery as group

    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", str(engine.url))
    result = CliRunner().invoke(
        group, ["highlight", str(delivery.plan_id), "--format", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["period"] == "2025-26 Q2" and [r["ref"] for r in report["reds"]] == ["HP2.1"]
    by_body = CliRunner().invoke(
        group,
        [
            "highlight",
            str(delivery.plan_id),
            "--period",
            "2025-26 Q1",
            "--body",
            "county-ie",
            "--format",
            "json",
        ],
    )
    assert [r["ref"] for r in json.loads(by_body.output)["reds"]] == ["HP2.2"]
    bad = CliRunner().invoke(
        group, ["highlight", str(delivery.plan_id), "--period", "Q9", "--format", "json"]
    )
    assert bad.exit_code == 2 and json.loads(bad.stderr)["error"]["field"] == "period"
