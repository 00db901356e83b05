"""Measurements: import with validation (all or nothing), rates from counts, ambitions, the board."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.demo.measures import load_demo_measures
from placeplan.measures import service
from placeplan.measures.models import Measurement
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTERSHIRE, build_world

RATE = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "rate_per_100k",
    "population_age": 65,
    "direction": "lower",
    "frequency": "month",
}


def add_metric(sessions) -> None:
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), RATE)


def rows(*items: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    return list(enumerate(items, start=2))


def test_rates_come_from_counts_and_the_population(sessions):
    build_world(sessions)  # Leicestershire's illustrative 2024 bands give 150,000 people aged 65+
    add_metric(sessions)
    with unit_of_work(sessions) as s:
        service.import_rows(
            s,
            operator(),
            "admissions",
            rows(
                {"area_code": LEICESTERSHIRE, "period": "2024-07", "numerator": "300"},
                {
                    "area_code": LEICESTERSHIRE,
                    "period": "2024-08",
                    "numerator": "30",
                    "denominator": "15000",
                },
            ),
        )
    with sessions() as s:
        found = s.scalars(select(Measurement).order_by(Measurement.period_sort)).all()
        # By hand: 300 / 150,000 x 100,000 = 200; 30 / 15,000 x 100,000 = 200.
        assert [(m.value, m.population_used) for m in found] == [
            (Decimal(200), 150_000),
            (Decimal(200), None),
        ]


@pytest.mark.parametrize(
    "bad,field",
    [
        ({"area_code": LEICESTERSHIRE, "period": "2024-07", "numerator": "lots"}, "numerator"),
        ({"area_code": "E06000099", "period": "2024-07", "numerator": "1"}, "area_code"),
        (
            {
                "area_code": LEICESTERSHIRE,
                "period": "2024-07",
                "numerator": "1",
                "denominator": "0",
            },
            "denominator",
        ),
        ({"area_code": LEICESTERSHIRE, "period": "July", "numerator": "1"}, "period"),
        (
            {"area_code": LEICESTERSHIRE, "period": "2024-06", "numerator": "1"},
            "period",
        ),  # duplicate
    ],
)
def test_bad_rows_name_row_and_field_and_write_nothing(sessions, bad, field):
    build_world(sessions)
    add_metric(sessions)
    good = {"area_code": LEICESTERSHIRE, "period": "2024-06", "numerator": "10"}
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(Measurement))
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        service.import_rows(s, operator(), "admissions", rows(good, bad), file="upload.csv")
    assert (caught.value.row, caught.value.field, caught.value.file) == (3, field, "upload.csv")
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Measurement)) == before


def test_csv_with_an_unknown_column_is_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("area_code,period,numerator,colour\nE10000018,2024-07,1,red\n")
    with pytest.raises(InputError) as caught:
        service.read_rows(path)
    assert (caught.value.row, caught.value.field) == (1, "colour")


def test_demo_measures_keep_published_rates_and_check_stated_changes(sessions):
    build_world(sessions)
    with unit_of_work(sessions) as s:
        # Only Leicestershire has a population in the test world: 3 published + 3 series x 36 months;
        # and the illustrative breakdowns of the world's two areas (measures.yaml): still at home
        # 1 + 5 + 5 + 2 + 3 + 3 rows, falls 6 age bands + the all-ages DSR computed from them;
        # and Leicester's Housing Enablement Team figures of seed 001: 901 referrals in all, 698 +
        # 173 + 30 by source, and two mean resolution times (2.61 and 15.21 days).
        assert load_demo_measures(s, operator()) == 3 + 3 * 36 + 2 * (19 + 7) + 4 + 2
    with sessions() as s:
        published = s.scalars(select(Measurement).where(Measurement.recomputable.is_(False))).all()
        # Seed 002 gives these rates without their counts, and seed 001 the Housing Enablement
        # Team's mean resolution times (2.61, 15.21 days): kept as published.
        assert sorted(float(m.value) for m in published) == [2.61, 15.21, 84.7, 536.0, 831.5]
        checks = {
            a.metric.key: service.check_ambition(a)
            for a in service.ambitions_for(s)
            if a.stated_change  # the demo's illustrative monthly ambitions state no change
        }
        # 536 -> 519 "3% reduction" is 3.2%; 84.7% -> 85% "an increase of 0.3%" is 0.3 points.
        assert all(c is not None and c.consistent for c in checks.values())
        rows = {(r.metric.key, r.area.gss_code): r for r in service.board(s)}
        assert rows[("emergency_admissions_65_plus", LEICESTERSHIRE)].points == 36


def test_the_import_command_names_row_and_field_on_bad_input(
    tmp_path, sqlite_template, monkeypatch
):
    import json
    import shutil

    from click.testing import CliRunner

    from placeplan.cli import main
    from placeplan.store.db import make_engine, session_factory

    path = tmp_path / "db.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", f"sqlite:///{path}")
    sessions = session_factory(make_engine(f"sqlite:///{path}"))
    build_world(sessions)
    add_metric(sessions)
    good = tmp_path / "good.csv"
    good.write_text("area_code,period,numerator,denominator\nE10000018,2024-07,30,15000\n")
    result = CliRunner().invoke(
        main, ["metrics", "import", str(good), "--metric", "admissions", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    done = json.loads(result.output)
    assert (done["metric"], done["imported"], done["summary"]) == (
        "admissions",
        1,
        "1 measurement added",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "area_code,period,numerator,denominator\nE10000018,2024-08,3,15000\nE10000018,2024-09,x,1\n"
    )
    result = CliRunner().invoke(
        main, ["metrics", "import", str(bad), "--metric", "admissions", "--format", "json"]
    )
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert (error["row"], error["field"]) == (3, "numerator") and error["file"] == str(bad)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Measurement)) == 1  # nothing from bad.csv


def test_the_housing_enablement_team_counts_of_seed_001_load_with_their_sources(sessions):
    build_world(sessions)
    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())
    with sessions() as s:
        from placeplan.areas.service import get_area

        leicester = get_area(s, "E06000016")
        metric = service.get_metric(s, "het_referrals")
        rows = {
            (m.breakdown_value, m.value)
            for m in s.scalars(
                select(Measurement).where(
                    Measurement.metric_id == metric.id, Measurement.area_id == leicester.id
                )
            )
        }
        # Seed 001, "In 2021/22 the HET service undertook": 698 + 173 + 30 = 901 referrals.
        assert rows == {
            ("all", 901),
            ("UHL hospitals", 698),
            ("Bradgate Mental Health Unit", 173),
            ("Mental health rehabilitation units", 30),
        }
