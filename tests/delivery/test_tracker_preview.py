"""An uploaded tracker workbook is previewed, then confirmed: the preview lists the differences
and writes nothing; the confirmation writes exactly those differences, once each, unless the
tracker changed since (409, with the differences as they are now); a preview is the previewer's.

The tracker is tests/delivery/conftest.py's: actions HP2.1, HP2.2 and HP3.1 in rows 2 to 4 of the
Actions sheet, HP2.1's milestones 1 ("Agree the INT approach", due 31 May 2025, not done) and 2
in rows 2 and 3 of the Milestones sheet, and updates for 2025-26 Q1 and Q2, HP3.1 having none for
Q2. The changed workbook below (CHANGES) changes, by hand: HP2.2's "We will" (1 action changed),
HP3.1's Q2 Overall RAG (its first Q2 update: 1 update added), milestone 1's Done date (1 milestone
changed) and adds a milestone to HP3.1 (1 milestone added, numbered 1 as HP3.1 has none)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from placeplan.audit import service as audit
from placeplan.audit.present import entries
from placeplan.core.actor import operator
from placeplan.core.errors import NotFound
from placeplan.delivery import service
from placeplan.delivery.io.write import tracker_bytes
from placeplan.delivery.models import DeliveryAction, DeliveryMilestone, DeliveryUpdate
from placeplan.people import service as people
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from placeplan.store.uploads import PendingUpload
from placeplan.web.notices import NOTICE_COOKIE
from tests.factories import actor_for

SUMMARY = "1 action changed, 1 update added, 1 milestone changed, 1 milestone added"


def export(sessions, plan_id: int) -> bytes:
    with sessions() as s:
        return tracker_bytes(service.tracker_export(s, operator(), plan_id, "2025-26 Q2"))


def edit(data: bytes, changes: dict[tuple[str, str, int], object]) -> bytes:
    """Set cells by (sheet, column header, row), as a person would in Excel."""
    wb = load_workbook(io.BytesIO(data))
    for (sheet, header, row), value in changes.items():
        ws = wb[sheet]
        letter = next(c.column_letter for c in ws[1] if c.value == header)
        ws[f"{letter}{row}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CHANGES: dict[tuple[str, str, int], object] = {
    ("Actions", "We will", 3): "Enable digital literacy across the county",
    ("Actions", "Overall RAG", 4): "Green",
    ("Milestones", "Done", 2): date(2025, 6, 1),
    ("Milestones", "Action ref", 4): "HP3.1",
    ("Milestones", "By ...", 4): "Open two more hubs",
}


def counts(sessions) -> dict[str, int]:
    with sessions() as s:
        return {
            model.__name__: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (DeliveryAction, DeliveryMilestone, DeliveryUpdate)
        } | {
            # changes only: a sign-in is audited too
            "AuditEvent": int(
                s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.entity_kind != "sign_in")
                )
                or 0
            )
        }


def held_count(sessions) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(PendingUpload)) or 0)


def preview(sessions, plan_id: int, data: bytes, user: str = "county-editor"):
    with unit_of_work(sessions) as s:
        return service.hold_tracker(s, actor_for(s, user), plan_id, "tracker.xlsx", data)


def confirm(sessions, plan_id: int, token: str, user: str = "county-editor", base=None):
    with unit_of_work(sessions) as s:
        return service.confirm_tracker(s, actor_for(s, user), plan_id, token, base)


def test_the_preview_lists_the_differences_and_writes_nothing(sessions, delivery):
    before = counts(sessions)
    shown = preview(sessions, delivery.plan_id, edit(export(sessions, delivery.plan_id), CHANGES))
    assert counts(sessions) == before  # no action, milestone, update or audit event
    assert held_count(sessions) == 1 and shown.token
    assert shown.summary() == SUMMARY and shown.period == "2025-26 Q2"
    sections = {s.title: s for s in shown.differences.sections}
    (action,) = sections["Actions"].changes
    assert action.name == "HP2.2: Enable digital literacy"
    assert [(f.label, f.before.text, f.after.text) for f in action.fields] == [
        ("We will", "Enable digital literacy", "Enable digital literacy across the county")
    ]
    (update,) = sections["Updates for 2025-26 Q2"].changes
    assert (update.kind, update.name) == ("added", "HP3.1: Deliver enhanced access")
    assert [(f.label, f.after.text) for f in update.fields] == [("Overall RAG", "Green")]
    done, added = sections["Milestones"].changes
    assert done.name == "HP2.1 milestone 1: Agree the INT approach"
    assert [(f.label, f.before.text, f.after.text) for f in done.fields] == [
        ("Done", "", "1 June 2025")
    ]
    assert (added.kind, added.name) == ("added", "HP3.1 milestone 1: Open two more hubs")
    as_json = shown.as_json()
    assert as_json["summary"] == SUMMARY and as_json["checks"] == []
    assert as_json["sections"][0]["changes"][0]["fields"][0]["before"] == "Enable digital literacy"


def test_the_confirmation_writes_exactly_the_previewed_differences(sessions, delivery):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    token = preview(sessions, delivery.plan_id, data).token
    with sessions() as s:
        last = s.scalar(select(func.max(AuditEvent.id))) or 0
    done = confirm(sessions, delivery.plan_id, token)
    assert done.summary() == SUMMARY and done.token is None
    with sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.id > last)).all()
        hp22 = s.get(DeliveryAction, delivery.action_ids["HP2.2"])
        assert hp22.we_will == "Enable digital literacy across the county"
        assert hp22.version == 2  # changed in place: the same record, one version on
    # What the person did, then one event per difference: an update of the record, or the
    # creation of the new one.
    assert [(e.entity_kind, e.action) for e in events][0] == ("delivery_tracker", "upload_tracker")
    assert sorted((e.entity_kind, e.action) for e in events[1:]) == [
        ("delivery_action", "update"),
        ("delivery_milestone", "create"),
        ("delivery_milestone", "update"),
        ("delivery_update", "create"),
    ]
    with sessions() as s:
        reading = audit.read(s, operator(), audit.filters_from(plan=str(delivery.plan_id)), 1)
    assert entries(reading)[0].sentence == (
        "county editor uploaded the tracker workbook of County delivery plan: 1 action changed,"
        " 1 progress update added, 1 milestone changed, 1 milestone added"
    )
    assert held_count(sessions) == 0  # the held file is forgotten
    # A new export holds the changes (the new milestone with its ref): it changes nothing.
    again = preview(sessions, delivery.plan_id, export(sessions, delivery.plan_id))
    assert again.differences.empty and again.token is None


def test_an_unchanged_workbook_previews_no_change_and_holds_nothing(sessions, delivery):
    before = counts(sessions)
    shown = preview(sessions, delivery.plan_id, export(sessions, delivery.plan_id))
    assert shown.summary() == "No changes" and shown.token is None
    assert counts(sessions) == before and held_count(sessions) == 0


def test_a_confirmation_after_the_tracker_changed_is_refused_with_the_new_differences(
    sessions, delivery
):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    shown = preview(sessions, delivery.plan_id, data)
    with unit_of_work(sessions) as s:  # someone else changes HP2.1 in the app meanwhile
        action = s.get(DeliveryAction, delivery.action_ids["HP2.1"])
        service.update_action(
            s, actor_for(s, "icb-editor"), action.id, action.version, {"i_will": "Changed"}
        )
    before = counts(sessions)
    with pytest.raises(service.StalePreview) as refused:
        confirm(sessions, delivery.plan_id, shown.token)
    assert counts(sessions) == before  # nothing written
    again = refused.value.preview
    assert again is not None and again.base != shown.base and again.token == shown.token
    # The workbook leaves HP2.1 as exported, so the app's change stands: the same differences.
    assert again.summary() == SUMMARY
    done = confirm(sessions, delivery.plan_id, shown.token, base=again.base)
    assert done.summary() == SUMMARY
    with sessions() as s:
        assert s.get(DeliveryAction, delivery.action_ids["HP2.1"]).i_will == "Changed"


def test_another_persons_preview_is_not_theirs_to_confirm(sessions, delivery):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    token = preview(sessions, delivery.plan_id, data).token
    before = counts(sessions)
    with pytest.raises(NotFound):  # icb-editor may edit the plan; the preview is not theirs
        confirm(sessions, delivery.plan_id, token, user="icb-editor")
    assert counts(sessions) == before and held_count(sessions) == 1


# ---- the pages and the API


def upload(b, plan_id: int, data: bytes):
    b.get(f"/plans/{plan_id}/delivery/import")
    return b.client.post(
        f"/plans/{plan_id}/delivery/import",
        data={"csrf_token": b.token},
        files={"tracker": ("changed.xlsx", data, "application/octet-stream")},
        follow_redirects=False,
    )


def form_value(html: str, name: str) -> str:
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_pages_preview_then_confirm_with_a_notice(browser, sessions, delivery):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    b = browser("county-editor")
    before = counts(sessions)
    shown = upload(b, delivery.plan_id, data)
    assert shown.status_code == 200, shown.text[:500]
    assert SUMMARY in shown.text and "Nothing has been saved yet" in shown.text
    assert "Enable digital literacy across the county" in shown.text and "1 June 2025" in shown.text
    assert counts(sessions) == before
    token, base = form_value(shown.text, "token"), form_value(shown.text, "base")
    done = b.post(
        f"/plans/{delivery.plan_id}/delivery/import/confirm", {"token": token, "base": base}
    )
    assert done.status_code == 303 and done.headers["location"] == (
        f"/plans/{delivery.plan_id}/delivery"
    )
    assert NOTICE_COOKIE in done.cookies
    page = b.get(f"/plans/{delivery.plan_id}/delivery")
    assert f"Saved the tracker workbook changed.xlsx: {SUMMARY}" in page.text
    assert counts(sessions)["AuditEvent"] == before["AuditEvent"] + 5  # the upload, 4 changes
    twice = b.post(f"/plans/{delivery.plan_id}/delivery/import/confirm", {"token": token})
    assert twice.status_code == 404 and "upload the file again" in twice.text


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_confirm_page_answers_409_with_the_new_differences(browser, sessions, delivery):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    b = browser("county-editor")
    shown = upload(b, delivery.plan_id, data)
    token = form_value(shown.text, "token")
    with unit_of_work(sessions) as s:
        action = s.get(DeliveryAction, delivery.action_ids["HP2.1"])
        service.update_action(s, operator(), action.id, action.version, {"i_will": "Moved"})
    before = counts(sessions)
    stale = b.post(f"/plans/{delivery.plan_id}/delivery/import/confirm", {"token": token})
    assert stale.status_code == 409
    assert "the tracker changed since your preview" in stale.text and SUMMARY in stale.text
    assert counts(sessions) == before
    other = browser("icb-editor")
    other.get(f"/plans/{delivery.plan_id}/delivery/import")
    refused = other.post(f"/plans/{delivery.plan_id}/delivery/import/confirm", {"token": token})
    assert refused.status_code == 404 and counts(sessions) == before


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_api_previews_and_confirms(client, sessions, delivery):
    data = edit(export(sessions, delivery.plan_id), CHANGES)
    with unit_of_work(sessions) as s:
        key, _ = people.create_token(s, actor_for(s, "county-editor"), "script")
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/plans/{delivery.plan_id}/delivery/tracker"
    before = counts(sessions)
    shown = client.post(f"{url}/preview?filename=t.xlsx", content=data, headers=auth)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["summary"] == SUMMARY and body["file"] == "t.xlsx" and body["token"]
    assert counts(sessions) == before
    with unit_of_work(sessions) as s:
        action = s.get(DeliveryAction, delivery.action_ids["HP2.1"])
        service.update_action(s, operator(), action.id, action.version, {"i_will": "Moved"})
    stale = client.post(f"{url}/confirm", json={"token": body["token"]}, headers=auth)
    assert stale.status_code == 409 and stale.json()["preview"]["summary"] == SUMMARY
    new_base = stale.json()["preview"]["base"]
    done = client.post(
        f"{url}/confirm", json={"token": body["token"], "base": new_base}, headers=auth
    )
    assert done.status_code == 200 and done.json()["summary"] == SUMMARY
    assert done.json()["token"] is None
    bad = client.post(f"{url}/preview", content=b"not a workbook", headers=auth)
    assert bad.status_code == 400 and "error" in bad.json()
