"""The demo's Five-Year Plan carries the 13 pledges, measures and accountable partnerships of
seed 003's Table 13, and the interventions of its Tables 4 to 12 and 14 to 16."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from placeplan.core.actor import operator
from placeplan.demo.loader import load_demo
from placeplan.measures.models import Metric
from placeplan.plans.models import Plan
from placeplan.pledges import service

# Seed 003, Table 13, column "Accountability", pledge by pledge.
ACCOUNTABLE = {
    "1": "LLR ICB via the Health Equity Committee",
    "2": "Prevention Partnership (TBC)",
    "3": "Urgent & Emergency Care Partnership",
    "4": "Urgent & Emergency Care Partnership",
    "5": "Urgent & Emergency Care Partnership",
    "6": "Urgent & Emergency Care Partnership",
    "7": "Urgent & Emergency Care Partnership",
    "8": "Planned Care Partnership",
    "9": "LDA Collaborative",
    "10": "Mental Health Partnership",
    "11": "Children & Young People's Partnership",
    "12": "Women's Partnership",
    "13": "LLR People Board",
}
# Seed 003, Table 13, column "Measures we will use": how many each pledge lists (pledge 1 numbers
# two; pledge 2 targets three causes of death and adds a prevention spend measure; pledge 11 an
# interim measure and metrics to come; pledge 12 four stages of care).
MEASURE_COUNTS = {"1": 2, "2": 4, "11": 2, "12": 4}
# Seed 003: the interventions each table lists (Table 6 splits 14 into a and b; Table 8's
# deliverables are 7 + 7 + 3; Table 12 has 4 women's health items and 11 maternity sub-items).
TABLE_COUNTS = {
    "Table 4": 10,
    "Table 5": 7,
    "Table 6": 17,
    "Table 7": 8,
    "Table 8": 17,
    "Table 9": 8,
    "Table 10": 5,
    "Table 11": 9,
    "Table 12": 15,
    "Table 14": 7,
    "Table 15": 6,
    "Table 16": 4,
}


def test_the_demo_plan_has_table_13s_pledges(sessions):
    assert load_demo(sessions)["counts"]["pledges"] == 13
    with sessions() as s:
        plan_id = s.scalar(select(Plan.id).where(Plan.key == "llr-fyp-2023-28"))
        _, views = service.list_pledges(s, operator(), plan_id)
        by_ref = {v.pledge.ref: v for v in views}
        assert list(by_ref) == [str(n) for n in range(1, 14)]
        assert {ref: "; ".join(a.name for a in v.accountable) for ref, v in by_ref.items()} == (
            ACCOUNTABLE
        )
        assert {r: len(v.measures) for r, v in by_ref.items() if len(v.measures) != 1} == (
            MEASURE_COUNTS
        )
        # Table 13's own words for a pledge and a measure.
        assert by_ref["5"].pledge.statement == (
            "Reduce Category 2 (emergency calls such as stroke patients) ambulance response times"
        )
        assert (
            by_ref["9"]
            .measures[0]
            .measure.name.startswith(
                "Number/percentage of learning disability Annual Health Checks"
            )
        )
        # The seed's figures: 90% of Category 2 calls within 30 minutes in 2023/24 (Table 13,
        # pledge 5), as a 90th centile of 30 minutes, lower is better; 95% seen in A&E within
        # four hours (Table 13, pledge 6).
        cat2 = by_ref["5"].measures[0].measure
        assert (cat2.target_value, cat2.target_period, cat2.direction) == (
            Decimal(30),
            "2023-24",
            "lower",
        )
        assert by_ref["6"].measures[0].measure.target_value == Decimal(95)
        # Figures the seed does not give are marked illustrative; the Category 2 target is not.
        assert not cat2.illustrative and cat2.latest_illustrative
        for v in views:
            for m in v.measures:
                x = m.measure
                if x.baseline_value is not None:
                    assert x.illustrative, x.ref  # Table 13 gives no baselines
                if x.latest_value is not None:
                    assert x.latest_illustrative, x.ref
        # Measures that are catalogue metrics link to a metric that exists.
        keys = set(s.scalars(select(Metric.key)))
        linked = [m.measure.metric_key for v in views for m in v.measures if m.measure.metric_key]
        # 11 measures link to metrics appended to metrics.yaml for Table 13, and two more to the
        # life expectancy gap (pledge 1.2, years) and Category 2 response times (5.1, minutes).
        assert len(linked) == 13 and set(linked) <= keys
        # Statuses of the illustrative figures, derived by hand:
        # 4.1: 560,000 (Mar 2023) -> 600,000 (Mar 2024); Sep 2023 is 183/366 = half-way, the line
        #      stands at 580,000, 585,000 is above it: on track.
        # 5.1: 34 minutes against a target of 30 with no baseline: off track.
        # 6.1: 68% (Mar 2023) -> 95% (2027-28, ends Mar 2028, 1,827 days); Mar 2024 is 366 days
        #      in: 68 + 27 x 366/1827 = 73.41; 74.5 is above: on track.
        # 9.1: 76.3% against a target of 75%: met.
        assert {r: v.status for r, v in by_ref.items() if v.status != "not_measured"} == {
            "4": "on_track",
            "5": "off_track",
            "6": "on_track",
            "9": "met",
        }
        assert round(by_ref["6"].measures[0].assessment.expected, 2) == Decimal("73.41")
        _, rows = service.list_interventions(s, operator(), plan_id)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.table_ref] = counts.get(row.table_ref, 0) + 1
        assert counts == TABLE_COUNTS
        # Seed 003, Table 4, intervention 1: "24/25"; Table 5, 6 and 7: "From 27/28".
        first = rows[0]
        assert (first.table_ref, first.number, first.start_year, first.end_year) == (
            "Table 4",
            "1",
            2024,
            2024,
        )
        t5 = [(r.number, r.start_year, r.end_year) for r in rows if r.table_ref == "Table 5"]
        assert t5[-2:] == [("6", 2027, None), ("7", 2027, None)]
        # Table 11's ninth intervention has no timeline in the seed.
        t11 = next(r for r in rows if r.table_ref == "Table 11" and r.number == "9")
        assert (t11.timeline, t11.start_year) == (None, None)
