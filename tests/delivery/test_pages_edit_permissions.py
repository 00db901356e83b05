"""Who may use the tracker's edit pages and workbook routes: signed out, another organisation, and
each role; and what the forms do with bad input and stale versions.

The plan is tests/delivery/conftest.py's, for Leicestershire (the county): county and ICB
editors and admins may edit it (the ICB has a part in both areas), county-viewer leads HP2.1 and
so may mark its milestones done, city users have no part in it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.delivery.models import DeliveryAction, DeliveryMilestone
from placeplan.store.audit import AuditEvent
from tests.delivery.conftest import make_delivery_plan

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

USERS = [
    None,
    "county-viewer",
    "county-editor",
    "county-approver",
    "county-admin",
    "city-editor",
    "icb-editor",
]
EDITORS = {"county-editor", "county-admin", "icb-editor"}


@pytest.fixture
def delivery(sessions, world):
    return make_delivery_plan(sessions)


def _ids(sessions, delivery) -> dict[str, int]:
    with sessions() as s:
        milestone = s.scalars(
            select(DeliveryMilestone).where(
                DeliveryMilestone.action_id == delivery.action_ids["HP2.1"],
                DeliveryMilestone.ref == "1",
            )
        ).one()
        action = s.get(DeliveryAction, delivery.action_ids["HP2.2"])
        return {
            "plan": delivery.plan_id,
            "action": action.id,
            "action_version": action.version,
            "milestone": milestone.id,
            "milestone_version": milestone.version,
            "priority": action.priority_id,
        }


def _workbook(browser, plan_id: int) -> bytes:
    response = browser("county-editor").get(f"/plans/{plan_id}/delivery/tracker.xlsx")
    assert response.status_code == 200
    return response.content


def _upload(b, plan_id: int, data: bytes):
    if not b.token:
        b.get(f"/plans/{plan_id}/delivery")
    form = {"csrf_token": b.token}
    return b.client.post(
        f"/plans/{plan_id}/delivery/import",
        data=form,
        files={"tracker": ("tracker.xlsx", data, "application/octet-stream")},
        follow_redirects=False,
    )


def _action_form(ids: dict[str, int], **changes: str) -> dict[str, str]:
    return {
        "version": str(ids["action_version"]),
        "we_will": "Enable digital literacy",
        "stage": "feasibility",
        "due_date-day": "31",
        "due_date-month": "3",
        "due_date-year": "2026",
        **changes,
    }


@pytest.mark.parametrize("user", USERS)
def test_reads_by_role(browser, sessions, delivery, user):
    ids = _ids(sessions, delivery)
    b = browser(user)
    pages = {
        "/plans/{plan}/delivery/tracker.xlsx": "signed-in",
        "/plans/{plan}/delivery/import": "editor",
        "/plans/{plan}/delivery/actions/new": "editor",
        "/plans/{plan}/delivery/actions/{action}/edit": "editor",
        "/plans/{plan}/delivery/actions/{action}/milestones/new": "editor",
        "/plans/{plan}/delivery/milestones/{milestone}/edit": "editor",
        "/plans/{plan}/delivery/milestones/{milestone}/done": "lead",
    }
    for template, who in pages.items():
        status = b.get(template.format(**ids)).status_code
        if user is None or user.startswith("city-"):
            expected = 404  # a draft plan does not exist for the public, nor the city's people
        elif who == "signed-in" or user in EDITORS or (who == "lead" and user == "county-viewer"):
            expected = 200
        else:
            expected = 403
        assert status == expected, (template, user, status)


@pytest.mark.parametrize("user", USERS)
def test_writes_by_role(browser, sessions, delivery, user):
    ids = _ids(sessions, delivery)
    data = _workbook(browser, delivery.plan_id)
    b = browser(user)
    if user is not None:
        b.get(f"/plans/{delivery.plan_id}/delivery/tracker.xlsx")
    writes = [
        ("/plans/{plan}/delivery/actions/{action}/edit", _action_form(ids), "editor"),
        (
            "/plans/{plan}/delivery/actions/new",
            {"priority_id": str(ids["priority"]), "ref": f"HPX.{user}", "we_will": "Something"},
            "editor",
        ),
        (
            "/plans/{plan}/delivery/actions/{action}/milestones/new",
            {"by_text": "Run a pilot", "ref": ""},
            "editor",
        ),
        (
            "/plans/{plan}/delivery/milestones/{milestone}/done",
            {
                "done_date-day": "1",
                "done_date-month": "6",
                "done_date-year": "2025",
                "version": str(ids["milestone_version"]),
            },
            "lead",
        ),
    ]
    for template, form, who in writes:
        response = b.post(template.format(**ids), form)
        if user is None or user.startswith("city-"):
            expected = {404}  # the form's CSRF passes, then the plan does not exist for them
        elif user in EDITORS or (who == "lead" and user == "county-viewer"):
            expected = {303}
        else:
            expected = {403}
        assert response.status_code in expected, (template, user, response.text[:300])
    uploaded = _upload(b, delivery.plan_id, data)
    outside = user is None or user.startswith("city-")
    assert uploaded.status_code == (404 if outside else 200 if user in EDITORS else 403), (
        uploaded.text[:300]
    )


def test_a_stale_action_form_shows_the_conflict_and_overwrites_nothing(browser, sessions, delivery):
    ids = _ids(sessions, delivery)
    first, second = browser("county-editor"), browser("icb-editor")
    path = f"/plans/{delivery.plan_id}/delivery/actions/{ids['action']}/edit"
    first.get(path)
    second.get(path)
    saved = first.post(path, _action_form(ids, i_will="First person's words"))
    assert saved.status_code == 303
    stale = second.post(path, _action_form(ids, i_will="Second person's words"))
    assert stale.status_code == 409
    assert "Someone else changed this action" in stale.text
    assert "Second person&#39;s words" in stale.text  # what they typed is kept in the form
    with sessions() as s:
        assert s.get(DeliveryAction, ids["action"]).i_will == "First person's words"


def test_bad_input_is_shown_in_an_error_summary_linked_to_the_field(browser, sessions, delivery):
    ids = _ids(sessions, delivery)
    b = browser("county-editor")
    path = f"/plans/{delivery.plan_id}/delivery/actions/{ids['action']}/edit"
    b.get(path)
    before = _audit(sessions)
    blank = b.post(path, _action_form(ids, we_will="  "))
    assert blank.status_code == 400
    assert 'href="#we_will"' in blank.text and "nhsuk-error-summary" in blank.text
    bad_date = b.post(path, _action_form(ids, **{"due_date-month": "13"}))
    assert bad_date.status_code == 400 and 'href="#due_date-day"' in bad_date.text
    new = f"/plans/{delivery.plan_id}/delivery/actions/new"
    taken = b.post(new, {"priority_id": str(ids["priority"]), "ref": "HP2.1", "we_will": "x"})
    assert taken.status_code == 400 and 'href="#ref"' in taken.text
    future = b.post(
        f"/plans/{delivery.plan_id}/delivery/milestones/{ids['milestone']}/done",
        {
            "done_date-day": "1",
            "done_date-month": "1",
            "done_date-year": "2999",
            "version": str(ids["milestone_version"]),
        },
    )
    assert future.status_code == 400 and 'href="#done_date-day"' in future.text
    assert _audit(sessions) == before


def test_an_action_of_another_plan_is_not_found(browser, sessions, delivery):
    ids = _ids(sessions, delivery)
    other = make_delivery_plan(sessions).plan_id
    b = browser("county-editor")
    assert b.get(f"/plans/{other}/delivery/actions/{ids['action']}/edit").status_code == 404
    assert b.get(f"/plans/{other}/delivery/milestones/{ids['milestone']}/done").status_code == 404


def _audit(sessions) -> int:
    with sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind != "sign_in")
            )
            or 0
        )


def test_the_import_page_names_row_and_column_and_writes_nothing(browser, sessions, delivery):
    data = _workbook(browser, delivery.plan_id)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Actions"]
    stage = next(c.column_letter for c in ws[1] if c.value == "Delivery stage")
    ws[f"{stage}3"] = "Nearly there"
    out = io.BytesIO()
    wb.save(out)
    b = browser("county-editor")
    before = _audit(sessions)
    response = _upload(b, delivery.plan_id, out.getvalue())
    assert response.status_code == 400
    assert "Actions, row 3, column Delivery stage" in response.text
    assert "nhsuk-error-summary" in response.text
    assert _audit(sessions) == before
    unchanged = _upload(b, delivery.plan_id, data)
    assert unchanged.status_code == 200 and "there is nothing to save" in unchanged.text
    assert _audit(sessions) == before
    empty = b.client.post(
        f"/plans/{delivery.plan_id}/delivery/import",
        data={"csrf_token": b.token},
        follow_redirects=False,
    )
    assert empty.status_code == 400 and 'href="#tracker"' in empty.text


def test_a_file_that_is_not_a_workbook_points_back_to_the_file_input(browser, sessions, delivery):
    b = browser("county-editor")
    response = _upload(b, delivery.plan_id, b"Theme,Priority\nA,1\n")
    assert response.status_code == 400
    assert 'href="#tracker"' in response.text and "not an Excel workbook" in response.text
