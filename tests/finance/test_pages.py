"""The financial model's pages and API: what they show, the line form's saves and refusals,
scenarios going out of date, the downloads."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def test_the_model_page_shows_tables_charts_and_downloads(browser, finance_world) -> None:
    viewer = browser("county-viewer")
    page = viewer.get(f"/finance/{finance_world.model_id}")
    assert page.status_code == 200
    text = page.text
    for heading in ("The challenge if nothing is done", "The bridge", "The position by year"):
        assert heading in text
    assert 'class="pp-finance-chart"' in text and "waterfall chart" in text
    # £000 cells of the small model (tests/finance/test_compute.py): the do-nothing challenge
    # over the period is -£75, which rounds to (0) thousand and shows as a dash; the labels show.
    assert "Do nothing challenge" in text and "Proposal challenge" in text
    workbook = viewer.get(f"/finance/{finance_world.model_id}?format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    table = viewer.get(f"/finance/{finance_world.model_id}?format=csv&table=bridge")
    assert table.status_code == 200 and "National ask" in table.text
    assert viewer.get(f"/plans/{finance_world.plan_id}/finance").status_code == 200


def test_the_line_form_saves_and_refuses_with_the_field_named(browser, finance_world) -> None:
    editor = browser("county-editor")
    url = f"/finance/{finance_world.model_id}/lines/inflation"
    form = editor.get(url)
    assert form.status_code == 200 and 'name="amount_2024"' in form.text
    values = {"version": "1", "name": "Tariff inflation", "source": "hand",
              "amount_2024": "10", "amount_2025": "", "rate_2025": "5", "base_2025": ""}  # fmt: skip
    refused = editor.post(url, values)
    assert refused.status_code == 400
    assert "The rate for 2025-26 needs a base" in refused.text
    assert 'id="base_2025-error"' in refused.text
    saved = editor.post(url, values | {"base_2025": "cost_base"})
    assert saved.status_code == 303
    stale = editor.post(url, values | {"base_2025": "cost_base", "amount_2024": "11"})
    assert stale.status_code == 409
    page = editor.get(f"/finance/{finance_world.model_id}")
    assert (
        "5% of the year&#39;s cost base" in page.text or "5% of the year's cost base" in page.text
    )


def test_a_scenario_shows_it_is_out_of_date(browser, finance_world) -> None:
    editor = browser("county-editor")
    made = editor.post(f"/finance/{finance_world.model_id}/scenarios", {"name": "Low growth"})
    assert made.status_code == 303
    scenario_url = made.headers["location"]
    assert "has not changed since" in editor.get(scenario_url).text
    values = {"version": "1", "name": "Tariff inflation", "source": "hand",
              "amount_2024": "10", "amount_2025": "25"}  # fmt: skip
    assert (
        editor.post(f"/finance/{finance_world.model_id}/lines/inflation", values).status_code == 303
    )
    page = editor.get(scenario_url).text
    assert "Out of date" in page and "1 assumption changed" in page
    # The differences are shown (2025-26's inflation went from £20 to £25 in the base) ...
    differences = page[page.index("Out of date") : page.index('id="challenge"')]
    assert "Tariff inflation" in differences and "£20" in differences and "£25" in differences
    # ... and the scenario is never recomputed from the base: its own line still holds £20.
    line = editor.get(f"{scenario_url}/lines/inflation").text
    assert 'id="amount_2025" name="amount_2025" type="text" inputmode="numeric" value="20"' in line
    side = editor.get(f"/plans/{finance_world.plan_id}/finance/compare").text
    # The base's do-nothing challenge is now -£80 (inflation £25 in 2025-26: -75 - 5), the
    # scenario's still -£75: both round to nothing in £000, so the names and rows are checked.
    assert "Low growth" in side and "Do nothing challenge" in side


def test_the_api_answers_and_refuses_in_one_shape(browser, sessions, finance_world) -> None:
    from placeplan.people import service as people
    from placeplan.store.uow import unit_of_work
    from tests.factories import actor_for

    with unit_of_work(sessions) as s:
        token, _ = people.create_token(s, actor_for(s, "county-editor"), "t")
    editor = browser()
    headers = {"Authorization": f"Bearer {token}"}
    answer = editor.get(f"/api/v1/finance/{finance_world.model_id}", headers=headers).json()
    bridge = {row["label"]: row["cells_pence"][0] for row in answer["tables"]["bridge"]["rows"]}
    assert bridge["Do nothing challenge"] == -75_00  # tests/finance/test_compute.py
    refused = editor.client.patch(
        f"/api/v1/finance/{finance_world.model_id}/lines/inflation",
        json={"version": 1, "values": {"rate_2024": "5"}},
        headers=headers,
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "base_2024"


def test_the_allocation_page_shows_shares_and_the_path(browser, sessions, finance_world) -> None:
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.store.uow import unit_of_work
    from tests.finance.factory import two_areas

    with unit_of_work(sessions) as s:
        made = service.create_allocation(
            s, operator("t"), finance_world.plan_id, "Shares", two_areas(), illustrative=True
        )
        allocation_id = made.id
    viewer = browser("county-viewer")
    page = viewer.get(f"/finance/allocations/{allocation_id}")
    assert page.status_code == 200
    # tests/finance/test_allocation.py: B's path £45, £40.50, £36.45; target share 75% for A.
    assert "£36.45" in page.text and "75.0%" in page.text and "Illustrative" in page.text
    assert "bar chart" in page.text
    path = viewer.get(f"/finance/allocations/{allocation_id}?format=csv&table=path")
    assert "£63.55" in path.text
    workbook = viewer.get(f"/finance/allocations/{allocation_id}?format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert (
        f"/finance/allocations/{allocation_id}"
        in viewer.get(f"/plans/{finance_world.plan_id}/finance").text
    )


def test_sensitivity_and_range_run_show_on_the_page(browser, sessions, finance_world) -> None:
    from placeplan.core.actor import operator
    from placeplan.finance import service
    from placeplan.plans import service as plans
    from placeplan.store.uow import unit_of_work
    from tests.finance.factory import small_document

    ranges = [{"target": "inflation", "low": "-50", "high": "50", "source": "hand"}]
    with unit_of_work(sessions) as s:
        plan = plans.create_plan(
            s, operator("t"), "five_year_plan", "Ranged", "2024-25 to 2025-26", system_code="LLR"
        )
        model_id = service.create_model(
            s, operator("t"), plan.id, "Ranged", small_document(ranges=ranges)
        ).id
    viewer = browser("county-viewer")
    page = viewer.get(f"/finance/{model_id}?draws=50&seed=3").text
    assert "tornado chart" in page and "Which assumption moves the final year most" in page
    assert "50 draws" in page and "random seed 3" in page
    refused = viewer.get(f"/finance/{model_id}?draws=0")
    assert refused.status_code == 400
    assert "The number of draws must be from 1 to 10,000" in refused.text
    table = viewer.get(f"/finance/{model_id}?format=csv&table=sensitivity")
    assert "Tariff inflation" in table.text


def test_the_settings_form_changes_the_cost_base(browser, finance_world) -> None:
    editor = browser("county-editor")
    url = f"/finance/{finance_world.model_id}/settings"
    form = editor.get(url)
    assert form.status_code == 200 and 'value="200"' in form.text  # the £200 cost base
    values = {"version": "1", "plan_position": "-40", "non_recurrent": "60", "source": "hand",
              "cost_base_2024": "400", "cost_base_2025": "300", "cost_base_source": "hand",
              "uplift_2025": "5", "uplift_source": "hand"}  # fmt: skip
    refused = editor.post(url, values | {"cost_base_2024": "lots"})
    assert (
        refused.status_code == 400 and "The cost base for 2024-25 must be a number" in refused.text
    )
    assert editor.post(url, values).status_code == 303
    answer = editor.get(f"/api/v1/finance/{finance_world.model_id}")
    # 10% of £400 = £40 in year 1 and £30 in year 2 (tests/finance/factory.py): £70.
    bridge = {r["label"]: r["cells_pence"][0] for r in answer.json()["tables"]["bridge"]["rows"]}
    assert bridge["10% efficiency"] == 70_00
