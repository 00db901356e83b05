"""The record-set comparison every preview and version comparison uses."""

from placeplan.core.differences import Record, Value, compare, differences


def _line(name: str, pence: int) -> Record:
    return Record(name, {"Amount": Value(pence, f"£{pence / 100:,.2f}")})


def test_records_matched_by_key_report_added_removed_and_changed_fields_only():
    before = {"L1": _line("Home first", 100), "L2": _line("Carers", 200)}
    after = {"L1": _line("Home first", 150), "L3": _line("Falls", 300)}
    section = compare("Expenditure lines", "line", before, after)
    kinds = [(c.kind, c.key) for c in section.changes]
    assert kinds == [("removed", "L2"), ("changed", "L1"), ("added", "L3")]
    changed = section.changes[1]
    assert [(f.label, f.before.raw, f.after.raw) for f in changed.fields] == [("Amount", 100, 150)]


def test_an_unchanged_record_is_no_change_and_a_rename_is_shown():
    same = compare("Schemes", "scheme", {"S1": _line("A", 1)}, {"S1": _line("A", 1)})
    assert same.changes == ()
    renamed = compare("Schemes", "scheme", {"S1": _line("A", 1)}, {"S1": _line("B", 1)})
    assert [f.label for f in renamed.changes[0].fields] == ["Name"]


def test_the_summary_counts_in_words():
    lines = compare(
        "Lines",
        "line",
        {"a": _line("a", 1), "b": _line("b", 1)},
        {"a": _line("a", 2), "b": _line("b", 3)},
    )
    schemes = compare("Schemes", "scheme", {}, {"s": _line("s", 1)})
    result = differences([lines, schemes])
    assert result.summary() == "2 lines changed, 1 scheme added"
    assert differences([]).summary() == "No changes"
    assert result.as_json()["sections"][0]["changed"] == 2
