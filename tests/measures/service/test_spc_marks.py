"""Recalculations, annotations and a fixed baseline of a chart: recorded by the area's editors with
their reason, audited, refused when they cannot apply, and used by the chart and the board."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from placeplan.areas.models import Area
from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError, NotFound
from placeplan.measures import service
from placeplan.measures.service import spc_marks
from placeplan.store import audit
from placeplan.store.uow import unit_of_work
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for, build_world

METRIC = {
    "key": "admissions",
    "name": "Admissions 65+",
    "unit": "count",
    "direction": "lower",
    "frequency": "month",
}
# 4, 6 six times then 14, 16 six times, January 2024 to December 2025: the STEP series of
# tests/measures/domain/test_spc_reference.py (whole: every point special cause; recalculated
# from January 2025: none; mean 5 then 15).
VALUES = [4, 6] * 6 + [14, 16] * 6
MONTHS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]


@pytest.fixture
def world(sessions):
    build_world(sessions)
    with unit_of_work(sessions) as s:
        service.add_metric(s, operator(), METRIC)
        rows = [
            (n, {"area_code": LEICESTERSHIRE, "period": m, "value": str(v)})
            for n, (m, v) in enumerate(zip(MONTHS, VALUES, strict=True), start=2)
        ]
        service.import_rows(s, operator(), "admissions", rows)


def _chart(s):
    area = s.scalar(select(Area).where(Area.gss_code == LEICESTERSHIRE))
    return service.chart(s, service.get_metric(s, "admissions"), area)[1]


def test_a_recalculation_is_recorded_with_its_reason_and_audited(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        before = _chart(s)
        assert before is not None and before.variation == "concern"
        rebase = spc_marks.add_rebase(
            s, actor_for(s, "county-editor"), LEICESTERSHIRE, "admissions", "2025-01",
            "  Discharge hub   opened ",
        )  # fmt: skip
        rebase_id = rebase.id
    with unit_of_work(sessions) as s:
        after = _chart(s)
        assert after is not None and after.variation == "common_cause"
        assert (after.points[0].mean, after.points[12].mean) == pytest.approx((5, 15))
        (event,) = audit.history(s, "spc_rebase", rebase_id)
        assert event.action == "create" and event.after is not None
        assert (event.after["period"], event.after["reason"]) == ("2025-01", "Discharge hub opened")
        board = service.board(s)
        (row,) = [r for r in board if r.metric.key == "admissions"]
        assert (row.variation, row.places) == ("common_cause", 0)  # a count: whole numbers


@pytest.mark.parametrize(
    ("period", "reason", "field"),
    [
        ("2024-01", "At the start", "period"),  # the limits already start there
        ("2026-07", "Later", "period"),  # no figure
        ("2025-01", "   ", "reason"),
        ("2025-01", "x" * 2001, "reason"),
    ],
)
def test_a_recalculation_that_cannot_apply_is_refused(sessions, world, period, reason, field):
    with unit_of_work(sessions) as s, pytest.raises(InputError) as refused:
        spc_marks.add_rebase(
            s, actor_for(s, "county-editor"), LEICESTERSHIRE, "admissions", period, reason
        )
    assert refused.value.field == field


def test_the_same_recalculation_twice_is_refused(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        spc_marks.add_rebase(s, editor, LEICESTERSHIRE, "admissions", "2025-01", "Hub")
    with unit_of_work(sessions) as s, pytest.raises(InputError):
        spc_marks.add_rebase(
            s, actor_for(s, "county-editor"), LEICESTERSHIRE, "admissions", "2025-01", "Again"
        )


def test_only_the_areas_editors_mark_its_charts(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        for username, code in (("county-viewer", LEICESTERSHIRE), ("county-editor", LEICESTER)):
            with pytest.raises(Forbidden):
                spc_marks.add_annotation(
                    s, actor_for(s, username), code, "admissions", "2025-01", "Pilot"
                )


def test_an_annotation_and_a_baseline_are_audited_and_an_unchanged_baseline_writes_nothing(
    sessions, world
) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        note = spc_marks.add_annotation(
            s, editor, LEICESTERSHIRE, "admissions", "2024-06", "Home first pilot"
        )
        setting = spc_marks.set_baseline(s, editor, LEICESTERSHIRE, "admissions", 12)
        assert setting is not None
        ids = note.id, setting.id
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        spc_marks.set_baseline(s, editor, LEICESTERSHIRE, "admissions", 12, version=1)
        assert len(audit.history(s, "spc_annotation", ids[0])) == 1
        assert len(audit.history(s, "spc_setting", ids[1])) == 1  # the unchanged save: nothing
        fixed = _chart(s)
        # limits on the first 12 (mean 5, upper 10.32) extended: the later points are outside
        assert fixed is not None and fixed.fixed_after == 12
        assert fixed.points[23].upper == pytest.approx(10.32)
        with pytest.raises(InputError) as refused:
            spc_marks.set_baseline(s, editor, LEICESTERSHIRE, "admissions", 11, version=1)
        assert refused.value.field == "baseline_points"
        assert spc_marks.baseline_number(" 14 ") == 14 and spc_marks.baseline_number("") is None
        with pytest.raises(InputError):
            spc_marks.baseline_number("twelve")


def test_the_board_filters_by_area_and_measure(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        viewer = actor_for(s, "county-viewer")
        everything = service.board_view(s, viewer)
        assert {r.metric.key for r in everything.rows} == {"admissions"}
        chosen = service.board_view(s, viewer, area=LEICESTERSHIRE, metric="admissions")
        assert len(chosen.rows) == 1 and chosen.area == LEICESTERSHIRE
        assert service.board_view(s, viewer, area=LEICESTER).rows == []


def test_a_recalculation_is_moved_restated_and_removed_with_its_reason(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        rebase = spc_marks.add_rebase(s, editor, LEICESTERSHIRE, "admissions", "2024-07", "Hub")
        ident = rebase.id
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        moved = spc_marks.change_rebase(
            s, editor, LEICESTERSHIRE, "admissions", ident,
            {"period": "2025-01", "reason": "Discharge hub opened"}, version=1,
        )  # fmt: skip
        assert (moved.period, moved.version) == ("2025-01", 2)
    with unit_of_work(sessions) as s:
        # moved to the step (the STEP series above): no special cause left
        assert _chart(s).variation == "common_cause"
        editor = actor_for(s, "county-editor")
        with pytest.raises(Conflict):  # started from the version before the move
            spc_marks.remove_rebase(
                s, editor, LEICESTERSHIRE, "admissions", ident, "Wrong", version=1
            )
        with pytest.raises(InputError) as refused:
            spc_marks.remove_rebase(s, editor, LEICESTERSHIRE, "admissions", ident, " ", 2)
        assert refused.value.field == "removal_reason"
        spc_marks.remove_rebase(
            s, editor, LEICESTERSHIRE, "admissions", ident, "Recorded on the wrong chart", 2
        )
    with unit_of_work(sessions) as s:
        assert _chart(s).variation == "concern"  # as before any recalculation
        removed, changed, created = audit.history(s, "spc_rebase", ident)  # newest first
        assert (created.action, changed.action, removed.action) == ("create", "update", "delete")
        assert changed.before["period"] == "2024-07" and changed.after["period"] == "2025-01"
        assert removed.before["reason"] == "Discharge hub opened"
        assert removed.after["removal_reason"] == "Recorded on the wrong chart"


def test_a_recalculation_cannot_move_onto_another_or_the_first_period(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        spc_marks.add_rebase(s, editor, LEICESTERSHIRE, "admissions", "2024-07", "One")
        other = spc_marks.add_rebase(s, editor, LEICESTERSHIRE, "admissions", "2025-01", "Two")
        for period in ("2024-07", "2024-01"):
            with pytest.raises(InputError) as refused:
                spc_marks.change_rebase(
                    s, editor, LEICESTERSHIRE, "admissions", other.id, {"period": period}, 1
                )
            assert refused.value.field == "period"
        # restating it where it is keeps its own period
        same = spc_marks.change_rebase(
            s, editor, LEICESTERSHIRE, "admissions", other.id, {"period": "2025-01"}, 1
        )
        assert same.version == 1


def test_an_annotation_is_changed_and_removed_by_the_areas_editors_only(sessions, world) -> None:
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        note = spc_marks.add_annotation(s, editor, LEICESTERSHIRE, "admissions", "2024-06", "Pilot")
        ident = note.id
    with unit_of_work(sessions) as s:
        with pytest.raises(Forbidden):
            spc_marks.remove_annotation(
                s, actor_for(s, "county-viewer"), LEICESTERSHIRE, "admissions", ident, 1
            )
        with pytest.raises(NotFound):  # a mark of another chart
            spc_marks.remove_annotation(
                s, actor_for(s, "city-editor"), LEICESTER, "admissions", ident, 1
            )
        editor = actor_for(s, "county-editor")
        with pytest.raises(InputError) as refused:
            spc_marks.change_annotation(
                s, editor, LEICESTERSHIRE, "admissions", ident, {"text": "x" * 301}, 1
            )
        assert refused.value.message == "The annotation must be 300 characters or fewer (it is 301)"
        spc_marks.change_annotation(
            s, editor, LEICESTERSHIRE, "admissions", ident,
            {"period": "2024-09", "text": "Home first pilot"}, 1,
        )  # fmt: skip
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        spc_marks.remove_annotation(s, editor, LEICESTERSHIRE, "admissions", ident, 2)
        assert spc_marks.chart_marks(s, LEICESTERSHIRE, "admissions")[2].annotations == []
        events = audit.history(s, "spc_annotation", ident)  # newest first
        assert [e.action for e in events] == ["delete", "update", "create"]
        assert events[0].before["text"] == "Home first pilot"
