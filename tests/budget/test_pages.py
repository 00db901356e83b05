"""The budget's pages and API: who may change what, and what the pages show."""

from __future__ import annotations

import re

import pytest

from placeplan.budget import service as budget
from placeplan.budget.service import KLOE_PARTS
from placeplan.core.actor import operator
from placeplan.people import service as people
from placeplan.store.uow import unit_of_work
from tests.budget.factory import budget_mapping, edited_workbook
from tests.factories import actor_for, add_budget

USERS = [None, "county-viewer", "county-editor", "county-approver", "city-editor", "icb-editor"]
EDITORS = {"county-editor", "icb-editor"}


@pytest.fixture
def budget_world(sessions, world):
    return add_budget(sessions, world)


def test_budget_page_shows_the_summary_rules_and_lines(browser, budget_world):
    page = browser("county-viewer").get(f"/plans/{budget_world.plan_id}/budget").text
    assert "£200,000.00" in page and "25.0%" in page  # by hand: £50,000 of £200,000 is acute
    assert "Home first" in page and "S2-1" in page
    filtered = (
        browser("county-viewer").get(f"/plans/{budget_world.plan_id}/budget?category=acute").text
    )
    assert "S2-1" in filtered and "S1-1" not in filtered
    csv = browser("county-viewer").get(f"/plans/{budget_world.plan_id}/budget?format=csv").text
    assert csv.splitlines()[0].startswith("line_id,scheme_id") and len(csv.splitlines()) == 4


def test_the_budget_page_has_contents_linking_each_of_its_sections(browser, budget_world):
    page = browser("county-viewer").get(f"/plans/{budget_world.plan_id}/budget").text
    contents = page.split('aria-label="Sections of this budget"')[1].split("</nav>")[0]
    anchors = re.findall(r'href="#([^"]+)"', contents)
    sections = re.findall(r'<h2 id="([^"]+)"', page)
    assert anchors == sections and len(anchors) == 8  # every section, in the page's order


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("user", USERS)
def test_line_and_review_forms(browser, budget_world, user):
    b = browser(user)
    line = b.post(
        f"/lines/{budget_world.line_id}", {"amount": "50000.00", "new": "1000.00", "version": "1"}
    )
    form = {f"{p}-rating": "good" for p in KLOE_PARTS} | {
        "reviewed_on": "2025-02-01",
        "recommendation": "continue",
    }
    review = b.post(f"/schemes/{budget_world.scheme_id}/reviews", form)
    # signed out, or the city (no part in the county's draft): the plan is not there to them
    outside = user is None or user.startswith("city-")
    expected = 303 if user in EDITORS else (404 if outside else 403)
    assert (line.status_code, review.status_code) == (expected, expected)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("user", USERS)
def test_budget_api_writes(client, sessions, budget_world, user):
    headers = {}
    if user:
        with unit_of_work(sessions) as s:
            token, _ = people.create_token(s, actor_for(s, user), "t")
        headers = {"Authorization": f"Bearer {token}"}
    responses = [
        client.patch(
            f"/api/v1/lines/{budget_world.line_id}",
            json={"version": 1, "new_pence": 100},
            headers=headers,
        ),
        client.post(
            f"/api/v1/schemes/{budget_world.scheme_id}/reviews",
            headers=headers,
            json={
                "reviewed_on": "2025-02-01",
                "recommendation": "continue",
                "parts": {p: {"rating": "good", "comment": ""} for p in KLOE_PARTS},
            },
        ),
        client.put(
            f"/api/v1/plans/{budget_world.plan_id}/budget",
            json={
                "document": budget_mapping(),
                "revision": revision_of(client, budget_world.plan_id, headers),
            },
            headers=headers,
        ),
    ]
    codes = [r.status_code for r in responses]
    if user is None:
        assert codes == [401, 401, 401]
    elif user in EDITORS:
        assert codes == [200, 201, 200], [r.text for r in responses]
    elif user.startswith("city-"):
        assert codes == [404, 404, 404]  # the county's draft is not there to the city
    else:
        assert codes == [403, 403, 403]


def test_a_bad_amount_keeps_what_was_typed(browser, budget_world):
    b = browser("county-editor")
    response = b.post(
        f"/lines/{budget_world.line_id}", {"amount": "12.345", "new": "0", "version": "1"}
    )
    assert response.status_code == 400
    assert 'value="12.345"' in response.text and "two decimal places" in response.text


def revision_of(client, plan_id: int, headers: dict[str, str]) -> str | None:
    """The budget's revision as its reader is given it (None where it cannot be read)."""
    read = client.get(f"/api/v1/plans/{plan_id}/budget", headers=headers)
    return read.json()["revision"] if read.status_code == 200 else None


def test_api_budget_put_that_breaks_a_rule_is_refused(client, sessions, budget_world):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.put(
        f"/api/v1/plans/{budget_world.plan_id}/budget",
        json={
            "document": budget_mapping(shift_income_pence=100),
            "revision": revision_of(client, budget_world.plan_id, headers),
        },
        headers=headers,
    )
    assert response.status_code == 400
    assert "income-equals-expenditure" in response.json()["error"]["message"]


def test_api_budget_put_from_a_budget_changed_since_is_409(client, sessions, budget_world):
    """Two editors read the budget; one changes a line; the other's whole budget, sent from the
    revision they read, is refused and the line keeps the first editor's figure."""
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/plans/{budget_world.plan_id}/budget"
    read = revision_of(client, budget_world.plan_id, headers)
    changed = client.patch(
        f"/api/v1/lines/{budget_world.line_id}",
        json={"version": 1, "new_pence": 100},
        headers=headers,
    )
    assert changed.status_code == 200
    stale = client.put(url, json={"document": budget_mapping(), "revision": read}, headers=headers)
    assert (
        stale.status_code == 409 and "changed by someone else" in stale.json()["error"]["message"]
    )
    line = next(
        ln for ln in client.get(url, headers=headers).json()["lines"]
        if ln["id"] == budget_world.line_id
    )  # fmt: skip
    assert line["new_pence"] == 100
    fresh = revision_of(client, budget_world.plan_id, headers)
    assert fresh != read
    again = client.put(url, json={"document": budget_mapping(), "revision": fresh}, headers=headers)
    assert again.status_code == 200


def upload(b, plan_id: int, content: bytes):
    b.get(f"/plans/{plan_id}/budget")
    return b.client.post(
        f"/plans/{plan_id}/budget/upload",
        data={"csrf_token": b.token},
        files={"workbook": ("budget.xlsx", content, "application/octet-stream")},
        follow_redirects=False,
    )


def test_workbook_download_and_upload_round_trip(browser, budget_world):
    b = browser("county-editor")
    download = b.client.get(f"/plans/{budget_world.plan_id}/budget.xlsx")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    answer = upload(b, budget_world.plan_id, download.content)
    assert answer.status_code == 303, answer.text[:800]
    preview = b.get(answer.headers["location"])
    assert preview.status_code == 200
    assert "No changes" in preview.text and "would change nothing" in preview.text
    assert "Confirm and apply" not in preview.text


# tests/budget/test_preview.py's edit: £10,000 of NHS money moved from S1-1 (£100,000, intermediate
# care) to S2-1 (£50,000, acute), so two lines and two category totals change.
EDIT = {"S1-1": 90_000, "S2-1": 60_000}


def test_an_upload_is_previewed_in_names_and_pounds_then_confirmed(browser, budget_world):
    b = browser("county-editor")
    content = edited_workbook(
        b.client.get(f"/plans/{budget_world.plan_id}/budget.xlsx").content, EDIT
    )
    preview_url = upload(b, budget_world.plan_id, content).headers["location"]
    preview = b.get(preview_url)
    assert preview.status_code == 200
    assert "2 lines changed, 2 category totals changed" in preview.text
    for text in ("Line S1-1 of Home first", "£100,000.00", "£90,000.00", "Intermediate care"):
        assert text in preview.text
    assert "the plan states 25%; the budget gives 30%" in preview.text  # acute: £60,000 of £200,000
    csv = b.client.get(f"{preview_url}?format=csv").text.splitlines()
    assert csv[0] == "section,change,record,field,before,after"
    assert (
        csv[1]
        == 'Expenditure lines,changed,Line S1-1 of Home first,Amount,"£100,000.00","£90,000.00"'
    )
    budget_page = b.get(f"/plans/{budget_world.plan_id}/budget").text
    assert "£200,000.00" in budget_page and "£90,000.00" not in budget_page  # nothing written yet
    token = preview_url.rsplit("/", 1)[1]
    assert browser("icb-editor").get(preview_url).status_code == 404  # another person's preview
    confirmed = b.post(f"/plans/{budget_world.plan_id}/budget/confirm", {"token": token})
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == f"/plans/{budget_world.plan_id}/budget"
    after = b.get(confirmed.headers["location"]).text
    assert "Planning workbook applied: 2 lines changed, 2 category totals changed" in after
    assert b.get(preview_url).status_code == 404  # the held upload is forgotten


def test_a_stale_preview_is_refused_with_the_new_differences_and_previewed_again(
    browser, sessions, budget_world
):
    b = browser("county-editor")
    content = edited_workbook(
        b.client.get(f"/plans/{budget_world.plan_id}/budget.xlsx").content, EDIT
    )
    token = upload(b, budget_world.plan_id, content).headers["location"].rsplit("/", 1)[1]
    with unit_of_work(sessions) as s:  # meanwhile S2-1 becomes £50,001
        budget.update_line(
            s, actor_for(s, "icb-editor"), budget_world.line_id, 1, {"amount_pence": 50_001_00}
        )
    refused = b.post(f"/plans/{budget_world.plan_id}/budget/confirm", {"token": token})
    assert refused.status_code == 409
    assert "The budget has changed since you previewed" in refused.text
    assert "£50,001.00" in refused.text and "£60,000.00" in refused.text
    assert "Confirm and apply" not in refused.text
    with sessions() as s:
        assert budget.view(s, operator(), budget_world.plan_id).summary.total_pence == 200_001_00
    again = b.post(f"/plans/{budget_world.plan_id}/budget/upload/{token}/again")
    assert again.status_code == 303
    fresh = b.get(again.headers["location"]).text
    assert "Confirm and apply these changes" in fresh and "£50,001.00" in fresh


def test_the_api_previews_then_confirms_a_workbook(client, sessions, budget_world):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    plan = budget_world.plan_id
    content = edited_workbook(
        client.get(f"/plans/{plan}/budget.xlsx", headers=headers).content, EDIT
    )
    preview = client.post(
        f"/api/v1/plans/{plan}/budget/workbook/preview",
        files={"file": ("budget.xlsx", content, "application/octet-stream")},
        headers=headers,
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["differences"]["summary"] == "2 lines changed, 2 category totals changed"
    lines = body["differences"]["sections"][0]
    assert lines["title"] == "Expenditure lines"
    assert lines["changes"][0]["fields"][0] == {
        "field": "Amount",
        "before": 100_000_00,
        "after": 90_000_00,
        "before_text": "£100,000.00",
        "after_text": "£90,000.00",
    }
    assert "stated-figure" in {f["rule"] for f in body["findings"]}
    confirm = client.post(
        f"/api/v1/plans/{plan}/budget/workbook/confirm",
        json={"token": body["token"]},
        headers=headers,
    )
    assert confirm.status_code == 200, confirm.text
    assert confirm.json()["differences"]["summary"] == body["differences"]["summary"]
    again = client.post(
        f"/api/v1/plans/{plan}/budget/workbook/confirm",
        json={"token": body["token"]},
        headers=headers,
    )
    assert again.status_code == 404


def test_the_api_refuses_a_stale_confirmation_with_the_new_differences(
    client, sessions, budget_world
):
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    headers = {"Authorization": f"Bearer {token}"}
    plan = budget_world.plan_id
    content = edited_workbook(
        client.get(f"/plans/{plan}/budget.xlsx", headers=headers).content, EDIT
    )
    held = client.post(
        f"/api/v1/plans/{plan}/budget/workbook/preview",
        files={"file": ("budget.xlsx", content, "application/octet-stream")},
        headers=headers,
    ).json()["token"]
    with unit_of_work(sessions) as s:
        budget.update_line(
            s, actor_for(s, "icb-editor"), budget_world.line_id, 1, {"amount_pence": 50_001_00}
        )
    stale = client.post(
        f"/api/v1/plans/{plan}/budget/workbook/confirm", json={"token": held}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["differences"]["summary"] == (
        "2 lines changed, 2 category totals changed"
    )


def test_a_file_that_is_not_a_workbook_is_refused_naming_it(browser, budget_world):
    b = browser("county-editor")
    b.get(f"/plans/{budget_world.plan_id}/budget")
    upload = b.client.post(
        f"/plans/{budget_world.plan_id}/budget/upload",
        data={"csrf_token": b.token},
        files={"workbook": ("plan.xlsx", b"name,amount\nx,1\n", "text/csv")},
        follow_redirects=False,
    )
    assert upload.status_code == 400
    assert "was not imported" in upload.text and "plan.xlsx" in upload.text
    viewer = browser("county-viewer")
    viewer.get(f"/plans/{budget_world.plan_id}/budget")
    refused = viewer.client.post(
        f"/plans/{budget_world.plan_id}/budget/upload",
        data={"csrf_token": viewer.token},
        files={"workbook": ("budget.xlsx", b"x", "application/octet-stream")},
        follow_redirects=False,
    )
    assert refused.status_code == 403


def test_only_editors_of_a_draft_see_the_upload_form_and_reviews_are_listed(browser, budget_world):
    editor = browser("county-editor").get(f"/plans/{budget_world.plan_id}/budget").text
    viewer = browser("county-viewer").get(f"/plans/{budget_world.plan_id}/budget").text
    assert "Upload workbook" in editor and "Upload workbook" not in viewer
    assert "0 of 2 schemes have a key lines of enquiry review" in viewer


def test_long_budgets_are_paged_and_the_csv_has_every_line(browser, sessions, world):
    from placeplan.budget import service as budget
    from placeplan.budget.domain.document import document_from_mapping
    from placeplan.core.actor import operator

    line = {
        "funding_source": "nhs_minimum",
        "amount_pence": 100,
        "area_of_spend": "social_care",
        "commissioner": "la",
        "provider": "local_authority",
    }
    mapping = {
        "year": "2025-26",
        "income": [{"source": "nhs_minimum", "amount_pence": 100 * 150}],
        "schemes": [
            {
                "id": f"S{i:03d}",
                "name": f"Scheme {i:03d}",
                "scheme_type": "community_based_schemes",
                "category": "community_and_prevention",
                "lines": [{**line, "id": f"L{i:03d}"}],
            }
            for i in range(150)
        ],
    }
    with unit_of_work(sessions) as s:
        budget.load_document(s, operator(), world.plan_id, document_from_mapping(mapping))
    b = browser("county-viewer")
    first = b.get(f"/plans/{world.plan_id}/budget").text
    assert "150 expenditure lines: page 1 of 2" in first and "L099" in first and "L100" not in first
    second = b.get(f"/plans/{world.plan_id}/budget?page=2").text
    assert "L100" in second and "L149" in second and "L099" not in second
    csv = b.get(f"/plans/{world.plan_id}/budget?format=csv").text
    assert len(csv.strip().splitlines()) == 151
