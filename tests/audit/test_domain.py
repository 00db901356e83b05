"""How the audit log reads, with no database: values as text, records by name, actions as one
sentence. Figures are worked by hand in each test."""

from __future__ import annotations

from datetime import UTC, datetime

from placeplan.audit.domain import Book, Count, Lead, Registry, describe_kind, sentence, when

LINE = describe_kind(
    "bcf_line",
    noun="line",
    name="Line {ref}",
    within="scheme_id",
    labels={"amount_pence": "Amount", "funding_source": "Funding source"},
    money={"amount_pence"},
    refs={"scheme_id": "bcf_scheme", "district_id": "organisation"},
    choices={"funding_source": {"nhs_minimum": "NHS minimum contribution"}},
    part="the budget",
)
SCHEME = describe_kind("bcf_scheme", noun="scheme", part="the budget")
PLAN = describe_kind("plan", noun="plan", name="title")
KINDS = Registry([LINE, SCHEME, PLAN, describe_kind("plan_snapshot", noun="snapshot")])
BOOK = Book(
    KINDS,
    {
        ("bcf_scheme", 7): {"id": 7, "name": "Home First"},
        ("plan", 5): {"id": 5, "title": "Leicestershire BCF plan 2025-26"},
    },
)
STATE = {
    "id": 31,
    "plan_id": 5,
    "scheme_id": 7,
    "ref": "12",
    "funding_source": "nhs_minimum",
    "amount_pence": 154962300,
    "illustrative": True,
    "version": 3,
}


def test_a_line_reads_by_name_in_pounds_and_labels():
    assert LINE.name(STATE, BOOK) == "Line 12 of Home First"
    # 154,962,300 pence is £1,549,623.00; 160,000,000 pence is £1,600,000.00
    moved = LINE.fields(STATE, {**STATE, "amount_pence": 160000000, "version": 4}, BOOK)
    assert [(f.label, f.before.text, f.after.text) for f in moved if f.before and f.after] == [
        ("Amount", "£1,549,623.00", "£1,600,000.00")
    ]
    added = LINE.record(STATE, BOOK).fields
    assert added["Funding source"].text == "NHS minimum contribution"
    assert "Scheme" in added and added["Scheme"].text == "Home First"
    # ids, versions, the plan and flags are bookkeeping, not changes anyone reads
    assert not {"Id", "Version", "Plan", "Illustrative"} & set(added)


def test_a_change_to_bookkeeping_alone_shows_nothing():
    assert LINE.fields(STATE, {**STATE, "version": 4, "illustrative": False}, BOOK) == ()


def test_values_read_as_people_write_them():
    kind = describe_kind("thing", noun="thing")
    assert kind.text("valid_from", "2025-02-27", BOOK) == "27 February 2025"
    assert kind.text("active", False, BOOK) == "No"
    assert kind.text("note", None, BOOK) == ""
    assert LINE.text("district_id", 99, BOOK) == "unknown organisation"  # never recorded
    # 14:03 UTC on 1 July is 15:03 in the UK (BST); in February UK time is UTC
    assert when(datetime(2025, 7, 1, 14, 3, tzinfo=UTC)) == "1 July 2025 at 15:03"
    assert when(datetime(2025, 2, 27, 14, 3, tzinfo=UTC)) == "27 February 2025 at 14:03"


def test_a_kind_nobody_described_reads_from_its_columns():
    kind = KINDS.kind("bcf_top_up")
    assert kind.noun == "top up"
    assert kind.name({"name": "Winter"}, BOOK) == "Winter"
    assert kind.label("amount_pence") == "Amount"
    assert kind.label("area_of_spend") == "Area of spend"


def test_an_action_of_many_records_reads_as_one_sentence():
    counts = [Count("bcf_line", "update", 2)]
    said = sentence("Bea Lead", counts, KINDS, None, "Leicestershire BCF plan 2025-26")
    assert said == "Bea Lead changed the budget of Leicestershire BCF plan 2025-26: 2 lines changed"
    mixed = [Count("bcf_line", "update", 3), Count("bcf_scheme", "create", 1)]
    assert sentence("Bea Lead", mixed, KINDS, None, None) == (
        "Bea Lead changed the budget: 3 lines changed, 1 scheme added"
    )
    across = [Count("bcf_line", "create", 2), Count("plan", "create", 1)]
    assert sentence("demo-loader", across, KINDS, None, None) == (
        "demo-loader made 3 changes: 2 lines added, 1 plan added"
    )


def test_an_act_leads_its_sentence_and_the_rest_follow():
    counts = [Count("plan", "submitted", 1), Count("plan_snapshot", "create", 1)]
    lead = Lead("plan", "submitted", PLAN.phrase("County BCF 2025-26"))
    assert sentence("Sam Finch", counts, KINDS, lead, None) == (
        "Sam Finch submitted the plan County BCF 2025-26: 1 snapshot added"
    )
    only = Lead("bcf_line", "update", "Line 12 of Home First")
    assert sentence("Bea Lead", [Count("bcf_line", "update", 1)], KINDS, only, None) == (
        "Bea Lead changed Line 12 of Home First"
    )
