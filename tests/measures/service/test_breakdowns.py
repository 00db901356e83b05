"""Breakdowns, age standardisation in the import, and on-track status, through the real services
on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.measures import service
from placeplan.measures.models import Measurement
from placeplan.measures.service.breakdowns import breakdowns
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, build_world

FALLS = {
    "key": "falls",
    "name": "Falls 65+",
    "unit": "rate_per_100k_dsr",
    "age_range": "65+",
    "direction": "lower",
    "frequency": "year",
}
AT_HOME = {
    "key": "at_home",
    "name": "Still at home 91 days",
    "unit": "percentage",
    "direction": "higher",
    "frequency": "year",
}
ADMISSIONS = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "rate_per_100k",
    "direction": "lower",
    "frequency": "month",
}


def setup(sessions, *metrics):
    build_world(sessions)
    with unit_of_work(sessions) as s:
        for metric in metrics:
            service.add_metric(s, operator(), metric)


def rows(*items: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    return list(enumerate(items, start=2))


def band(area: str, label: str, events: int, people: int, period: str = "2023-24"):
    return {
        "area_code": area,
        "period": period,
        "numerator": str(events),
        "denominator": str(people),
        "breakdown": "age_band",
        "breakdown_value": label,
    }


HAND_WORKED = [("65-74", 100, 50_000), ("75-84", 200, 25_000), ("85+", 150, 5_000)]


def count(sessions) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Measurement)) or 0)


def test_the_import_standardises_the_all_ages_rate_from_age_bands(sessions):
    setup(sessions, FALLS)
    with unit_of_work(sessions) as s:
        written = service.import_rows(
            s,
            operator(),
            "falls",
            rows(*(band(LEICESTERSHIRE, *b) for b in HAND_WORKED)),
            source="test bands",
        )
    assert written == 4  # three bands and the all-ages rate made from them
    with sessions() as s:
        found = {
            m.breakdown_value: m
            for m in s.scalars(select(Measurement).order_by(Measurement.breakdown_value))
        }
    total = found["all"]
    # The hand-worked example of test_standardise.py: 148 / 19,500 x 100,000 = 758.974359.
    assert total.value.quantize(Decimal("0.000001")) == Decimal("758.974359")
    assert (total.numerator, total.denominator) == (450, 80_000)  # 100+200+150; 50k+25k+5k
    assert total.recomputable and "European Standard Population 2013" in (total.source or "")
    assert (total.source or "").startswith("test bands; ")
    # Within a band the rate is crude: 100/50,000, 200/25,000, 150/5,000 per 100,000.
    assert [found[b].value for b in ("65-74", "75-84", "85+")] == [200, 800, 3000]


def test_an_all_ages_row_with_counts_but_no_value_takes_the_dsr(sessions):
    setup(sessions, FALLS)
    all_row = {"area_code": LEICESTERSHIRE, "period": "2023-24", "numerator": "450"}
    with unit_of_work(sessions) as s:
        service.import_rows(
            s, operator(), "falls", rows(all_row, *(band(LEICESTERSHIRE, *b) for b in HAND_WORKED))
        )
    with sessions() as s:
        total = s.scalars(select(Measurement).where(Measurement.breakdown == "all")).one()
    assert total.value.quantize(Decimal("0.000001")) == Decimal("758.974359")
    assert total.recomputable and total.numerator == 450


def test_a_dsr_published_without_counts_stays_as_published(sessions):
    setup(sessions, FALLS)
    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "falls",
            rows({"area_code": LEICESTERSHIRE, "period": "2019-20", "value": "831.5"}),
            source="Leicestershire BCF narrative plan 2021-22",
        )
    with sessions() as s:
        only = s.scalars(select(Measurement)).one()
    # Seed 002's 831.5, kept as published with its source.
    assert (only.value, only.recomputable) == (Decimal("831.5"), False)
    assert only.source == "Leicestershire BCF narrative plan 2021-22"


@pytest.mark.parametrize(
    "extra,row,field",
    [
        # An all-ages value alongside its bands would contradict them: row 2 is the all row.
        ({"area_code": LEICESTERSHIRE, "period": "2023-24", "value": "700"}, 2, "value"),
        # A band off the ESP's five-year grid: row 2 again.
        (band(LEICESTERSHIRE, "66-70", 1, 100), 2, "breakdown_value"),
        # 55-59 beside 65-74 leaves ages 60 to 64 out: the group's first band row, row 2.
        (band(LEICESTERSHIRE, "55-59", 1, 100), 2, "breakdown_value"),
    ],
)
def test_bad_age_bands_name_row_and_field_and_write_nothing(sessions, extra, row, field):
    setup(sessions, FALLS)
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "falls",
            rows(extra, *(band(LEICESTERSHIRE, *b) for b in HAND_WORKED)),
            file="bands.csv",
        )
    assert (caught.value.file, caught.value.row, caught.value.field) == ("bands.csv", row, field)
    assert count(sessions) == 0


def test_bands_update_a_stored_all_ages_figure_in_place(sessions):
    setup(sessions, FALLS)
    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "falls",
            rows({"area_code": LEICESTERSHIRE, "period": "2023-24", "value": "700"}),
        )
    with sessions() as s:
        first = s.scalars(select(Measurement)).one()
        last_event = s.scalar(select(func.max(AuditEvent.id)))
    with unit_of_work(sessions) as s:
        written = service.import_rows(
            s, operator(), "falls", rows(*(band(LEICESTERSHIRE, *b) for b in HAND_WORKED))
        )
    assert written == 4 and count(sessions) == 4  # three bands added, the all-ages one updated
    with sessions() as s:
        total = s.get(Measurement, first.id)
        events = s.scalars(select(AuditEvent).where(AuditEvent.id > last_event)).all()
    # The hand-worked DSR of the test above replaces the published 700: the same record.
    assert total.value.quantize(Decimal("0.000001")) == Decimal("758.974359")
    assert sorted(e.action for e in events if e.entity_id == first.id) == ["update"]


def cell(kind: str, value: str, n: int, d: int, area: str = LEICESTER, period: str = "2023-24"):
    return {
        "area_code": area,
        "period": period,
        "numerator": str(n),
        "denominator": str(d),
        "breakdown": kind,
        "breakdown_value": value,
    }


def load_at_home(sessions):
    setup(sessions, AT_HOME)
    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "at_home",
            rows(
                cell("all", "all", 120, 150),
                # Quintiles add up to the total: 30+25+25+20+20 = 120; 40+30+30+25+25 = 150.
                cell("imd_quintile", "1", 30, 40),
                cell("imd_quintile", "2", 25, 30),
                cell("imd_quintile", "3", 25, 30),
                cell("imd_quintile", "4", 20, 25),
                cell("imd_quintile", "5", 20, 25),
                # Sex: 6 + 114 = 120; 8 + 142 = 150. The 6 is small, so the 114 goes with it.
                cell("sex", "Not stated", 6, 8),
                cell("sex", "Female", 114, 142),
                # An earlier year where quintile 1 is small: its gap cannot be published.
                cell("imd_quintile", "1", 7, 9, period="2022-23"),
                cell("imd_quintile", "5", 20, 24, period="2022-23"),
            ),
        )


def test_breakdowns_with_intervals_the_gap_and_suppression_for_the_public(sessions):
    load_at_home(sessions)
    with sessions() as s:
        metric = service.get_metric(s, "at_home")
        from placeplan.areas.service import get_area

        leicester = get_area(s, LEICESTER)
        public = breakdowns(s, metric, leicester, None, public=True)
        inside = breakdowns(s, metric, leicester, None, public=False)
        earlier = breakdowns(s, metric, leicester, "2022-23", public=True)
        earlier_inside = breakdowns(s, metric, leicester, "2022-23", public=False)
    assert public.periods == ("2022-23", "2023-24") and public.period == "2023-24"
    # The total: 120 / 150 = 80%, Wilson interval by hand: z^2 = 3.841459, 4 x 120 x (1 - 0.8)
    # = 96; spread = 1.959964 x sqrt(99.841459) = 1.959964 x 9.992070 = 19.584097;
    # lower = (240 + 3.841459 - 19.584097) / (2 x 153.841459) = 224.257362 / 307.682918
    # = 72.886%; upper = (243.841459 + 19.584097) / 307.682918 = 85.616%.
    assert public.total is not None and public.total.value == 80
    assert public.total.interval is not None
    assert public.total.interval.lower == pytest.approx(72.886, abs=0.001)
    assert public.total.interval.upper == pytest.approx(85.616, abs=0.001)
    tables = {t.kind: t for t in public.tables}
    assert list(tables) == ["imd_quintile", "sex"]  # in the page's order
    sex = {f.key: f for f in tables["sex"].figures}
    assert (sex["Not stated"].small, sex["Female"].small) == ("small", "complementary")
    assert sex["Not stated"].withheld and sex["Female"].withheld
    inside_sex = {f.key: f for f in next(t for t in inside.tables if t.kind == "sex").figures}
    assert not inside_sex["Not stated"].withheld and inside_sex["Not stated"].small == "small"
    # Gap: quintile 1 30/40 = 75%, quintile 5 20/25 = 80%: 75 - 80 = -5 points.
    assert public.gap is not None and public.gap.gap == pytest.approx(-5.0)
    assert [f.label for f in tables["imd_quintile"].figures][0] == "1 (most deprived)"
    # 2022-23's quintile 1 (7 of 9) is small: the gap is withheld from the public only, and the
    # public trend has just 2023-24's gap while the signed-in trend has both years.
    assert earlier.gap is None and earlier.gap_withheld
    assert earlier_inside.gap is not None
    # 2022-23: 7/9 = 77.78%, 20/24 = 83.33%: gap -5.56; 2023-24: -5.0; slope +0.56 a period.
    assert public.trend is not None and len(public.trend.gaps) == 1
    assert inside.trend is not None and inside.trend.slope == pytest.approx(0.5556, abs=1e-4)


def test_no_breakdowns_is_an_empty_page_not_an_error(sessions):
    setup(sessions, AT_HOME)
    with sessions() as s:
        from placeplan.areas.service import get_area

        found = breakdowns(s, service.get_metric(s, "at_home"), get_area(s, LEICESTER), None, True)
    assert found.period is None and found.tables == () and found.gap is None


def test_on_track_per_period_and_the_boards_latest_status(sessions):
    setup(sessions, ADMISSIONS)
    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "admissions",
            rows(
                # 150 / 100,000 x 100,000 = 150; 160; 140; and 5 of 5,000 = 100 (a small count).
                cell("all", "all", 150, 100_000, LEICESTERSHIRE, "2024-04"),
                cell("all", "all", 160, 100_000, LEICESTERSHIRE, "2024-05"),
                cell("all", "all", 140, 100_000, LEICESTERSHIRE, "2024-06"),
                cell("all", "all", 5, 5_000, LEICESTERSHIRE, "2024-07"),
            ),
        )
        for month, target in (
            ("2024-04", 150),
            ("2024-05", 150),
            ("2024-06", 145),
            ("2024-08", 140),
        ):
            service.add_ambition(
                s, operator(), "admissions", LEICESTERSHIRE, {"period": month, "target": target}
            )
    with sessions() as s:
        found = {p.ambition.period: p.status for p in service.progress(s, area_id=None)}
        metric = service.get_metric(s, "admissions")
        from placeplan.areas.service import get_area

        area = get_area(s, LEICESTERSHIRE)
        rows_ = service.series(s, metric.id, area.id)
        standing = service.standing_by_period(
            rows_, service.ambitions_for(s, metric.id, area.id), metric.direction
        )
        [row] = [r for r in service.board(s) if r.metric.key == "admissions"]
    # Lower is better: 150 against 150 meets it exactly (on track); 160 > 150 is not; 140 <= 145
    # is; August has an ambition but no figure.
    assert found == {
        "2024-04": "on_track",
        "2024-05": "off_track",
        "2024-06": "on_track",
        "2024-08": "no_figure",
    }
    assert standing == {"2024-04": "on_track", "2024-05": "off_track", "2024-06": "on_track"}
    # The board: the latest period with both a figure and an ambition is June; the latest figure
    # (July, 5 events) is small, so the public will not see it.
    assert row.standing == ("2024-06", "on_track")
    assert row.latest is not None and row.latest.period == "2024-07" and row.latest.small


def test_seven_events_give_no_all_ages_rate_and_the_preview_says_why(sessions):
    # 1 + 1 + 2 + 3 = 7 events over 65-74, 75-84, 85+: below the 10 PHEindicatormethods' phe_dsr
    # needs, so no all-ages figure is stored, the bands are, and the check says why.
    from placeplan.measures.service.previews import measurement_checks

    setup(sessions, FALLS)
    seven = [("65-74", 1, 5_000), ("75-84", 3, 2_500), ("85+", 3, 500)]
    with unit_of_work(sessions) as s:
        checked = service.check_rows(
            s, operator(), "falls", rows(*(band(LEICESTER, *b) for b in seven))
        )
        assert [m.breakdown for m in checked.adds] == ["age_band"] * 3
        assert any("No all-ages age-standardised rate for Leicester 2023-24" in c
                   for c in measurement_checks(checked))  # fmt: skip
