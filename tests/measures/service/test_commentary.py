"""Commentary on a metric's figures: written by the area's editors, versioned, audited, internal
unless marked public; through the real service on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placeplan.areas.models import Area
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.measures import service
from placeplan.measures.service import commentary
from placeplan.store import audit
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for, build_world

METRIC = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "rate_per_100k",
    "direction": "lower",
    "frequency": "month",
}


@pytest.fixture
def world(sessions):
    # a figure for April 2025 in both areas: a note speaks of a period's figure
    build_world(sessions)
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), METRIC)
        rows = [
            (n + 2, {"area_code": code, "period": "2025-04", "value": "1500"})
            for n, code in enumerate((LEICESTERSHIRE, LEICESTER))
        ]
        service.import_rows(s, operator(), "admissions", rows)


def _area(s, code):
    return s.scalar(select(Area).where(Area.gss_code == code))


def write(sessions, username, text, *, code=LEICESTERSHIRE, period="2025-04", **kw):
    with unit_of_work(sessions) as s:
        note = commentary.set_commentary(
            s,
            actor_for(s, username),
            service.get_metric(s, "admissions"),
            _area(s, code),
            period,
            text,
            **{"public": False, **kw},
        )
        return note.id, note.version


def test_an_editor_writes_then_rewrites_a_period_note_and_both_are_audited(sessions, world):
    note_id, version = write(sessions, "county-editor", "Winter pressures began early.")
    assert version == 1
    _, version = write(
        sessions, "county-editor", "Winter pressures began in October.", version=1, public=True
    )
    assert version == 2
    with unit_of_work(sessions) as s:
        metric, area = service.get_metric(s, "admissions"), _area(s, LEICESTERSHIRE)
        public = commentary.commentaries(s, metric, area, public_only=True)
        assert public["2025-04"].text == "Winter pressures began in October."
        assert public["2025-04"].author == "county editor"
        history = audit.history(s, "metric_commentary", note_id)
        assert [e.action for e in history] == ["update", "create"]  # newest first


def test_a_note_saved_from_a_stale_page_is_refused_and_keeps_the_other_writer(sessions, world):
    write(sessions, "county-editor", "First view.")
    write(sessions, "icb-admin", "The ICB's view.", version=1)
    with pytest.raises(Conflict) as refused:
        write(sessions, "county-editor", "My second view.", version=1)
    assert refused.value.current_version == 2
    assert refused.value.changes["text"] == ("First view.", "The ICB's view.")
    # A form opened when the period had no note (version 0) is stale once someone wrote one.
    with pytest.raises(Conflict):
        write(sessions, "county-editor", "Another.", period="2025-04", version=0)


def test_internal_notes_are_not_public_and_an_unchanged_save_writes_nothing(sessions, world):
    note_id, _ = write(sessions, "county-editor", "Internal only.")
    write(sessions, "county-editor", "Internal only.", version=1)
    with unit_of_work(sessions) as s:
        metric, area = service.get_metric(s, "admissions"), _area(s, LEICESTERSHIRE)
        assert commentary.commentaries(s, metric, area, public_only=True) == {}
        assert list(commentary.commentaries(s, metric, area, public_only=False)) == ["2025-04"]
        assert len(audit.history(s, "metric_commentary", note_id)) == 1


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("county-viewer", LEICESTERSHIRE),
        ("county-approver", LEICESTERSHIRE),
        ("county-editor", LEICESTER),
    ],
)
def test_only_editors_of_an_organisation_covering_the_area_may_comment(
    sessions, world, username, code
):
    with pytest.raises(Forbidden):
        write(sessions, username, "Not mine to say.", code=code)


@pytest.mark.parametrize(
    ("text", "period", "field"),
    [
        ("   ", "2025-04", "text"),
        ("x" * 2001, "2025-04", "text"),
        ("Fine.", "April", None),
        ("Fine.", "2030-01", "period"),  # no figure for it
    ],
)
def test_empty_overlong_notes_and_bad_periods_are_refused(sessions, world, text, period, field):
    with pytest.raises(InputError) as refused:
        write(sessions, "county-editor", text, period=period)
    if field:
        assert refused.value.field == field
    with unit_of_work(sessions) as s:
        metric, area = service.get_metric(s, "admissions"), _area(s, LEICESTERSHIRE)
        assert commentary.commentaries(s, metric, area, public_only=False) == {}
