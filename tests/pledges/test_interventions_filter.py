"""Interventions filtered by pledge, status and year. tests/pledges/conftest.py's plan has three:
"Open a hub" (23/24 to 25/26, pledge 1), "Train staff" (from 24/25, pledge 1) and "A digital
team" (no timeline, no pledge)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from placeplan.core.actor import operator
from placeplan.pledges.domain.timelines import runs_in, timeline_status
from placeplan.pledges.service import interventions_view

TODAY = date(2026, 12, 5)  # in 2026-27


def _names(view) -> list[str]:
    return [r.description for r in view.rows]


def test_status_and_years_from_the_timeline():
    assert timeline_status(2023, 2025, 2026) == "finished"
    assert timeline_status(2024, None, 2026) == "under_way"  # onwards
    assert timeline_status(2027, None, 2026) == "not_started"
    assert timeline_status(None, None, 2026) == "no_timeline"
    assert runs_in(2023, 2025, 2025) and not runs_in(2023, 2025, 2026)
    assert runs_in(2024, None, 2030) and not runs_in(None, None, 2024)


def test_each_filter_and_together(sessions, pledge_world):
    with sessions() as s:
        plan = pledge_world.plan_id
        everything = interventions_view(s, operator(), plan, today=TODAY)
        assert everything.total == 3 and len(everything.rows) == 3
        assert everything.pledges and everything.pledges[0][0] == "1"
        assert everything.years == [2023, 2024, 2025, 2026, 2027]  # 2023-24 to 2027-28
        assert _names(interventions_view(s, operator(), plan, pledge="none")) == ["A digital team"]
        assert _names(interventions_view(s, operator(), plan, status="finished", today=TODAY)) == [
            "Open a hub"
        ]
        assert _names(interventions_view(s, operator(), plan, year=2027)) == ["Train staff"]
        both = interventions_view(s, operator(), plan, pledge="1", year=2024)
        assert _names(both) == ["Open a hub", "Train staff"] and both.total == 3


def test_the_page_filters_and_its_csv_follows(browser, pledge_world):
    url = f"/plans/{pledge_world.plan_id}/interventions?pledge=1&status=&year=2023"
    page = browser("county-viewer").get(url).text
    assert "1 of 3 interventions match." in page and "Open a hub" in page
    assert "Train staff" not in page and "A digital team" not in page
    assert re.search(r'<option value="2023" selected>2023-24</option>', page)
    link = re.search(r'href="([^"]+format=csv[^"]+)" download', page)[1].replace("&amp;", "&")
    rows = list(csv.reader(io.StringIO(browser("county-viewer").get(link).text)))
    assert len(rows) == 2 and "Open a hub" in rows[1]
    none = (
        browser("county-viewer").get(f"/plans/{pledge_world.plan_id}/interventions?pledge=9").text
    )
    assert "No intervention matches these filters." in none
