"""A BCF plan's NHS minimum contribution to adult social care, its uplift taken from a financial
model's allocation change: previewed before and after, version-checked, audited, and the page
saying where the figure came from. Through the service and the pages.

The figures, by hand: the county plan (2025-26) gets a baseline of £100,000; the national uplift
for 2025-26 is 3.9% (REFERENCE.md), so the minimum is £103,900.00. The LLR plan's small model
(tests/finance/factory.py) has an allocation increase of £30 on a cost base of £300 in 2025-26:
10.000%, which makes the minimum £110,000.00."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.budget import service as budget
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.finance import service as finance
from placeplan.plans import service as plans
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import World, actor_for
from tests.finance.factory import one_year_document, small_document


@dataclass
class Scene:
    plan_id: int  # the county BCF plan, 2025-26
    model_id: int  # the LLR plan's model, 2024-25 to 2025-26
    flat_id: int  # a model with no allocation change in 2025-26


@pytest.fixture
def scene(sessions, world: World) -> Scene:
    with unit_of_work(sessions) as s:
        op = operator("test")
        llr = plans.create_plan(
            s, op, "five_year_plan", "LLR plan", "2024-25 to 2025-26", system_code="LLR"
        )
        model = finance.create_model(s, op, llr.id, "Our model", small_document())
        other = plans.create_plan(
            s, op, "five_year_plan", "Other plan", "2025-26", system_code="LLR"
        )
        flat = finance.create_model(s, op, other.id, "Flat", one_year_document("2025-26"))
        area_id = plans.get_plan(s, op, world.plan_id).area_id
        budget.set_nhs_asc_baseline(s, op, area_id, 2025, 100_000_00)
        return Scene(world.plan_id, model.id, flat.id)


def _events(session) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_kind == "bcf_nhs_asc_baseline")
    )


def test_the_uplift_is_previewed_then_taken_and_audited(sessions, scene) -> None:
    with sessions() as s:
        editor = actor_for(s, "county-editor")
        offered = {o.record.id: o for o in budget.models_offered(s, editor, scene.plan_id)}
        assert offered[scene.model_id].uplift.percent == Decimal("10.000")
        assert offered[scene.flat_id].uplift is None
        preview = budget.preview_uplift(s, editor, scene.plan_id, str(scene.model_id))
        assert (preview.uplift_before, preview.required_before) == (Decimal("3.9"), 103_900_00)
        assert (preview.uplift_after, preview.required_after) == (Decimal("10.000"), 110_000_00)
        version = preview.version
    with sessions() as s:  # a preview writes nothing
        assert budget.nhs_minimum(s, operator("t"), scene.plan_id).required == 103_900_00
    with unit_of_work(sessions) as s:
        before = _events(s)
        budget.take_uplift(
            s, actor_for(s, "county-editor"), scene.plan_id, str(scene.model_id), version
        )
        assert _events(s) == before + 1
    with sessions() as s:
        minimum = budget.nhs_minimum(s, operator("t"), scene.plan_id)
        assert minimum.required == 110_000_00
        assert minimum.model is not None and minimum.model.id == scene.model_id
        assert minimum.source == (
            "Taken from the financial model LLR plan: Our model: Allocation increase in "
            "2025-26: £30 on a cost base of £300 is 10.000%"
        )
        # The budget's funding rule checks against the new minimum (the plan has no lines yet,
        # so none of the minimum is planned).
        (finding,) = [
            f for f in budget.view(s, operator("t"), scene.plan_id).findings
            if f.rule == "nhs-asc-minimum"
        ]  # fmt: skip
        assert "at least £110,000.00 is required (£100,000.00 + 10.000%)" in finding.message


def test_a_stale_version_is_refused(sessions, scene) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        budget.take_uplift(s, editor, scene.plan_id, str(scene.model_id), 1)
    with sessions() as s, pytest.raises(Conflict) as caught:
        budget.take_uplift(s, actor_for(s, "county-editor"), scene.plan_id, str(scene.model_id), 1)
    assert caught.value.current_version == 2


@pytest.mark.parametrize(
    ("model", "words"),
    [("", "Choose the financial model"), ("flat", "no allocation change in 2025-26")],
)
def test_a_model_that_gives_no_uplift_is_refused(sessions, scene, model, words) -> None:
    chosen = str(scene.flat_id) if model == "flat" else model
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            budget.take_uplift(s, actor_for(s, "county-editor"), scene.plan_id, chosen, 1)
        assert caught.value.field == "model" and words in caught.value.message


def test_only_the_plans_editors_may_take_it(sessions, scene) -> None:
    with sessions() as s, pytest.raises(Forbidden):
        budget.preview_uplift(s, actor_for(s, "county-viewer"), scene.plan_id, str(scene.model_id))


def test_the_reference_data_takes_the_uplift_back(sessions, scene) -> None:
    with unit_of_work(sessions) as s:
        budget.take_uplift(s, operator("t"), scene.plan_id, str(scene.model_id), None)
    with unit_of_work(sessions) as s:
        area_id = plans.get_plan(s, operator("t"), scene.plan_id).area_id
        budget.set_nhs_asc_baseline(s, operator("t"), area_id, 2025, 100_000_00)
    with sessions() as s:
        minimum = budget.nhs_minimum(s, operator("t"), scene.plan_id)
        assert minimum.required == 103_900_00 and minimum.model is None
        assert minimum.source.startswith("The national uplift")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_pages_preview_take_and_say_where_it_came_from(browser, scene) -> None:
    editor = browser("county-editor")
    url = f"/plans/{scene.plan_id}/budget/nhs-minimum"
    assert url in editor.get(f"/plans/{scene.plan_id}/budget").text
    page = editor.get(url).text
    assert "£103,900.00" in page and "The national uplift" in page
    assert "LLR plan: Our model: 10.000%" in page
    refused = editor.post(f"{url}/preview", {"model": ""})
    assert refused.status_code == 400 and "Choose the financial model" in refused.text
    preview = editor.post(f"{url}/preview", {"model": str(scene.model_id)})
    assert preview.status_code == 200
    assert "£103,900.00" in preview.text and "£110,000.00" in preview.text
    assert "£103,900.00" in editor.get(url).text  # not yet taken
    taken = editor.post(url, {"model": str(scene.model_id), "version": "1"})
    assert taken.status_code == 303
    page = editor.get(url).text
    assert "£110,000.00" in page and "Taken from the financial model LLR plan" in page
    assert f'href="/finance/{scene.model_id}"' in page
    history = re.search(r'href="(/audit\?entity=bcf_nhs_asc_baseline:\d+)"', page)[1]
    entries = editor.get(history).text
    assert "Where the uplift came from" in entries and "Taken from the financial model" in entries
    stale = editor.post(url, {"model": str(scene.model_id), "version": "1"})
    assert stale.status_code == 409
    viewer = browser("county-viewer").get(url).text
    assert "£110,000.00" in viewer and "Preview the change" not in viewer


def test_an_uplift_below_the_national_one_is_said(sessions, scene) -> None:
    document = small_document()
    document["lines"][1]["entries"] = [
        {"year": "2024-25", "amount": 30},
        {"year": "2025-26", "amount": 3},  # £3 on a cost base of £300: 1.000%, under 3.9%
    ]
    with unit_of_work(sessions) as s:
        low = plans.create_plan(
            s, operator("t"), "five_year_plan", "Low plan", "2024-25 to 2025-26", system_code="LLR"
        )
        model_id = finance.create_model(s, operator("t"), low.id, "Low", document).id
    with sessions() as s:
        editor = actor_for(s, "county-editor")
        assert not budget.preview_uplift(
            s, editor, scene.plan_id, str(scene.model_id)
        ).below_national
        preview = budget.preview_uplift(s, editor, scene.plan_id, str(model_id))
        assert preview.uplift_after == Decimal("1.000") and preview.below_national
        assert preview.required_after == 101_000_00
    with unit_of_work(sessions) as s:
        budget.take_uplift(s, actor_for(s, "county-editor"), scene.plan_id, str(model_id), 1)
    with sessions() as s:
        minimum = budget.nhs_minimum(s, operator("t"), scene.plan_id)
        assert minimum.below_national and minimum.national == Decimal("3.9")


def _token(sessions, username: str) -> dict[str, str]:
    from placeplan.people import service as people

    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, username), "t")
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_api_previews_then_takes_the_uplift_with_its_version(client, sessions, scene) -> None:
    """The module's figures: 3.9% and £103,900.00 before, 10.000% and £110,000.00 after."""
    url = f"/api/v1/plans/{scene.plan_id}/budget/nhs-minimum"
    editor = _token(sessions, "county-editor")
    shown = client.get(url, headers=editor).json()
    assert (shown["uplift_percent"], shown["required_pence"]) == ("3.900", 103_900_00)
    assert shown["can_edit"] is True and shown["version"] == 1
    offered = {o["id"]: o for o in shown["offered"]}
    assert offered[scene.model_id]["uplift_percent"] == "10.000"
    assert offered[scene.flat_id]["problem"] == "The model has no allocation change in 2025-26"

    preview = client.post(f"{url}/preview", json={"model": scene.model_id}, headers=editor)
    assert preview.status_code == 200, preview.text
    seen = preview.json()
    assert (seen["uplift_before"], seen["required_before_pence"]) == ("3.900", 103_900_00)
    assert (seen["uplift_after"], seen["required_after_pence"]) == ("10.000", 110_000_00)
    with sessions() as s:
        before = _events(s)
        assert budget.nhs_minimum(s, operator("t"), scene.plan_id).required == 103_900_00

    taken = client.post(
        url, json={"model": scene.model_id, "version": seen["version"]}, headers=editor
    )
    assert taken.status_code == 200, taken.text
    assert taken.json()["required_pence"] == 110_000_00
    assert taken.json()["model"]["id"] == scene.model_id and taken.json()["version"] == 2
    stale = client.post(url, json={"model": scene.model_id, "version": 1}, headers=editor)
    assert stale.status_code == 409 and stale.json()["error"]["current_version"] == 2
    with sessions() as s:
        assert _events(s) == before + 1

    refused = client.post(f"{url}/preview", json={"model": scene.flat_id}, headers=editor)
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "model"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_viewer_reads_the_minimum_but_may_not_take_an_uplift(client, sessions, scene) -> None:
    url = f"/api/v1/plans/{scene.plan_id}/budget/nhs-minimum"
    viewer = _token(sessions, "county-viewer")
    shown = client.get(url, headers=viewer).json()
    assert shown["can_edit"] is False and shown["offered"] == []
    assert (
        client.post(f"{url}/preview", json={"model": scene.model_id}, headers=viewer).status_code
        == 403
    )
    taken = client.post(url, json={"model": scene.model_id, "version": 1}, headers=viewer)
    assert taken.status_code == 403
