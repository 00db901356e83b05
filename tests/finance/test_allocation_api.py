"""A need-weighted allocation through the JSON API: read (shares, distance from target, the glide
path by year), made and changed with the form's checks, version-checked (a stale change answers
409 and writes nothing), audited, and only by the plan's editors.

The figures, by hand, for tests/finance/factory.py's two areas over the finance_world plan's two
years (2024-25 and 2025-26): A and B, 100 people each, deprivation 3 and 1 (mean 2), so need
indices 1.5 and 0.5 and target shares 75% and 25%: £75 and £25 of £100. Both spend £50 today,
so A is 33.33% below target and B 100% above. B may lose 10% a year: £45, then £40.50; A takes
the rest: £55, then £59.50."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from placeplan.finance.models import FinanceAllocation
from placeplan.people import service as people
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

BODY: dict[str, Any] = {
    "name": "Shares",
    "first_year": "2024-25",
    "totals_pence": [100_00, 100_00],
    "max_loss_percent": "10",
    "areas": [
        {"name": "A", "population": 100, "current_pence": 50_00},
        {"name": "B", "population": 100, "current_pence": 50_00},
    ],
    "components": [
        {"name": "Deprivation", "weight": "1", "source": "hand", "values": {"A": 3, "B": 1}}
    ],
}


def _headers(sessions, username: str) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, username), "t")
    return {"Authorization": f"Bearer {token}"}


def _events(sessions) -> int:
    with sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_kind == "finance_allocation")
            )
            or 0
        )


def test_made_read_changed_and_a_stale_change_refused(client, sessions, finance_world) -> None:
    editor = _headers(sessions, "county-editor")
    before = _events(sessions)
    made = client.post(
        f"/api/v1/plans/{finance_world.plan_id}/finance/allocations", json=BODY, headers=editor
    )
    assert made.status_code == 201, made.text
    answer = made.json()
    allocation_id = answer["id"]
    assert answer["version"] == 1 and answer["url"] == f"/finance/allocations/{allocation_id}"
    assert answer["years"] == ["2024-25", "2025-26"]
    areas = {a["name"]: a for a in answer["areas"]}
    assert areas["A"]["need_index"] == "1.500000" and areas["B"]["need_index"] == "0.500000"
    assert areas["A"]["target_share"] == "0.750000" and areas["A"]["target_pence"] == 75_00
    assert areas["A"]["distance_percent"] == "-33.33"
    assert areas["B"]["distance_percent"] == "100.00"
    assert areas["B"]["path"] == [
        {"year": "2024-25", "pence": 45_00},
        {"year": "2025-26", "pence": 40_50},
    ]
    assert [p["pence"] for p in areas["A"]["path"]] == [55_00, 59_50]
    assert _events(sessions) == before + 1

    # A viewer reads it, and the plan's list names it with its version.
    viewer = _headers(sessions, "county-viewer")
    read = client.get(f"/api/v1/finance/allocations/{allocation_id}", headers=viewer).json()
    assert read["areas"] == answer["areas"]
    listed = client.get(
        f"/api/v1/plans/{finance_world.plan_id}/finance/allocations", headers=viewer
    ).json()
    assert [(a["id"], a["version"]) for a in listed["allocations"]] == [(allocation_id, 1)]

    # Sent back as read, with a pace of 5%: B loses 5% a year, £47.50 then £45.125 (£45.13).
    change = {**read, "max_loss_percent": "5", "version": 1}
    changed = client.put(
        f"/api/v1/finance/allocations/{allocation_id}", json=change, headers=editor
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    b_path = next(a["path"] for a in changed.json()["areas"] if a["name"] == "B")
    assert b_path[0]["pence"] == 47_50
    assert _events(sessions) == before + 2

    stale = client.put(
        f"/api/v1/finance/allocations/{allocation_id}",
        json={**change, "max_loss_percent": "20"},
        headers=editor,
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["current_version"] == 2
    assert _events(sessions) == before + 2
    with sessions() as s:
        stored = s.get(FinanceAllocation, allocation_id)
        assert stored is not None and stored.document["max_loss"] == "5"


def test_a_viewer_may_not_make_or_change_one(client, sessions, finance_world) -> None:
    viewer = _headers(sessions, "county-viewer")
    refused = client.post(
        f"/api/v1/plans/{finance_world.plan_id}/finance/allocations", json=BODY, headers=viewer
    )
    assert refused.status_code == 403
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(FinanceAllocation)) == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"components": [{**BODY["components"][0], "weight": "-1"}]},
            "weight",
            "The weight of Deprivation must be from 0 to 1000000 (it is -1)",
        ),
        (
            {"max_loss_percent": "100"},
            "max_loss",
            "The most an area may lose a year is a percentage: it must be from 0 to 99.99 "
            "(it is 100)",
        ),
        (
            {"areas": [BODY["areas"][0], {**BODY["areas"][1], "current_pence": -500}]},
            "current",
            "The spend today in B must be from £0 to £100,000,000,000 (it is -£5.00)",
        ),
        (
            {"first_year": "2023-24"},
            "first_year",
            "The first year, 2023-24, is outside the plan's period, 2024-25 to 2025-26",
        ),
        (
            {"totals_pence": [100_00, 100_00, 100_00]},
            "totals",
            "3 years from 2024-25 run to 2026-27, beyond the plan's period, 2024-25 to 2025-26",
        ),
        (
            {"components": [{**BODY["components"][0], "values": {"A": 3}}]},
            "values",
            "Deprivation has no value for B",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_written(
    client, sessions, finance_world, change, field, message
) -> None:
    """The same words as the form (tests/finance/test_allocation_edits.py): one definition."""
    editor = _headers(sessions, "county-editor")
    before = _events(sessions)
    refused = client.post(
        f"/api/v1/plans/{finance_world.plan_id}/finance/allocations",
        json={**BODY, **change},
        headers=editor,
    )
    assert refused.status_code == 400, refused.text
    assert (refused.json()["error"]["field"], refused.json()["error"]["message"]) == (
        field,
        message,
    )
    assert _events(sessions) == before


def _made(client, sessions, plan_id: int) -> tuple[dict[str, str], int]:
    """county-editor's headers and the allocation BODY they made."""
    editor = _headers(sessions, "county-editor")
    made = client.post(f"/api/v1/plans/{plan_id}/finance/allocations", json=BODY, headers=editor)
    return editor, made.json()["id"]


def _upload(client, allocation_id: int, content: bytes, headers: dict[str, str]):
    return client.post(
        f"/api/v1/finance/allocations/{allocation_id}/need-index",
        data={"index_name": "Index", "index_weight": "1", "index_source": "hand"},
        files={"index_file": ("index.csv", content, "text/csv")},
        headers=headers,
    )


def test_a_need_index_is_previewed_then_applied_through_the_api(
    client, sessions, finance_world
) -> None:
    editor, allocation_id = _made(client, sessions, finance_world.plan_id)
    before = _events(sessions)
    # the page's refusal, in the page's words, naming the file; nothing held or written
    refused = _upload(client, allocation_id, b"Area,Need index\nA,1.5\n", editor)
    assert refused.status_code == 400 and "The file has no need index for B" in refused.text
    bad = _upload(client, allocation_id, b"Area,Need index\nA,1\nB,lots\n", editor)
    assert bad.status_code == 400 and "row 3" in bad.text and "index.csv" in bad.text
    shown = _upload(client, allocation_id, b"Area,Need index\nA,1\nB,1\n", editor)
    assert shown.status_code == 200, shown.text
    preview = shown.json()
    # an index of 1 for both, weighted as deprivation (by hand, as the pages' test): need
    # (1.5 + 1) / 2 = 1.25 and (0.5 + 1) / 2 = 0.75; target shares 62.5% and 37.5% against 75%
    # and 25% now
    areas = {a["name"]: a for a in preview["areas"]}
    assert areas["A"]["need_index_now"] == "1.500000"
    assert areas["A"]["need_index_with_upload"] == "1.250000"
    assert areas["B"]["target_share_now"] == "0.250000"
    assert areas["B"]["target_share_with_upload"] == "0.375000"
    assert preview["allocation_version"] == 1 and preview["weight"] == "1"
    assert _events(sessions) == before  # a preview writes nothing
    assert (
        client.get(f"/api/v1/finance/allocations/{allocation_id}", headers=editor).json()["version"]
        == 1
    )
    # a viewer cannot apply the editor's preview
    viewer = _headers(sessions, "county-viewer")
    assert client.post(preview["confirm_url"], headers=viewer).status_code in {403, 404}
    applied = client.post(preview["confirm_url"], headers=editor)
    assert applied.status_code == 200, applied.text
    answer = applied.json()
    assert answer["version"] == 2 and _events(sessions) == before + 1
    assert {a["name"]: a["need_index"] for a in answer["areas"]} == {
        "A": "1.250000",
        "B": "0.750000",
    }
    assert [c["name"] for c in answer["components"]] == ["Deprivation", "Index"]


def test_a_need_index_previewed_before_a_change_is_not_applied(
    client, sessions, finance_world
) -> None:
    editor, allocation_id = _made(client, sessions, finance_world.plan_id)
    preview = _upload(client, allocation_id, b"Area,Need index\nA,1\nB,1\n", editor).json()
    changed = client.put(
        f"/api/v1/finance/allocations/{allocation_id}",
        json=BODY | {"version": 1, "max_loss_percent": "5"},
        headers=editor,
    )
    assert changed.status_code == 200
    stale = client.post(preview["confirm_url"], headers=editor)
    assert stale.status_code == 409 and "upload it again" in stale.text
    now = client.get(f"/api/v1/finance/allocations/{allocation_id}", headers=editor).json()
    assert now["version"] == 2 and [c["name"] for c in now["components"]] == ["Deprivation"]
