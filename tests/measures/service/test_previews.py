"""Measurements uploaded are previewed, then confirmed: the preview lists the differences and
writes nothing; the confirmation writes exactly those, each changed measurement updated in place;
a re-import of the same figures writes nothing; a stale preview is refused; a preview is its
maker's; and only an editor of a row's area may import it.

The figures are the demo's (demo/data/measures.yaml, loaded into the test world): Leicester's
Housing Enablement Team referrals in 2021-22 from seed 001, 901 in all, 698 from the UHL hospitals
and 173 from the Bradgate Mental Health Unit, and Leicestershire's long-term admissions rate of
536 in 2019-20 from seed 002. FILE below keeps 901 and 698 (2 unchanged), makes Bradgate 175
(1 changed) and adds 950 for 2022-23 (1 added), all worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from placeplan.audit import service as audit
from placeplan.audit.present import entries
from placeplan.core.actor import operator
from placeplan.core.errors import Forbidden, NotFound
from placeplan.demo.measures import load_demo_measures
from placeplan.measures import service
from placeplan.measures.models import Ambition, Measurement
from placeplan.measures.service.previews import API_ROWS, api_content
from placeplan.store.audit import AuditEvent
from placeplan.store.uow import unit_of_work
from placeplan.store.uploads import PendingUpload
from tests.factories import LEICESTER, LEICESTERSHIRE, actor_for

BRADGATE = "Bradgate Mental Health Unit"
FILE = [
    {"area_code": LEICESTER, "period": "2021-22", "numerator": "901"},
    {
        "area_code": LEICESTER,
        "period": "2021-22",
        "numerator": "698",
        "breakdown": "referral_source",
        "breakdown_value": "UHL hospitals",
    },
    {
        "area_code": LEICESTER,
        "period": "2021-22",
        "numerator": "175",
        "breakdown": "referral_source",
        "breakdown_value": BRADGATE,
    },
    {"area_code": LEICESTER, "period": "2022-23", "numerator": "950"},
]
SUMMARY = "1 measurement changed, 1 measurement added"


@pytest.fixture
def demo(sessions, world):
    with unit_of_work(sessions) as s:
        load_demo_measures(s, operator())
    return world


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


def held(sessions) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(PendingUpload)) or 0)


def preview(sessions, rows=FILE, user: str = "city-editor", metric: str = "het_referrals"):
    with unit_of_work(sessions) as s:
        content = api_content(rows, "test file")
        return service.hold_measurements(s, actor_for(s, user), metric, API_ROWS, content)


def confirm(sessions, token, user: str = "city-editor", base=None, metric: str = "het_referrals"):
    with unit_of_work(sessions) as s:
        return service.confirm_measurements(s, actor_for(s, user), metric, token, base)


def bradgate(sessions) -> Measurement:
    """Seed 001's 173 referrals from the Bradgate Mental Health Unit."""
    with sessions() as s:
        metric = service.get_metric(s, "het_referrals")
        return s.scalars(
            select(Measurement).where(
                Measurement.metric_id == metric.id, Measurement.breakdown_value == BRADGATE
            )
        ).one()


def test_the_preview_lists_the_differences_and_writes_nothing(sessions, demo):
    before = counts(sessions)
    shown = preview(sessions)
    assert counts(sessions) == before and held(sessions) == 1 and shown.token
    assert (shown.summary(), shown.unchanged, shown.areas) == (SUMMARY, 2, [LEICESTER])
    (section,) = shown.differences.sections
    assert section.title == "Hospital Housing Enablement Team referrals"
    changed, added = section.changes
    assert changed.name == "Leicester, 2021-22, Referral source: " + BRADGATE
    assert [(f.label, f.before.text, f.after.text) for f in changed.fields] == [
        ("Value", "173", "175"),
        ("Numerator", "173", "175"),
        ("Source", "Leicester BCF narrative plan 2022-23: HET activity 2021/22", "test file"),
    ]
    assert (added.kind, added.name) == ("added", "Leicester, 2022-23")
    assert ("Value", "950") in [(f.label, f.after.text) for f in added.fields]
    assert shown.checks == []  # every count is 10 or more, and each is worked out


def test_the_confirmation_updates_the_changed_measurement_in_place(sessions, demo):
    token = preview(sessions).token
    was = bradgate(sessions)
    with sessions() as s:
        last = s.scalar(select(func.max(AuditEvent.id)))
    done = confirm(sessions, token)
    assert done.summary() == SUMMARY and done.token is None and held(sessions) == 0
    now = bradgate(sessions)
    assert now.id == was.id and now.value == Decimal(175)  # the same record, changed
    with sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.id > last)).all()
    # What the person did, then one update of Bradgate's figure and one creation of 2022-23's:
    # nothing deleted.
    assert (events[0].action, events[0].entity_kind) == ("upload_measurements", "metric")
    assert sorted((e.action, e.entity_id == was.id) for e in events[1:]) == [
        ("create", False),
        ("update", True),
    ]
    with sessions() as s:
        reading = audit.read(s, operator(), audit.filters_from(person="city-editor"), 1)
    assert entries(reading)[0].sentence == (
        "city editor uploaded measurements of the metric Hospital Housing Enablement Team"
        " referrals: 1 measurement changed, 1 measurement added"
    )


def test_importing_the_same_figures_again_writes_nothing(sessions, demo):
    with unit_of_work(sessions) as s:
        first = service.import_rows(s, operator(), "het_referrals", list(enumerate(FILE, 2)))
    assert first == 2  # Bradgate changed, 2022-23 added
    before = counts(sessions)
    with unit_of_work(sessions) as s:
        again = service.import_rows(
            s, operator(), "het_referrals", list(enumerate(FILE, 2)), source="another file"
        )
    assert again == 0 and counts(sessions) == before  # not a single audit event
    assert preview(sessions).differences.empty and held(sessions) == 0


def test_a_confirmation_after_the_measures_changed_is_refused(sessions, demo):
    shown = preview(sessions)
    with unit_of_work(sessions) as s:  # someone sets an ambition meanwhile: a new revision
        service.add_ambition(
            s, operator(), "het_referrals", LEICESTER, {"period": "2022-23", "target": 900}
        )
    before = counts(sessions)
    with pytest.raises(service.StalePreview) as refused:
        confirm(sessions, shown.token)
    assert counts(sessions) == before and bradgate(sessions).value == 173
    again = refused.value.preview
    assert again is not None and again.summary() == SUMMARY and again.base != shown.base
    assert confirm(sessions, shown.token, base=again.base).summary() == SUMMARY


def test_another_persons_preview_is_not_theirs_to_confirm(sessions, demo):
    token = preview(sessions).token
    before = counts(sessions)
    with pytest.raises(NotFound):  # icb-editor may edit Leicester too; the preview is not theirs
        confirm(sessions, token, user="icb-editor")
    assert counts(sessions) == before


def test_only_an_editor_of_each_rows_area_may_import_it(sessions, demo):
    county_row = {"area_code": LEICESTERSHIRE, "period": "2019-20", "value": "540"}
    before = counts(sessions)
    with pytest.raises(Forbidden) as refused:  # a Leicester editor, a Leicestershire figure
        preview(sessions, [county_row], metric="long_term_admissions_65_plus")
    assert "Leicestershire" in str(refused.value)
    with pytest.raises(Forbidden), unit_of_work(sessions) as s:
        service.import_rows(
            s, actor_for(s, "city-editor"), "long_term_admissions_65_plus", [(2, county_row)]
        )
    with pytest.raises(Forbidden):  # a Leicestershire editor, Leicester's figures
        preview(sessions, user="county-editor")
    with pytest.raises(Forbidden), unit_of_work(sessions) as s:
        service.import_rows(s, actor_for(s, "county-viewer"), "het_referrals", [])
    assert counts(sessions) == before
    # Seed 002's published 536 becomes 540: the county's own editor may change it.
    shown = preview(
        sessions, [county_row], user="county-editor", metric="long_term_admissions_65_plus"
    )
    (change,) = shown.differences.sections[0].changes
    assert [(f.label, f.before.text, f.after.text) for f in change.fields][0] == (
        "Value",
        "536 per 100,000",
        "540 per 100,000",
    )
    assert shown.checks == ["1 figure kept as published: no counts to check it against"]


def test_ambitions_are_set_only_by_editors_of_the_area(sessions, demo):
    aim = {"period": "2022-23", "target": 900}
    with pytest.raises(Forbidden), unit_of_work(sessions) as s:  # Leicester's editor, the county
        service.add_ambition(s, actor_for(s, "city-editor"), "het_referrals", LEICESTERSHIRE, aim)
    with unit_of_work(sessions) as s:
        service.add_ambition(s, actor_for(s, "city-editor"), "het_referrals", LEICESTER, aim)
    with sessions() as s:
        found = s.scalars(select(Ambition).where(Ambition.target == 900)).one()
        assert found.area.gss_code == LEICESTER
