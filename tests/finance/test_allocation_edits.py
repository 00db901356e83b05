"""A need-weighted allocation made and changed from its form, and a need index uploaded,
previewed and applied: version-checked, audited, and refused with the form's field named and
nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.core.actor import operator
from placeplan.core.errors import Conflict, Forbidden, InputError
from placeplan.finance import service
from placeplan.finance.domain.allocation_form import document_from_form, form_from_document
from placeplan.finance.io.need_index import read_need_index
from placeplan.finance.models import FinanceAllocation
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from tests.factories import actor_for
from tests.finance.factory import two_areas

# The form of tests/finance/factory.py's two_areas(): A and B, 100 people each, deprivation 3
# and 1, £100 a year for three years from 2024-25, both spending £50 today, at most 10% lost a
# year. The finance_world plan runs 2024-25 to 2025-26, so three years run one beyond it.
FORM = {
    "name": "Shares",
    "first_year": "2024-25",
    "totals": "100\n100",
    "max_loss": "10",
    "areas": "A, 100, 50\nB, 100, 50",
    "component_1_name": "Deprivation",
    "component_1_weight": "1",
    "component_1_source": "hand",
    "component_1_values": "A, 3\nB, 1",
    "component_2_name": "",
}


def _events(session) -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_kind == "finance_allocation")
    )


def test_the_form_reads_back_to_the_same_allocation() -> None:
    document, allocation = document_from_form(FORM, (2024, 2025))
    assert allocation.totals == (100_00, 100_00)
    assert [a.name for a in allocation.areas] == ["A", "B"]
    again, _ = document_from_form({"name": "Shares", **form_from_document(document)}, (2024, 2025))
    assert again == document


def test_made_then_changed_on_the_form_and_audited(sessions, finance_world) -> None:
    editor = "county-editor"
    with unit_of_work(sessions) as s:
        before = _events(s)
        made = service.save_allocation(
            s, actor_for(s, editor), finance_world.plan_id, None, None, FORM
        )
        allocation_id = made.id
    with unit_of_work(sessions) as s:
        changed = service.save_allocation(
            s, actor_for(s, editor), None, allocation_id, 1, FORM | {"max_loss": "5"}
        )
        assert changed.version == 2
        assert _events(s) == before + 2
    with sessions() as s:
        seen = service.get_allocation(s, operator("t"), allocation_id)
        assert seen.allocation.max_loss == 5
        # Need indices 1.5 and 0.5 (deprivation 3 and 1 over their mean of 2), so target shares
        # 75% and 25%: B's target is £25 of £100. B spends £50 today and may lose 5% a year, so
        # the first year takes it to £47.50 (and A gets the other £52.50).
        assert dict((r.name, r.path[0]) for r in seen.areas)["B"] == 47_50


def test_a_stale_version_is_refused(sessions, finance_world) -> None:
    with unit_of_work(sessions) as s:
        made = service.save_allocation(s, operator("t"), finance_world.plan_id, None, None, FORM)
        allocation_id = made.id
    with unit_of_work(sessions) as s:
        service.save_allocation(s, operator("t"), None, allocation_id, 1, FORM | {"max_loss": "5"})
    with sessions() as s, pytest.raises(Conflict) as caught:
        service.save_allocation(s, operator("t"), None, allocation_id, 1, FORM)
    assert caught.value.current_version == 2
    assert "Areas, need and pace" in caught.value.changes


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"component_1_weight": "-1"},
            "component_1_weight",
            "The weight of Deprivation must be from 0 to 1000000 (it is -1)",
        ),
        ({"component_1_values": "A, 3"}, "component_1_values", "no value for B"),
        ({"areas": ""}, "areas", "at least one area"),
        ({"first_year": "2023-24"}, "first_year", "outside the plan's period"),
        ({"totals": "100\n100\n100"}, "totals", "beyond the plan's period"),
        (
            {"max_loss": "100"},
            "max_loss",
            "The most an area may lose a year is a percentage: it must be from 0 to 99.99 "
            "(it is 100)",
        ),
        (
            {"areas": "A, 100.5, 50\nB, 100, 50"},
            "areas",
            "The population of A must be a whole number (it is 100.5)",
        ),
        ({"areas": "A, lots, 50\nB, 100, 50"}, "areas", "population of A"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_written(
    sessions, finance_world, change, field, words
) -> None:
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            service.save_allocation(
                s, operator("t"), finance_world.plan_id, None, None, FORM | change
            )
        s.rollback()
        assert caught.value.field == field
        assert words in caught.value.message
        assert s.scalar(select(func.count()).select_from(FinanceAllocation)) == 0


def test_only_the_plans_editors_may_make_one(sessions, finance_world) -> None:
    with sessions() as s, pytest.raises(Forbidden):
        service.save_allocation(
            s, actor_for(s, "county-viewer"), finance_world.plan_id, None, None, FORM
        )


INDEX = b"Area,Need index\nA,1.5\nB,0.5\n"


def _allocation(sessions, finance_world) -> int:
    with unit_of_work(sessions) as s:
        return service.create_allocation(
            s, operator("t"), finance_world.plan_id, "Shares", two_areas()
        ).id


FIELDS = {"index_name": "Index", "index_weight": "1", "index_source": "hand"}


def test_an_uploaded_index_is_previewed_then_applied(sessions, finance_world) -> None:
    allocation_id = _allocation(sessions, finance_world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        preview = service.preview_need_index(s, editor, allocation_id, "i.csv", INDEX, FIELDS)
        token = preview.token
        # Deprivation 3 and 1 over a population-weighted mean of 2: indices 1.5 and 0.5; the
        # uploaded index is the same, weighted alike, so the need is unchanged (1.5 and 0.5).
        assert [r.need for r in preview.after] == [Decimal("1.5"), Decimal("0.5")]
        assert not preview.stale
    with sessions() as s:  # held, not applied
        assert (
            len(service.get_allocation(s, operator("t"), allocation_id).allocation.components) == 1
        )
    with unit_of_work(sessions) as s:
        before = _events(s)
        applied = service.apply_need_index(s, actor_for(s, "county-editor"), allocation_id, token)
        assert applied.version == 2 and _events(s) == before + 1
    with sessions() as s:
        components = service.get_allocation(s, operator("t"), allocation_id).allocation.components
        assert [(c.name, c.uploaded) for c in components] == [
            ("Deprivation", False),
            ("Index", True),
        ]


def test_an_index_previewed_before_the_allocation_changed_is_not_applied(
    sessions, finance_world
) -> None:
    allocation_id = _allocation(sessions, finance_world)
    with unit_of_work(sessions) as s:
        editor = actor_for(s, "county-editor")
        token = service.preview_need_index(s, editor, allocation_id, "i.csv", INDEX, FIELDS).token
    with unit_of_work(sessions) as s:
        service.save_allocation(
            s, operator("t"), None, allocation_id, 1, FORM | {"name": "Shares", "max_loss": "5"}
        )
    with sessions() as s:
        editor = actor_for(s, "county-editor")
        assert service.held_index_preview(s, editor, allocation_id, token).stale
        with pytest.raises(Conflict):
            service.apply_need_index(s, editor, allocation_id, token)


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (b"Area,Need index\nA,1.5\n", "index_file", "no need index for B"),
        (b"Area,Need index\nA,1.5\nB,0.5\nC,1\n", "index_file", "C, not an area"),
        (b"Area,Need index\nA,-1\nB,1\n", "index_file", "not negative (it is '-1') (file"),
        (b"Place,Score\nA,1\n", "index_file", "Area and Need index (file i.csv, row 1"),
    ],
)
def test_a_bad_index_file_is_refused_and_nothing_held(
    sessions, finance_world, content, field, words
) -> None:
    allocation_id = _allocation(sessions, finance_world)
    with sessions() as s:
        with pytest.raises(InputError) as caught:
            service.preview_need_index(
                s, actor_for(s, "county-editor"), allocation_id, "i.csv", content, FIELDS
            )
        assert caught.value.field == field and words in caught.value.message


def test_the_index_reader_names_the_row() -> None:
    with pytest.raises(InputError) as caught:
        read_need_index(b"Area,Need index\nA,1\nB,many\n", "i.csv")
    assert (caught.value.file, caught.value.row, caught.value.field) == (
        "i.csv",
        3,
        "Need index",
    )
