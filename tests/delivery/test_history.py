"""The tracker's ratings by period: a grid of each action's overall rating in each reporting
period, with its CSV; and the update form, which offers the plan's own quarters to choose from."""

from __future__ import annotations

import csv
import io
import re

from tests.delivery.conftest import make_delivery_plan


def test_the_grid_shows_each_actions_rating_in_each_period(browser, world, sessions):
    delivery = make_delivery_plan(sessions)
    whole = browser("county-viewer").get(f"/plans/{delivery.plan_id}/delivery/history").text
    page = whole.split('class="nhsuk-table placeplan-rag-grid"')[1].split("</table>")[0]
    head = re.findall(r'<th scope="col" class="nhsuk-table__header">([^<]+)</th>', page)
    assert head == ["Action", "2025-26 Q1", "2025-26 Q2"]
    # conftest's updates: Q1 HP2.1 green, HP2.2 red, HP3.1 amber; Q2 HP2.1 red, HP2.2 amber.
    rows = {
        ref: [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
        for ref, cells in (
            (m[0], re.findall(r"<td[^>]*>(.*?)</td>", m[1], re.S))
            for m in re.findall(
                r'<span class="nhsuk-u-font-weight-bold">([^<]+)</span>.*?</th>(.*?)</tr>',
                page,
                re.S,
            )
        )
    }
    assert rows == {
        "HP2.1": ["● Green", "▲ Red"],
        "HP2.2": ["▲ Red", "◆ Amber"],
        "HP3.1": ["◆ Amber", "Not rated"],
    }
    assert (
        f'href="/plans/{delivery.plan_id}/delivery/history"'
        in browser("county-viewer").get(f"/plans/{delivery.plan_id}/delivery").text
    )


def test_the_grid_downloads_as_csv_with_each_rating_as_a_word(browser, world, sessions):
    delivery = make_delivery_plan(sessions)
    answer = browser("county-viewer").get(f"/plans/{delivery.plan_id}/delivery/history?format=csv")
    table = list(csv.reader(io.StringIO(answer.text)))
    assert table[0] == ["Ref", "Theme", "We will", "2025-26 Q1", "2025-26 Q2"]
    assert [r[0:1] + r[3:] for r in table[1:]] == [
        ["HP2.1", "Green", "Red"],
        ["HP2.2", "Red", "Amber"],
        ["HP3.1", "Amber", ""],
    ]


def test_the_grid_needs_a_sign_in(browser, world, sessions):
    delivery = make_delivery_plan(sessions, publish=True)
    assert browser().get(f"/plans/{delivery.plan_id}/delivery/history").status_code in (401, 403)


def test_the_update_form_offers_the_plans_quarters(browser, world, sessions):
    delivery = make_delivery_plan(sessions)  # runs 2025-26 to 2026-27
    page = (
        browser("county-editor")
        .get(f"/plans/{delivery.plan_id}/delivery/update?period=2025-26+Q3")
        .text
    )
    select = page.split('id="choose-period"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]+)"( selected)?>', select)
    assert [o for o, _ in options] == [
        f"{y} Q{q}" for y in ("2025-26", "2026-27") for q in (1, 2, 3, 4)
    ]
    assert [o for o, chosen in options if chosen] == ["2025-26 Q3"]
