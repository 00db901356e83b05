"""A plan's interventions marked on the SPC chart of the metric its pledge measures: where they
start, and hidden from the public while the plan is unpublished."""

from __future__ import annotations

from sqlalchemy import select

from placeplan.areas.models import Area
from placeplan.core.actor import Actor, operator
from placeplan.measures import service as measures
from placeplan.measures.service.figures import linked
from placeplan.pledges.service.chart_links import interventions_for_metric
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for
from tests.pledges.conftest import document, make_pledge_plan

PUBLIC = Actor(name="the public", via="web")


def test_interventions_of_a_pledge_measuring_the_metric_mark_its_chart(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        measures.add_metric(
            s,
            operator(),
            {"key": "ae4", "name": "A&E within 4 hours", "unit": "percentage",
             "direction": "higher", "frequency": "month"},
        )  # fmt: skip
    doc = document()
    doc["pledges"][0]["measures"][0]["metric"] = "ae4"  # measure 1.1 of pledge 1 is the metric
    make_pledge_plan(sessions, doc)
    with unit_of_work(sessions) as s:
        viewer = actor_for(s, "county-viewer")
        county = s.scalar(select(Area).where(Area.gss_code == LEICESTERSHIRE))
        city = s.scalar(select(Area).where(Area.gss_code == LEICESTER))
        # pledge 1's interventions (Table 4): "23/24 to 25/26" starts 2023, "From 24/25" 2024;
        # Table 5's has no pledge, so no link.
        assert interventions_for_metric(s, viewer, "ae4", county.id) == [
            (2023, "Table 4, intervention 1: Open a hub"),
            (2024, "Table 4, intervention 2: Train staff"),
        ]
        assert interventions_for_metric(s, PUBLIC, "ae4", county.id) == []  # a draft plan
        assert interventions_for_metric(s, viewer, "ae4", city.id) == []  # the county's plan
        metric = measures.get_metric(s, "ae4")
        # on a monthly chart a financial year starts in April; only starts within the chart
        assert linked(s, viewer, metric, county, {"2024-03", "2024-04"}) == [
            ("2024-04", "Table 4, intervention 2: Train staff")
        ]
