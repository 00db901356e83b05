"""Fingertips rows stored as measurements, from the shipped fixtures (built from the API's
documented response shapes; tests/measures/fixtures/README.md). There is no network here: the
store is fed parsed fixtures, and the command is pointed at a loopback server that serves them."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from placeplan.areas import service as areas
from placeplan.core.actor import operator
from placeplan.core.errors import InputError
from placeplan.measures import service
from placeplan.measures.models import Measurement
from placeplan.measures.service.fingertips import Provenance, parse_all_data_csv
from placeplan.measures.service.fingertips_store import our_period, store
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, build_world

FIXTURES = Path(__file__).parents[1] / "fixtures"
RUTLAND = "E06000017"
FALLS = {
    "key": "falls_65_plus",
    "name": "Falls 65+",
    "unit": "rate_per_100k_dsr",
    "direction": "lower",
    "frequency": "year",
}
CRUDE = {**FALLS, "key": "falls_crude", "unit": "rate_per_100k"}
URL = "https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id?indicator_ids=22401"


def fixture_data(body: str | None = None):
    provenance = Provenance(URL, datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "0" * 64)
    text = body or (FIXTURES / "fingertips_all_data_22401.csv").read_text(encoding="utf-8-sig")
    return parse_all_data_csv(text, provenance)


def world(sessions, *metrics):
    build_world(sessions)
    with unit_of_work(sessions) as s:
        areas.create_area(s, operator(), RUTLAND, "Rutland", "LLR")
        for metric in metrics:
            service.add_metric(s, operator(), metric)


def counts(sessions) -> tuple[int, int]:
    with sessions() as s:
        return (
            int(s.scalar(select(func.count()).select_from(Measurement)) or 0),
            int(
                s.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.entity_kind != "sign_in")
                )
                or 0
            ),
        )


def test_fetched_rows_are_stored_with_provenance_and_a_rerun_writes_nothing(sessions):
    world(sessions, FALLS)
    with unit_of_work(sessions) as s:
        result = store(s, operator(), "falls_65_plus", fixture_data(), 22401)
    # The fixture: 6 rows; Rutland 2022/23 has no value ("*"), so 5 are stored.
    assert (result.stored, result.unchanged) == (5, 0)
    assert result.skipped == {"no value (suppressed or not published by Fingertips)": 1}
    with sessions() as s:
        stored = {(m.area.gss_code, m.period): m for m in s.scalars(select(Measurement))}
    leicester = stored[(LEICESTER, "2021-22")]
    # A DSR: the published 1950.1 is kept, not recomputable, with the counts the API gives.
    assert (leicester.value, leicester.numerator, leicester.denominator) == (
        Decimal("1950.1"),
        Decimal(600),
        Decimal(30767),
    )
    assert not leicester.recomputable
    assert leicester.source == "OHID Fingertips API, indicator 22401, retrieved 2026-11-23"
    assert sorted(stored) == sorted(
        [
            (LEICESTER, "2021-22"),
            (LEICESTER, "2022-23"),
            (LEICESTERSHIRE, "2021-22"),
            (LEICESTERSHIRE, "2022-23"),
            (RUTLAND, "2021-22"),
        ]
    )
    before = counts(sessions)
    with unit_of_work(sessions) as s:
        again = store(s, operator(), "falls_65_plus", fixture_data(), 22401)
    assert (again.stored, again.unchanged) == (0, 5)
    assert counts(sessions) == before  # no measurement and no audit event written


def test_a_crude_rate_is_computed_from_the_counts(sessions):
    world(sessions, CRUDE)
    with unit_of_work(sessions) as s:
        store(s, operator(), "falls_crude", fixture_data(), 22401)
    with sessions() as s:
        m = s.scalars(
            select(Measurement).where(Measurement.period == "2021-22").order_by(Measurement.id)
        ).first()
    assert m is not None and m.recomputable
    # 600 / 30,767 x 100,000 = 1950.1 to one place (the fixture's published value).
    assert m.value.quantize(Decimal("0.1")) == Decimal("1950.1")


def test_a_revised_figure_is_refused_and_nothing_is_written(sessions):
    world(sessions, FALLS)
    with unit_of_work(sessions) as s:
        store(s, operator(), "falls_65_plus", fixture_data(), 22401)
    before = counts(sessions)
    body = (FIXTURES / "fingertips_all_data_22401.csv").read_text(encoding="utf-8-sig")
    revised = body.replace(",2022/23,2010.4,", ",2022/23,2011.0,")
    assert revised != body
    with pytest.raises(InputError) as caught, unit_of_work(sessions) as s:
        store(s, operator(), "falls_65_plus", fixture_data(revised), 22401)
    # Leicester 2022/23 is the fixture's second data row, line 3.
    assert (caught.value.row, caught.value.field, caught.value.file) == (3, "Value", URL)
    assert counts(sessions) == before


def test_periods_are_rewritten_and_others_refused():
    assert our_period("2021/22", 2, URL) == "2021-22"
    assert our_period("2021/22 Q3", 2, URL) == "2021-22 Q3"
    with pytest.raises(InputError) as caught:
        our_period("2021", 7, URL)
    assert (caught.value.row, caught.value.field) == (7, "Time period")


class _Fixtures(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.path.startswith("/api/indicator_metadata/by_indicator_id"):
            body, kind = (FIXTURES / "fingertips_metadata_22401.json").read_bytes(), "json"
        elif self.path.startswith("/api/all_data/csv/by_indicator_id"):
            body, kind = (FIXTURES / "fingertips_all_data_22401.csv").read_bytes(), "csv"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"text/{kind}" if kind == "csv" else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fixtures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_the_command_stores_all_or_nothing_and_a_rerun_writes_nothing(
    tmp_path, sqlite_template, monkeypatch, loopback
):
    from click.testing import CliRunner

    from placeplan.cli import main
    from placeplan.store.db import make_engine, session_factory

    path = tmp_path / "db.sqlite3"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("PLACEPLAN_DATABASE_URL", f"sqlite:///{path}")
    sessions = session_factory(make_engine(f"sqlite:///{path}"))
    world(sessions, FALLS)
    args = [
        "fingertips",
        "fetch",
        "--indicator",
        "22401",
        "--area-type",
        "502",
        "--base-url",
        loopback,
        "--store",
        "--metric",
        "falls_65_plus",
        "--format",
        "json",
    ]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    answer = json.loads(first.output)
    assert (answer["stored"], answer["unchanged"]) == (5, 0)
    assert answer["provenance"]["url"].startswith(loopback)
    before = counts(sessions)
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0 and json.loads(second.output)["stored"] == 0
    assert counts(sessions) == before
    missing = CliRunner().invoke(main, args[:-4] + ["--store", "--format", "json"])
    assert missing.exit_code == 2 and json.loads(missing.stderr)["error"]["field"] == "metric"
