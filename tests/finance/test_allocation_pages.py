"""The allocation's pages: its form (new and edit, refusals shown beside the field with what was
typed kept, a stale save answered 409), and a need index uploaded, previewed and applied."""

from __future__ import annotations

import re

import pytest

from tests.finance.test_allocation_edits import FORM

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _made(editor, plan_id: int) -> str:
    made = editor.post(f"/plans/{plan_id}/finance/allocations/new", FORM)
    assert made.status_code == 303, made.text
    return made.headers["location"]


def test_the_form_makes_an_allocation_and_refuses_bad_input(browser, finance_world) -> None:
    plan_id = finance_world.plan_id
    editor = browser("county-editor")
    assert (
        f"/plans/{plan_id}/finance/allocations/new" in editor.get(f"/plans/{plan_id}/finance").text
    )
    assert editor.get(f"/plans/{plan_id}/finance/allocations/new").status_code == 200
    assert (
        browser("county-viewer").get(f"/plans/{plan_id}/finance/allocations/new").status_code == 403
    )
    refused = editor.post(
        f"/plans/{plan_id}/finance/allocations/new", FORM | {"component_1_weight": "-2"}
    )
    assert refused.status_code == 400
    assert 'id="component_1_weight-error"' in refused.text
    assert "The weight of Deprivation must be from 0 to 1000000 (it is -2)" in refused.text
    assert 'value="-2"' in refused.text and "A, 100, 50" in refused.text  # what was typed
    outside = editor.post(f"/plans/{plan_id}/finance/allocations/new", FORM | {"totals": "1\n1\n1"})
    assert outside.status_code == 400 and 'id="totals-error"' in outside.text
    assert 'href="/finance/allocations/' not in editor.get(f"/plans/{plan_id}/finance").text
    url = _made(editor, plan_id)
    page = editor.get(url).text
    # tests/finance/test_allocation.py: target shares 75% and 25%; B's first year £45.
    assert "75.0%" in page and "£45" in page and f"{url}/edit" in page


def test_the_edit_form_is_filled_and_version_checked(browser, finance_world) -> None:
    editor = browser("county-editor")
    url = _made(editor, finance_world.plan_id)
    form = editor.get(f"{url}/edit").text
    assert "A, 100, 50" in form and "A, 3" in form and 'name="version" value="1"' in form
    saved = editor.post(
        f"{url}/edit", FORM | {"version": "1", "max_loss": "5", "component_1_weight": "10"}
    )
    assert saved.status_code == 303
    stale = editor.post(f"{url}/edit", FORM | {"version": "1", "max_loss": "7"})
    assert stale.status_code == 409
    assert "Someone else changed this allocation" in stale.text
    assert 'name="version" value="2"' in stale.text  # a second save goes ahead knowingly
    page = editor.get(url).text
    assert "No area loses more than 5%" in page
    assert "Deprivation: weight 10." in page  # as typed, not as 1E+1
    history = re.search(r'href="(/audit\?entity=finance_allocation:\d+)"', page)[1]
    assert "Areas, need and pace" in editor.get(history).text


def _upload(editor, url: str, content: bytes):
    return editor.client.post(
        f"{url}/need-index",
        data={
            "csrf_token": editor.token,
            "index_name": "Index",
            "index_weight": "1",
            "index_source": "hand",
        },
        files={"index_file": ("index.csv", content, "text/csv")},
        follow_redirects=False,
    )


def test_a_need_index_is_previewed_before_it_is_applied(browser, finance_world) -> None:
    editor = browser("county-editor")
    url = _made(editor, finance_world.plan_id)
    editor.get(f"{url}/edit")
    refused = _upload(editor, url, b"Area,Need index\nA,1.5\n")
    assert refused.status_code == 400 and "The file has no need index for B" in refused.text
    held = _upload(editor, url, b"Area,Need index\nA,1\nB,1\n")
    assert held.status_code == 303
    preview = editor.get(held.headers["location"])
    assert preview.status_code == 200 and "Apply the need index" in preview.text
    # An index of 1 for both, weighted as deprivation: need (1.5 + 1) / 2 = 1.25 and
    # (0.5 + 1) / 2 = 0.75, target shares 62.5% and 37.5% against 75% and 25% now.
    assert "1.250" in preview.text and "62.5%" in preview.text and "75.0%" in preview.text
    table = editor.get(held.headers["location"] + "?format=csv").text
    assert "B,0.500,0.750,25.0%,37.5%" in table
    assert "Index" not in editor.get(url).text.split("Need components")[1]  # not yet applied
    token = re.search(r"need-index/(\w+)", held.headers["location"])[1]
    applied = editor.post(f"{url}/need-index/{token}")
    assert applied.status_code == 303
    assert "Index: weight 1" in editor.get(url).text
